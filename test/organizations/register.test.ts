import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph, type GraphQLResponseBody } from '../harness.ts';
import {
  ALMATY,
  ASTANA,
  SHYMKENT,
  callers,
  expectError,
  expectNoErrors,
  freshBin,
  outsidePartnerContract,
  postOpportunity,
  REGISTER,
  registerOrganization,
  withWrongCheckDigit,
  withoutContracts,
} from './helpers.ts';

/** The register of organizations, through the gateway: registration, status, contact details, lookups, lists, audit. */
let graph: Graph;
let as: ReturnType<typeof callers>;
beforeAll(async () => {
  graph = await startGraph();
  as = callers(graph);
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

const CONTACT = { phone: '+7 701 234 56 78', email: 'Office@Example.KZ', address: '1 Abai Ave, Astana', person: 'Aigerim Seitkali' };

async function organizationsWithBin(bin: string): Promise<number> {
  const rows = await graph.db('organizations').selectFrom('organizations').select('id').where('bin', '=', bin).execute();
  return rows.length;
}

async function auditCount(): Promise<number> {
  const row = await graph
    .db('organizations')
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('registering an organization', () => {
  it('front-office staff of the region register one, with contact details and the first entry of its status history', async () => {
    const bin = freshBin();
    const { body } = await graph.query(
      `mutation ($input: RegisterOrganizationInput!) {
        registerOrganization(input: $input) {
          id bin name kind status statusReason region { code nameEn } directions
          contact { phone email address person }
          statusHistory { status reason }
        }
      }`,
      {
        token: as.frontOffice(ASTANA),
        variables: {
          input: {
            bin,
            name: '  Astana Helpers  ',
            kind: 'NGO',
            regionCode: ASTANA,
            directions: ['BILIM', 'BILIM', 'UMIT'],
            contact: CONTACT,
          },
        },
      },
    );
    expectNoErrors(body);
    expect(body.data!.registerOrganization).toMatchObject({
      bin,
      name: 'Astana Helpers',
      kind: 'NGO',
      status: 'REGISTERED',
      statusReason: null,
      region: { code: ASTANA, nameEn: 'Astana' },
      directions: ['BILIM', 'UMIT'],
      contact: { phone: '+77012345678', email: 'office@example.kz', address: '1 Abai Ave, Astana', person: 'Aigerim Seitkali' },
      statusHistory: [{ status: 'REGISTERED', reason: 'Entered in the register' }],
    });
  });

  it('a volunteer group may go without a BIN; any other kind may not', async () => {
    const group = await graph.query(REGISTER, {
      token: as.frontOffice(ALMATY),
      variables: {
        input: { bin: null, name: 'Almaty Street Cleaners', kind: 'VOLUNTEER_GROUP', regionCode: ALMATY, directions: ['TAZA_ALEM'] },
      },
    });
    expectNoErrors(group.body);
    expect(group.body.data!.registerOrganization.bin).toBeNull();

    const ngo = await graph.query(REGISTER, {
      token: as.frontOffice(ALMATY),
      variables: { input: { name: 'No-BIN NGO', kind: 'NGO', regionCode: ALMATY, directions: [] } },
    });
    expectError(ngo.body, 'BAD_USER_INPUT', 'input.bin');
  });

  it('is refused to front-office staff of another region, to coordinators and to the public, and nothing is written', async () => {
    const bin = freshBin();
    const input = { bin, name: 'Elsewhere', kind: 'NGO', regionCode: ASTANA, directions: [] };
    const before = await auditCount();
    expectError((await graph.query(REGISTER, { token: as.frontOffice(ALMATY), variables: { input } })).body, 'FORBIDDEN');
    expectError((await graph.query(REGISTER, { token: as.coordinator(randomUUID()), variables: { input } })).body, 'FORBIDDEN');
    expectError((await graph.query(REGISTER, { variables: { input } })).body, 'UNAUTHENTICATED');
    expect(await organizationsWithBin(bin)).toBe(0);
    expect(await auditCount()).toBe(before);
  });

  it('answers BAD_USER_INPUT naming the argument for a wrong check digit, an unknown region, bad contact details', async () => {
    const base = { bin: freshBin(), name: 'Bad input', kind: 'NGO', regionCode: ASTANA, directions: [] };
    const cases: [Record<string, unknown>, string][] = [
      [{ bin: withWrongCheckDigit(freshBin()) }, 'input.bin'],
      [{ bin: '12345' }, 'input.bin'],
      [{ regionCode: '999999999' }, 'input.regionCode'],
      [{ name: '   ' }, 'input.name'],
      [{ contact: { email: 'not-an-address' } }, 'input.contact.email'],
      [{ contact: { phone: '12' } }, 'input.contact.phone'],
    ];
    for (const [override, argument] of cases) {
      const { body } = await graph.query(REGISTER, { token: as.admin, variables: { input: { ...base, ...override } } });
      expectError(body, 'BAD_USER_INPUT', argument);
      expect(body.errors![0]!.extensions!.reason).toEqual(expect.any(String));
    }
    expect(await organizationsWithBin(base.bin)).toBe(0);
  });

  it('a second registration of the same BIN is a CONFLICT, and nothing more is written', async () => {
    const bin = freshBin();
    await registerOrganization(graph, { bin, name: 'First holder' });
    const before = await auditCount();
    const { body } = await graph.query(REGISTER, {
      token: as.admin,
      variables: { input: { bin, name: 'Second holder', kind: 'COMPANY', regionCode: ALMATY, directions: [] } },
    });
    expectError(body, 'CONFLICT');
    expect(body.errors![0]!.extensions!.argumentName).toBe('input.bin');
    expect(await organizationsWithBin(bin)).toBe(1);
    expect(await auditCount()).toBe(before);
    const lookup = await graph.query(`query ($bin: String!) { organizationByBin(bin: $bin) { name } }`, { variables: { bin } });
    expect(lookup.body.data!.organizationByBin).toEqual({ name: 'First holder' });
  });

  it('two registrations of one BIN racing each other: exactly one wins', async () => {
    const bin = freshBin();
    const input = (name: string) => ({ bin, name, kind: 'NGO', regionCode: ASTANA, directions: [] });
    const results = await Promise.all(
      ['Racer A', 'Racer B', 'Racer C'].map((name) => graph.query(REGISTER, { token: as.admin, variables: { input: input(name) } })),
    );
    const codes = results.map((r) => r.body.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
    expect(await organizationsWithBin(bin)).toBe(1);
  });
});

describe('looking organizations up', () => {
  it('by id and by BIN, and through the entity keys', async () => {
    const bin = freshBin();
    const id = await registerOrganization(graph, { bin, name: 'Lookup Org', regionCode: SHYMKENT });
    const { body } = await graph.query(
      `query ($id: ID!, $bin: String!) {
        organization(id: $id) { id name region { code } }
        organizationByBin(bin: $bin) { id bin }
      }`,
      { variables: { id, bin } },
    );
    expectNoErrors(body);
    expect(body.data).toEqual({ organization: { id, name: 'Lookup Org', region: { code: SHYMKENT } }, organizationByBin: { id, bin } });
  });

  it('an unknown id or BIN is null; a malformed one is BAD_USER_INPUT naming the argument', async () => {
    const unknown = await graph.query(
      `query ($id: ID!, $bin: String!) { organization(id: $id) { id } organizationByBin(bin: $bin) { id } }`,
      {
        variables: { id: randomUUID(), bin: freshBin() },
      },
    );
    expectNoErrors(unknown.body);
    expect(unknown.body.data).toEqual({ organization: null, organizationByBin: null });

    expectError((await graph.query(`{ organization(id: "not-an-id") { id } }`)).body, 'BAD_USER_INPUT', 'id');
    const wrongDigit = withWrongCheckDigit(freshBin());
    expectError(
      (await graph.query(`query ($bin: String!) { organizationByBin(bin: $bin) { id } }`, { variables: { bin: wrongDigit } })).body,
      'BAD_USER_INPUT',
      'bin',
    );
    expectError((await graph.query(`{ region(code: "71") { code } }`)).body, 'BAD_USER_INPUT', 'code');
    expect((await graph.query(`{ region(code: "999999999") { code } }`)).body.data).toEqual({ region: null });
  });

  it('serves the 20 regions with their KATO and ISO codes and names', async () => {
    const { body } = await graph.query(`{ regions { code iso kind nameKk nameRu nameEn } }`);
    expectNoErrors(body);
    expect(body.data!.regions).toHaveLength(20);
    expect(body.data!.regions).toContainEqual({
      code: '790000000',
      iso: 'KZ-79',
      kind: 'CITY',
      nameKk: 'Шымкент',
      nameRu: 'Шымкент',
      nameEn: 'Shymkent',
    });
    expect(body.data!.regions.filter((r: { kind: string }) => r.kind === 'OBLAST')).toHaveLength(17);
  });
});

describe('registry status', () => {
  const CHANGE = `
    mutation ($id: ID!, $status: RegistryStatus!, $reason: String!) {
      changeOrganizationStatus(id: $id, status: $status, reason: $reason) {
        status statusReason statusChangedAt statusHistory { status reason changedAt }
      }
    }`;

  it('front-office staff of its region suspend and reinstate an organization; each change is dated, with its reason', async () => {
    const id = await registerOrganization(graph, { regionCode: ALMATY });
    const suspended = await graph.query(CHANGE, {
      token: as.frontOffice(ALMATY),
      variables: { id, status: 'SUSPENDED', reason: 'Annual report not filed' },
    });
    expectNoErrors(suspended.body);
    const org = suspended.body.data!.changeOrganizationStatus;
    expect(org).toMatchObject({ status: 'SUSPENDED', statusReason: 'Annual report not filed' });
    expect(Date.now() - Date.parse(org.statusChangedAt)).toBeLessThan(60_000);
    expect(org.statusHistory.map((h: { status: string }) => h.status)).toEqual(['REGISTERED', 'SUSPENDED']);
    expect(org.statusHistory[1].changedAt).toBe(org.statusChangedAt);

    const reinstated = await graph.query(CHANGE, { token: as.admin, variables: { id, status: 'REGISTERED', reason: 'Report filed' } });
    expectNoErrors(reinstated.body);
    expect(reinstated.body.data!.changeOrganizationStatus.statusHistory.map((h: { reason: string }) => h.reason)).toEqual([
      'Entered in the register',
      'Annual report not filed',
      'Report filed',
    ]);
  });

  it('is refused to front-office staff of another region, to coordinators (even its own) and to the public', async () => {
    const id = await registerOrganization(graph, { regionCode: ALMATY });
    const variables = { id, status: 'SUSPENDED', reason: 'Because' };
    expectError((await graph.query(CHANGE, { token: as.frontOffice(ASTANA), variables })).body, 'FORBIDDEN');
    expectError((await graph.query(CHANGE, { token: as.coordinator(id), variables })).body, 'FORBIDDEN');
    expectError((await graph.query(CHANGE, { token: as.analyst, variables })).body, 'FORBIDDEN');
    expectError((await graph.query(CHANGE, { variables })).body, 'UNAUTHENTICATED');
    const { body } = await graph.query(`query ($id: ID!) { organization(id: $id) { status statusHistory { status } } }`, {
      variables: { id },
    });
    expect(body.data!.organization).toEqual({ status: 'REGISTERED', statusHistory: [{ status: 'REGISTERED' }] });
  });

  it('the same status again is a CONFLICT; an unknown id NOT_FOUND; a malformed id or an empty reason BAD_USER_INPUT', async () => {
    const id = await registerOrganization(graph);
    expectError(
      (await graph.query(CHANGE, { token: as.admin, variables: { id, status: 'REGISTERED', reason: 'Again' } })).body,
      'CONFLICT',
    );
    expectError(
      (await graph.query(CHANGE, { token: as.admin, variables: { id: randomUUID(), status: 'SUSPENDED', reason: 'x' } })).body,
      'NOT_FOUND',
    );
    expectError(
      (await graph.query(CHANGE, { token: as.admin, variables: { id: '42', status: 'SUSPENDED', reason: 'x' } })).body,
      'BAD_USER_INPUT',
      'id',
    );
    expectError(
      (await graph.query(CHANGE, { token: as.admin, variables: { id, status: 'SUSPENDED', reason: ' ' } })).body,
      'BAD_USER_INPUT',
      'reason',
    );
  });

  it("exclusion is final and cancels the organization's drafts and open opportunities, not its closed ones", async () => {
    const id = await registerOrganization(graph, { regionCode: SHYMKENT });
    const draft = await postOpportunity(graph, id);
    const open = await postOpportunity(graph, id, { open: true });
    const closed = await postOpportunity(graph, id, { open: true });
    expectNoErrors(
      (await graph.query(`mutation ($id: ID!) { closeOpportunity(id: $id) { status } }`, { token: as.admin, variables: { id: closed } }))
        .body,
    );

    const excluded = await graph.query(CHANGE, {
      token: as.frontOffice(SHYMKENT),
      variables: { id, status: 'EXCLUDED', reason: 'Fraudulent reports' },
    });
    expectNoErrors(excluded.body);
    expect(excluded.body.data!.changeOrganizationStatus.status).toBe('EXCLUDED');

    const { body } = await graph.query(
      `query ($a: ID!, $b: ID!, $c: ID!) {
        a: opportunity(id: $a) { status statusReason acceptingApplications }
        b: opportunity(id: $b) { status statusReason }
        c: opportunity(id: $c) { status }
      }`,
      { token: as.admin, variables: { a: draft, b: open, c: closed } },
    );
    expect(body.data).toEqual({
      a: {
        status: 'CANCELLED',
        statusReason: 'The organization was excluded from the register: Fraudulent reports',
        acceptingApplications: false,
      },
      b: { status: 'CANCELLED', statusReason: 'The organization was excluded from the register: Fraudulent reports' },
      c: { status: 'CLOSED' },
    });

    for (const status of ['REGISTERED', 'SUSPENDED']) {
      const again = await graph.query(CHANGE, { token: as.admin, variables: { id, status, reason: 'Second chance' } });
      expectError(again.body, 'CONFLICT');
    }
    const history = await graph.query(`query ($id: ID!) { organization(id: $id) { statusHistory { status } } }`, { variables: { id } });
    expect(history.body.data!.organization.statusHistory).toEqual([{ status: 'REGISTERED' }, { status: 'EXCLUDED' }]);
  });

  it('Region.organizationCount counts registered organizations only', async () => {
    const region = '470000000'; // Mangystau: used by no other test
    const ids = [await registerOrganization(graph, { regionCode: region }), await registerOrganization(graph, { regionCode: region })];
    const count = async () =>
      (await graph.query(`query ($code: ID!) { region(code: $code) { organizationCount } }`, { variables: { code: region } })).body.data!
        .region.organizationCount;
    expect(await count()).toBe(2);
    expectNoErrors((await graph.query(CHANGE, { token: as.admin, variables: { id: ids[0], status: 'SUSPENDED', reason: 'Checks' } })).body);
    expect(await count()).toBe(1);
  });
});

describe('contact details', () => {
  const QUERY = `query ($id: ID!) { organization(id: $id) { name contact { phone email address person } } }`;
  let orgId: string;
  beforeAll(async () => {
    orgId = await registerOrganization(graph, { name: 'Contactable', regionCode: ASTANA, contact: CONTACT });
  });

  it('are served to its coordinators, front-office staff of its region and admins', async () => {
    for (const token of [as.coordinator(orgId), as.coordinator(randomUUID(), orgId), as.frontOffice(ASTANA), as.admin]) {
      const { body } = await graph.query(QUERY, { token, variables: { id: orgId } });
      expectNoErrors(body);
      expect(body.data!.organization.contact).toEqual({
        phone: '+77012345678',
        email: 'office@example.kz',
        address: '1 Abai Ave, Astana',
        person: 'Aigerim Seitkali',
      });
    }
  });

  it('are null with a FORBIDDEN error for anyone else, and the rest of the response is served', async () => {
    const withheld = (body: GraphQLResponseBody) => {
      expect(body.data!.organization).toEqual({ name: 'Contactable', contact: null });
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect(body.errors![0]!.path).toEqual(['organization', 'contact']);
    };
    const refused = [as.coordinator(randomUUID()), as.frontOffice(ALMATY), as.volunteer, as.analyst];
    for (const token of refused) withheld((await graph.query(QUERY, { token, variables: { id: orgId } })).body);
    // A partner: contact details are not in the partner contract; behind it, they are withheld all the same.
    await outsidePartnerContract(graph, QUERY, { id: orgId }, as.partner, 'contact');
    await withoutContracts(graph, async (query) => withheld(await query(QUERY, { id: orgId }, as.partner)));
    const anonymous = await graph.query(QUERY, { variables: { id: orgId } });
    expect(anonymous.body.data!.organization).toEqual({ name: 'Contactable', contact: null });
    expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(anonymous.body.errors![0]!.extensions!.code);
  });

  it("in a list, each organization's contact is shown or withheld for the caller on its own", async () => {
    const other = await registerOrganization(graph, { name: 'Contactable too', regionCode: ASTANA, contact: { phone: '87015550000' } });
    const { body } = await graph.query(
      `{ organizations(first: 10, filter: { nameContains: "contactable" }) { nodes { id name contact { phone } } } }`,
      { token: as.coordinator(orgId) },
    );
    expect(body.data!.organizations.nodes).toEqual([
      { id: orgId, name: 'Contactable', contact: { phone: '+77012345678' } },
      { id: other, name: 'Contactable too', contact: null },
    ]);
    expect(body.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['organizations', 'nodes', 1, 'contact'], 'FORBIDDEN']]);
  });

  it("are replaced by its coordinator; refused to another organization's coordinator; validated; audited without the values", async () => {
    const UPDATE = `mutation ($id: ID!, $contact: OrganizationContactInput!) { updateOrganizationContact(id: $id, contact: $contact) { contact { phone email address person } } }`;
    const id = await registerOrganization(graph, { regionCode: ALMATY, contact: CONTACT });
    const ok = await graph.query(UPDATE, {
      token: as.coordinator(id),
      variables: { id, contact: { phone: '+7 (727) 111-22-33', person: 'Dana Omarova' } },
    });
    expectNoErrors(ok.body);
    expect(ok.body.data!.updateOrganizationContact.contact).toEqual({
      phone: '+77271112233',
      email: null,
      address: null,
      person: 'Dana Omarova',
    });

    expectError(
      (await graph.query(UPDATE, { token: as.coordinator(randomUUID()), variables: { id, contact: { phone: '+77270000000' } } })).body,
      'FORBIDDEN',
    );
    expectError(
      (await graph.query(UPDATE, { token: as.frontOffice(ASTANA), variables: { id, contact: { phone: '+77270000000' } } })).body,
      'FORBIDDEN',
    );
    expectError(
      (await graph.query(UPDATE, { token: as.admin, variables: { id, contact: { phone: 'call me' } } })).body,
      'BAD_USER_INPUT',
      'contact.phone',
    );
    expectError((await graph.query(UPDATE, { token: as.admin, variables: { id: randomUUID(), contact: {} } })).body, 'NOT_FOUND');

    const { body } = await graph.query(`query ($id: ID!) { organizationsAuditLog(entityId: $id) { nodes { action details } } }`, {
      token: as.admin,
      variables: { id },
    });
    const entry = body.data!.organizationsAuditLog.nodes.find((n: { action: string }) => n.action === 'organization.updateContact');
    expect(JSON.parse(entry.details)).toEqual({ changed: ['phone', 'email', 'address', 'person'] });
    expect(entry.details).not.toContain('1112233');
  });
});

describe('the filtered list', () => {
  const LIST = `
    query ($first: Int, $after: String, $filter: OrganizationFilter) {
      organizations(first: $first, after: $after, filter: $filter) {
        edges { cursor node { name } }
        nodes { name }
        pageInfo { hasNextPage endCursor }
      }
    }`;
  const names = async (filter: Record<string, unknown>) => {
    const { body } = await graph.query(LIST, { variables: { first: 100, filter: { nameContains: 'Zz ', ...filter } } });
    expectNoErrors(body);
    return body.data!.organizations.nodes.map((n: { name: string }) => n.name);
  };

  beforeAll(async () => {
    await registerOrganization(graph, { name: 'Zz Alpha 100%', regionCode: ASTANA, kind: 'NGO', directions: ['BILIM', 'SAULYQ'] });
    await registerOrganization(graph, { name: 'Zz Bravo', regionCode: ALMATY, kind: 'NGO', directions: ['TAZA_ALEM'] });
    await registerOrganization(graph, { name: 'Zz Charlie', regionCode: ASTANA, kind: 'COMPANY', directions: ['SAULYQ'] });
    const delta = await registerOrganization(graph, {
      name: 'Zz Delta',
      regionCode: SHYMKENT,
      kind: 'CHARITY_FOUNDATION',
      directions: ['QAMQOR'],
    });
    await registerOrganization(graph, {
      name: 'Zz Echo',
      regionCode: ALMATY,
      kind: 'VOLUNTEER_GROUP',
      bin: null,
      directions: ['UMIT', 'BILIM'],
    });
    await graph.query(`mutation ($id: ID!) { changeOrganizationStatus(id: $id, status: SUSPENDED, reason: "Audit") { id } }`, {
      token: as.admin,
      variables: { id: delta },
    });
  });

  it('filters by region, kind, direction, status and part of the name (case-insensitive, wildcards literal)', async () => {
    expect(await names({})).toEqual(['Zz Alpha 100%', 'Zz Bravo', 'Zz Charlie', 'Zz Delta', 'Zz Echo']);
    expect(await names({ regionCode: ASTANA })).toEqual(['Zz Alpha 100%', 'Zz Charlie']);
    expect(await names({ kind: 'NGO' })).toEqual(['Zz Alpha 100%', 'Zz Bravo']);
    expect(await names({ direction: 'BILIM' })).toEqual(['Zz Alpha 100%', 'Zz Echo']);
    expect(await names({ status: 'SUSPENDED' })).toEqual(['Zz Delta']);
    expect(await names({ status: 'REGISTERED', direction: 'SAULYQ', regionCode: ASTANA, kind: 'COMPANY' })).toEqual(['Zz Charlie']);
    expect(await names({ nameContains: 'zZ cHAR' })).toEqual(['Zz Charlie']);
    expect(await names({ nameContains: '100%' })).toEqual(['Zz Alpha 100%']);
    expect(await names({ nameContains: 'Zz_' })).toEqual([]);
  });

  it('walks page by page with cursors, each row once, until hasNextPage is false', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { body } = await graph.query(LIST, { variables: { first: 2, after, filter: { nameContains: 'zz ' } } });
      expectNoErrors(body);
      const connection = body.data!.organizations;
      expect(connection.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(
        connection.nodes.map((n: { name: string }) => n.name),
      );
      seen.push(...connection.nodes.map((n: { name: string }) => n.name));
      pages += 1;
      if (!connection.pageInfo.hasNextPage) break;
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1).cursor);
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(await names({}));
  });

  it('refuses a page larger than 100, a cursor it did not give out, an unknown region', async () => {
    expectError((await graph.query(LIST, { variables: { first: 101 } })).body, 'BAD_USER_INPUT', 'first');
    expectError((await graph.query(LIST, { variables: { first: -1 } })).body, 'BAD_USER_INPUT', 'first');
    expectError((await graph.query(LIST, { variables: { after: 'bm90IGEgY3Vyc29y' } })).body, 'BAD_USER_INPUT', 'after');
    const forged = Buffer.from(JSON.stringify(['Zz', 'not-a-uuid'])).toString('base64url');
    expectError((await graph.query(LIST, { variables: { after: forged } })).body, 'BAD_USER_INPUT', 'after');
    expectError(
      (await graph.query(LIST, { variables: { filter: { regionCode: '123456789' } } })).body,
      'BAD_USER_INPUT',
      'filter.regionCode',
    );
  });

  it('refuses a tampered cursor whose values the database cannot take (a NUL, an impossible day), never an internal error', async () => {
    // A cursor is [list name, ...key]; the forgeries below name the right list.
    const cursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const nobody = '00000000-0000-4000-8000-000000000000';
    expectError(
      (await graph.query(LIST, { variables: { after: cursor(['organizations', 'A\u0000', nobody]) } })).body,
      'BAD_USER_INPUT',
      'after',
    );
    const OPPORTUNITIES = `query ($after: String) { opportunities(first: 2, after: $after) { nodes { id } } }`;
    for (const day of ['2026-02-30', '2026-13-45']) {
      expectError(
        (await graph.query(OPPORTUNITIES, { variables: { after: cursor(['opportunities', day, nobody]) } })).body,
        'BAD_USER_INPUT',
        'after',
      );
    }
    // A name that merely starts like a date is a name.
    expect(
      (await graph.query(LIST, { variables: { after: cursor(['organizations', '2026-02-30 Club', nobody]) } })).body.errors,
    ).toBeUndefined();
    // A cursor of another list is refused, even when its key would fit.
    expectError(
      (await graph.query(OPPORTUNITIES, { variables: { after: cursor(['capacityHistory', '2026-02-01', nobody]) } })).body,
      'BAD_USER_INPUT',
      'after',
    );
  });
});

describe('batching', () => {
  it('a list of organizations with their region and opportunities costs the same statements for 5 as for 50', async () => {
    const regions = [ASTANA, ALMATY, SHYMKENT, '350000000', '550000000'];
    for (let i = 0; i < 50; i++) {
      const id = await registerOrganization(graph, {
        name: `Batch Org ${String(i).padStart(2, '0')}`,
        regionCode: regions[i % regions.length]!,
      });
      await postOpportunity(graph, id, { title: `Batch ${i} a`, open: true, regionCode: regions[(i + 1) % regions.length]! });
      await postOpportunity(graph, id, { title: `Batch ${i} b`, startsOn: '2030-06-01', endsOn: '2030-06-02' });
    }
    const QUERY = `
      query ($first: Int!) {
        organizations(first: $first, filter: { nameContains: "Batch Org" }) {
          nodes {
            name
            region { nameEn organizationCount frontOffice { name } }
            statusHistory { status }
            opportunities(first: 5) { nodes { title status acceptingApplications region { code } organization { name } } }
          }
        }
      }`;
    const run = async (first: number) => {
      graph.resetStatements();
      const { body } = await graph.query(QUERY, { token: as.admin, variables: { first } });
      expectNoErrors(body);
      expect(body.data!.organizations.nodes).toHaveLength(first);
      for (const org of body.data!.organizations.nodes) {
        expect(org.opportunities.nodes).toHaveLength(2);
        expect(org.opportunities.nodes[0].organization.name).toBe(org.name);
      }
      return graph.statements('organizations');
    };
    const five = await run(5);
    const fifty = await run(50);
    expect(fifty).toBe(five);
    expect(five).toBeLessThanOrEqual(8);

    // The public sees only published opportunities, batched the same way.
    graph.resetStatements();
    const publicView = await graph.query(QUERY, { variables: { first: 50 } });
    expect(
      publicView.body.data!.organizations.nodes.every((o: { opportunities: { nodes: unknown[] } }) => o.opportunities.nodes.length === 1),
    ).toBe(true);
    expect(graph.statements('organizations')).toBe(five);
  });
});

describe('the audit log', () => {
  const AUDIT = `
    query ($entityId: ID, $first: Int, $after: String) {
      organizationsAuditLog(entityId: $entityId, first: $first, after: $after) {
        nodes { at requestId actorKind actorSubject action entity entityId details }
        pageInfo { hasNextPage endCursor }
      }
    }`;

  it('shows admins who changed what, when, under which request id, newest first, page by page', async () => {
    const requestId = `req-${randomUUID()}`;
    const bin = freshBin();
    const registered = await graph.query(REGISTER, {
      token: as.frontOffice(ASTANA),
      headers: { 'x-request-id': requestId },
      variables: { input: { bin, name: 'Audited', kind: 'NGO', regionCode: ASTANA, directions: [] } },
    });
    expectNoErrors(registered.body);
    const id = registered.body.data!.registerOrganization.id;
    await graph.query(`mutation ($id: ID!) { changeOrganizationStatus(id: $id, status: SUSPENDED, reason: "Audit trail") { id } }`, {
      token: as.admin,
      variables: { id },
    });

    const first = await graph.query(AUDIT, { token: as.admin, variables: { entityId: id, first: 1 } });
    expectNoErrors(first.body);
    const newest = first.body.data!.organizationsAuditLog;
    expect(newest.nodes).toHaveLength(1);
    expect(newest.nodes[0]).toMatchObject({
      action: 'organization.changeStatus',
      actorKind: 'admin',
      actorSubject: 'admin-1',
      entity: 'Organization',
      entityId: id,
    });
    expect(JSON.parse(newest.nodes[0].details)).toMatchObject({ from: 'REGISTERED', to: 'SUSPENDED', reason: 'Audit trail' });
    expect(newest.pageInfo.hasNextPage).toBe(true);

    const second = await graph.query(AUDIT, { token: as.admin, variables: { entityId: id, first: 5, after: newest.pageInfo.endCursor } });
    expectNoErrors(second.body);
    expect(second.body.data!.organizationsAuditLog.nodes).toEqual([
      expect.objectContaining({
        action: 'organization.register',
        actorKind: 'front_office',
        actorSubject: `fo-${ASTANA}`,
        requestId,
        entityId: id,
      }),
    ]);
    expect(second.body.data!.organizationsAuditLog.pageInfo.hasNextPage).toBe(false);
    expect(Date.parse(second.body.data!.organizationsAuditLog.nodes[0].at)).toBeLessThanOrEqual(Date.parse(newest.nodes[0].at));
  });

  it('is refused to anyone but admins; a malformed entity id is BAD_USER_INPUT', async () => {
    for (const token of [as.frontOffice(ASTANA), as.analyst, as.coordinator(randomUUID())]) {
      const { body } = await graph.query(AUDIT, { token, variables: {} });
      expectError(body, 'FORBIDDEN');
      expect(body.data?.organizationsAuditLog ?? null).toBeNull();
    }
    expectError((await graph.query(AUDIT, { variables: {} })).body, 'UNAUTHENTICATED');
    expectError((await graph.query(AUDIT, { token: as.admin, variables: { entityId: 'abc' } })).body, 'BAD_USER_INPUT', 'entityId');
    expectError((await graph.query(AUDIT, { token: as.admin, variables: { first: 1000 } })).body, 'BAD_USER_INPUT', 'first');
  });
});
