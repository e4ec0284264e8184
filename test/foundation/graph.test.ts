import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBin, makeIin } from '../../subgraphs/kit/index.ts';
import { startGraph, type Graph } from '../harness.ts';

/**
 * The frame: one gateway in front of four subgraphs, each on its own database,
 * answering one query with data from all four; batching across subgraphs;
 * and a subgraph that goes away and comes back.
 */
let graph: Graph;
let admin: string;
const ASTANA = '710000000';
const ALMATY = '750000000';
const organizationIds: string[] = [];
const volunteerIds: string[] = [];

async function ok(document: string, variables: Record<string, unknown> = {}, token = admin) {
  const { body } = await graph.query(document, { variables, token });
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!;
}

beforeAll(async () => {
  graph = await startGraph();
  admin = graph.token({ role: 'admin' });
  for (let i = 0; i < 5; i++) {
    const data = await ok(`mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`, {
      input: {
        bin: makeBin(9000 + i * 13),
        name: `Frame Org ${i}`,
        kind: 'VOLUNTEER_ORGANIZATION',
        regionCode: i % 2 ? ALMATY : ASTANA,
        directions: ['BILIM'],
      },
    });
    organizationIds.push(data.registerOrganization.id);
  }
  for (let i = 0; i < 50; i++) {
    const birthDate = `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`;
    const sex = i % 2 ? 'MALE' : 'FEMALE';
    const data = await ok(`mutation ($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`, {
      input: {
        iin: makeIin(birthDate, sex, 500 + i),
        firstName: `V${i}`,
        lastName: 'Frame',
        birthDate,
        sex,
        regionCode: i % 3 ? ASTANA : ALMATY,
      },
    });
    volunteerIds.push(data.registerVolunteer.id);
    await ok(`mutation ($input: AddMembershipInput!) { addMembership(input: $input) { role } }`, {
      input: { volunteerId: data.registerVolunteer.id, organizationId: organizationIds[i % organizationIds.length] },
    });
  }
}, 300_000);

afterAll(async () => {
  await graph?.close();
});

describe('one query, four subgraphs', () => {
  it('answers a region with fields from organizations, volunteers, donations and cooperation', async () => {
    const data = await ok(
      `
      query Region($code: ID!) {
        region(code: $code) {
          code iso nameEn kind organizationCount
          volunteerCount
          donationsTotal(year: 2026) { amount currency }
          missionParticipants(year: 2026)
        }
      }`,
      { code: ASTANA },
    );
    expect(data.region).toEqual({
      code: ASTANA,
      iso: 'KZ-71',
      nameEn: 'Astana',
      kind: 'CITY',
      organizationCount: 3,
      volunteerCount: volunteerIds.filter((_, i) => i % 3 !== 0).length,
      donationsTotal: { amount: '0.00', currency: 'KZT' },
      missionParticipants: 0,
    });
  });

  it('lists all twenty regions with their KATO and ISO codes, to anyone', async () => {
    const { body } = await graph.query(`{ regions { code iso } }`);
    expect(body.data?.regions).toHaveLength(20);
    expect(body.data?.regions).toContainEqual({ code: '790000000', iso: 'KZ-79' });
  });

  it('resolves an organization by BIN, the second key', async () => {
    const { body } = await graph.query(`{ organizations(first: 1, filter: { nameContains: "Frame Org 0" }) { nodes { id bin } } }`);
    const { id, bin } = body.data!.organizations.nodes[0];
    const byBin = await graph.query(`query ($bin: String!) { organizationByBin(bin: $bin) { id volunteerCount } }`, { variables: { bin } });
    expect(byBin.body.data?.organizationByBin).toEqual({ id, volunteerCount: 10 });
  });
});

describe('batching across subgraphs', () => {
  const query = `
    query Members($first: Int!) {
      volunteers(first: $first) {
        nodes { id memberships { role organization { name region { nameEn volunteerCount } } } }
      }
    }`;

  async function statementsFor(first: number) {
    graph.resetStatements();
    const data = await ok(query, { first });
    expect(data.volunteers.nodes).toHaveLength(first);
    for (const v of data.volunteers.nodes) expect(v.memberships[0].organization.name).toMatch(/^Frame Org/);
    return { volunteers: graph.statements('volunteers'), organizations: graph.statements('organizations') };
  }

  it('costs the same number of SQL statements per subgraph for 5 and for 50 volunteers', async () => {
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(fifty).toEqual(five);
    expect(fifty.organizations).toBeLessThanOrEqual(3);
  });
});

describe('bad input', () => {
  it.each([
    ['a malformed id', `{ organization(id: "42") { id } }`, 'id'],
    ['a BIN of the wrong length', `{ organizationByBin(bin: "123") { id } }`, 'bin'],
    ['a page above the limit', `{ organizations(first: 1000) { nodes { id } } }`, 'first'],
    ['a malformed region code', `{ region(code: "KZ-71") { code } }`, 'code'],
  ])('%s is BAD_USER_INPUT naming the argument', async (_what, document, argument) => {
    const { body } = await graph.query(document);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toContain(argument);
  });

  it('a wrong BIN check digit is BAD_USER_INPUT and writes nothing', async () => {
    const bin = makeBin(7777);
    const wrong = `${bin.slice(0, 11)}${(Number(bin[11]) + 1) % 10}`;
    const { body } = await graph.query(`mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`, {
      token: admin,
      variables: { input: { bin: wrong, name: 'Wrong', kind: 'NGO', regionCode: ASTANA, directions: [] } },
    });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.bin' });
    const rows = await graph.db('organizations').selectFrom('organizations').select('id').where('name', '=', 'Wrong').execute();
    expect(rows).toEqual([]);
  });

  it('an impossible date in a variable is BAD_USER_INPUT, even when a subgraph finds it', async () => {
    const { body } = await graph.query(
      `query ($from: Date) { organizations(first: 1) { nodes { name approvedHours(from: $from) { hours } } } }`,
      { variables: { from: '2026-02-30' } },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toContain('2026-02-30');
  });

  it('an unknown id is null for a lookup', async () => {
    const { body } = await graph.query(`{ organization(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.organization).toBeNull();
  });

  it('a forged token is UNAUTHENTICATED', async () => {
    // A volunteer's signature under an admin's claims. (Changing the last base64url
    // character of a signature may only touch padding bits and leave it valid.)
    const [header, payload] = graph.token({ role: 'admin' }).split('.');
    const signature = graph.token({ role: 'volunteer' }).split('.')[2];
    const forged = `${header}.${payload}.${signature}`;
    const { status, body } = await graph.query(`{ regions { code } }`, { token: forged });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('a subgraph that goes away', () => {
  it('leaves the others answering, names the missing service, and is picked up on return', async () => {
    await graph.stopSubgraph('volunteers');
    try {
      const { body } = await graph.query(`query ($code: ID!) { region(code: $code) { nameEn volunteerCount } }`, {
        variables: { code: ASTANA },
      });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'volunteers' });
      expect(body.errors?.[0]?.message).toContain('volunteers');
      const regions = await graph.query(`{ regions { code } }`);
      expect(regions.body.data?.regions).toHaveLength(20);
      const ready = await fetch(new URL('/ready', graph.gatewayUrl));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'degraded', unavailable: ['volunteers'] });
    } finally {
      await graph.restartSubgraph('volunteers');
    }
    const ready = await fetch(new URL('/ready', graph.gatewayUrl));
    expect(ready.status).toBe(200);
    const { body } = await graph.query(`query ($code: ID!) { region(code: $code) { volunteerCount } }`, { variables: { code: ASTANA } });
    expect(body.errors).toBeUndefined();
    expect(body.data?.region.volunteerCount).toBeGreaterThan(0);
  });
});
