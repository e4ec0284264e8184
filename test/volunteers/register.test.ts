import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph, type GraphQLResponseBody } from '../harness.ts';
import {
  addMember,
  ALMATY,
  ASTANA,
  errorAt,
  expectError,
  expectNoErrors,
  freshIin,
  ok,
  outsidePartnerContract,
  postOpportunity,
  registerOrganization,
  registerVolunteer,
  REGISTER_VOLUNTEER,
  volunteerInput,
  withoutContracts,
} from './helpers.ts';

/**
 * The register of volunteers: who may register whom, what an IIN must agree
 * with, who sees personal data, who lists volunteers, memberships, the audit
 * log, and batching across subgraphs.
 */
let graph: Graph;
let orgA: string; // Astana
let orgB: string; // Almaty
let orgBulk: string;
let volunteerId: string; // Astana, member of orgA
let almatyVolunteerId: string;
const astanaIds: string[] = [];

const tokens = () => ({
  admin: graph.token({ role: 'admin', sub: 'admin-1' }),
  foAstana: graph.token({ role: 'front_office', region: ASTANA, sub: 'fo-astana' }),
  foAlmaty: graph.token({ role: 'front_office', region: ALMATY, sub: 'fo-almaty' }),
  coordA: graph.token({ role: 'coordinator', org: [orgA], sub: 'coord-a' }),
  coordB: graph.token({ role: 'coordinator', org: [orgB], sub: 'coord-b' }),
  analyst: graph.token({ role: 'analyst', sub: 'analyst-1' }),
  partner: graph.token({ role: 'partner', partner_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', sub: 'partner-1' }),
  self: graph.token({ role: 'volunteer', volunteer_id: volunteerId, sub: 'vol-self' }),
  otherVolunteer: graph.token({ role: 'volunteer', volunteer_id: almatyVolunteerId, sub: 'vol-other' }),
});

const PII = `query ($id: ID!) {
  volunteer(id: $id) {
    id ageBand isAdult approvedMinutes skills region { code }
    iin firstName lastName birthDate phone email
  }
}`;

beforeAll(async () => {
  graph = await startGraph();
  orgA = await registerOrganization(graph, ASTANA, 'Astana Helpers');
  orgB = await registerOrganization(graph, ALMATY, 'Almaty Helpers');
  volunteerId = await registerVolunteer(graph, { firstName: 'Dana', lastName: 'Seitkali', birthDate: '1992-03-14', sex: 'FEMALE' });
  await addMember(graph, volunteerId, orgA);
  almatyVolunteerId = await registerVolunteer(graph, { regionCode: ALMATY, birthDate: '1985-07-01', sex: 'MALE' });
  await addMember(graph, almatyVolunteerId, orgB);
  // Sixty more, for lists and batching: each a member of orgBulk and of orgA (Astana) or orgB (Almaty).
  orgBulk = await registerOrganization(graph, ASTANA, 'National Bulk Volunteers');
  for (let i = 0; i < 60; i++) {
    const birthDate = `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`;
    const almaty = i % 5 === 0;
    const id = await registerVolunteer(graph, { birthDate, sex: i % 2 ? 'MALE' : 'FEMALE', regionCode: almaty ? ALMATY : ASTANA });
    await addMember(graph, id, almaty ? orgB : orgA, i === 1 ? 'COORDINATOR' : 'MEMBER');
    await addMember(graph, id, orgBulk);
    if (!almaty) astanaIds.push(id);
  }
}, 300_000);

afterAll(async () => {
  await graph?.close();
});

async function countByIin(iin: string): Promise<number> {
  const row = await graph
    .db('volunteers')
    .selectFrom('volunteers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('iin', '=', iin)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

describe('registering a volunteer', () => {
  it('front-office staff register a volunteer of their region, who is recorded as registered by the front-office', async () => {
    const input = volunteerInput({ firstName: 'Arman', lastName: 'Abenov', birthDate: '1988-11-02', sex: 'MALE' });
    const data = await ok(graph, tokens().foAstana, REGISTER_VOLUNTEER, { input });
    expect(data.registerVolunteer).toMatchObject({
      iin: input.iin,
      firstName: 'Arman',
      lastName: 'Abenov',
      birthDate: '1988-11-02',
      registeredBy: 'FRONT_OFFICE',
      ageBand: 'AGE_30_44',
      isAdult: true,
      region: { code: ASTANA },
    });
  });

  it('refuses front-office staff of another region, coordinators and the public, and writes nothing', async () => {
    const input = volunteerInput({ regionCode: ASTANA });
    for (const token of [tokens().foAlmaty, tokens().coordA, tokens().analyst]) {
      const { body } = await graph.query(REGISTER_VOLUNTEER, { variables: { input }, token });
      expectError(body, 'FORBIDDEN');
    }
    const { body } = await graph.query(REGISTER_VOLUNTEER, { variables: { input } });
    expectError(body, 'UNAUTHENTICATED');
    expect(await countByIin(input.iin)).toBe(0);
  });

  it('a second registration with the same IIN is a CONFLICT, and nothing is written', async () => {
    const input = volunteerInput({ birthDate: '1979-01-20', sex: 'MALE' });
    await ok(graph, tokens().foAstana, REGISTER_VOLUNTEER, { input });
    const before = await ok(graph, undefined, `{ region(code: "${ASTANA}") { volunteerCount } }`);
    const auditBefore = await graph
      .db('volunteers')
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const { body } = await graph.query(REGISTER_VOLUNTEER, {
      variables: { input: { ...input, firstName: 'Someone', lastName: 'Else' } },
      token: tokens().admin,
    });
    expectError(body, 'CONFLICT');
    expect(await countByIin(input.iin)).toBe(1);
    const after = await ok(graph, undefined, `{ region(code: "${ASTANA}") { volunteerCount } }`);
    expect(after.region.volunteerCount).toBe(before.region.volunteerCount);
    const auditAfter = await graph
      .db('volunteers')
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(auditAfter?.n)).toBe(Number(auditBefore?.n));
  });

  it('validates the IIN against its check digit, the birth date and the sex; and the other fields', async () => {
    const good = volunteerInput({ birthDate: '1995-04-09', sex: 'FEMALE' });
    const wrongCheck = `${good.iin.slice(0, 11)}${(Number(good.iin[11]) + 1) % 10}`;
    const cases: [Record<string, unknown>, string][] = [
      [{ iin: wrongCheck }, 'input.iin'],
      [{ birthDate: '1995-04-10' }, 'input.iin'],
      [{ sex: 'MALE' }, 'input.iin'],
      [{ iin: '12345' }, 'input.iin'],
      [{ birthDate: '2030-01-01', iin: freshIin('2030-01-01', 'FEMALE') }, 'input.birthDate'],
      [{ regionCode: '999999999' }, 'input.regionCode'],
      [{ email: 'not-an-email' }, 'input.email'],
      [{ phone: '12' }, 'input.phone'],
      [{ phone: '0000000000' }, 'input.phone'], // no country code starts with 0
      [{ phone: '87012345678901' }, 'input.phone'], // a domestic number with three digits too many
      [{ phone: '+7701234567' }, 'input.phone'], // +7 takes ten digits
      [{ firstName: '\u200b\u200b' }, 'input.firstName'], // zero-width characters alone are empty
      [{ firstName: '   ' }, 'input.firstName'],
      [{ lastName: 'Abe\nnov' }, 'input.lastName'], // a name is one line
      [{ lastName: 'Abe\u202Evon' }, 'input.lastName'], // a right-to-left override shows another name than is stored
      [{ languages: ['Kazakh language'] }, 'input.languages[0]'],
    ];
    for (const [change, argument] of cases) {
      const { body } = await graph.query(REGISTER_VOLUNTEER, { variables: { input: { ...good, ...change } }, token: tokens().admin });
      expectError(body, 'BAD_USER_INPUT', argument);
    }
    const ancient = await graph.query(REGISTER_VOLUNTEER, {
      variables: { input: { ...good, birthDate: '1899-12-31' } },
      token: tokens().admin,
    });
    expect(ancient.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(ancient.body.errors?.[0]?.message).toMatch(/before 1900-01-01/);
    expect(await countByIin(good.iin)).toBe(0);
  });

  it("an under-14 needs a guardian's written consent, which is kept and shown to those entitled", async () => {
    const child = volunteerInput({ birthDate: '2014-06-06', sex: 'MALE', regionCode: ASTANA });
    const refused = await graph.query(REGISTER_VOLUNTEER, { variables: { input: child }, token: tokens().foAstana });
    expectError(refused.body, 'BAD_USER_INPUT', 'input.guardianConsent');
    const withConsent = { ...child, guardianConsent: { guardianName: 'Saule Abenova', relationship: 'parent', givenOn: '2026-09-01' } };
    const data = await ok(
      graph,
      tokens().foAstana,
      `mutation ($input: RegisterVolunteerInput!) {
      registerVolunteer(input: $input) { id ageBand isAdult guardianConsent { guardianName relationship givenOn recordedBy } }
    }`,
      { input: withConsent },
    );
    expect(data.registerVolunteer).toMatchObject({
      ageBand: 'UNDER_14',
      isAdult: false,
      guardianConsent: { guardianName: 'Saule Abenova', relationship: 'PARENT', givenOn: '2026-09-01', recordedBy: 'fo-astana' },
    });
  });

  it("registerMe links the caller's account; `me` finds it; a second one is a CONFLICT; under-14s go to a front-office", async () => {
    const token = graph.token({ role: 'volunteer', sub: 'idp|self-registrant' });
    const input = volunteerInput({ firstName: 'Kamila', birthDate: '2001-02-03', sex: 'FEMALE' });
    const data = await ok(
      graph,
      token,
      `mutation ($input: RegisterVolunteerInput!) { registerMe(input: $input) { id registeredBy iin } }`,
      { input },
    );
    expect(data.registerMe).toMatchObject({ registeredBy: 'SELF', iin: input.iin });
    const me = await ok(graph, token, `{ me { id firstName phone } }`);
    expect(me.me).toEqual({ id: data.registerMe.id, firstName: 'Kamila', phone: input.phone });

    const again = await graph.query(`mutation ($input: RegisterVolunteerInput!) { registerMe(input: $input) { id } }`, {
      variables: { input: volunteerInput({ birthDate: '2001-02-03' }) },
      token,
    });
    expectError(again.body, 'CONFLICT');

    const child = await graph.query(`mutation ($input: RegisterVolunteerInput!) { registerMe(input: $input) { id } }`, {
      variables: { input: volunteerInput({ birthDate: '2015-01-01' }) },
      token: graph.token({ role: 'volunteer', sub: 'idp|child' }),
    });
    expectError(child.body, 'BAD_USER_INPUT', 'input.birthDate');

    const anonymous = await graph.query(`mutation ($input: RegisterVolunteerInput!) { registerMe(input: $input) { id } }`, {
      variables: { input: volunteerInput() },
    });
    expectError(anonymous.body, 'UNAUTHENTICATED');
    // Not in the partner contract at all.
    await outsidePartnerContract(
      graph,
      `mutation ($input: RegisterVolunteerInput!) { registerMe(input: $input) { id } }`,
      { input: volunteerInput() },
      tokens().partner,
      'registerMe',
    );
  });
});

describe('personal data', () => {
  it("is visible to the volunteer, their coordinators, their region's front-office and admins", async () => {
    for (const token of [tokens().self, tokens().coordA, tokens().foAstana, tokens().admin]) {
      const { body } = await graph.query(PII, { variables: { id: volunteerId }, token });
      expectNoErrors(body);
      expect(body.data!.volunteer).toMatchObject({ id: volunteerId, firstName: 'Dana', lastName: 'Seitkali', birthDate: '1992-03-14' });
      expect(body.data!.volunteer.iin).toMatch(/^\d{12}$/);
    }
  });

  it('is null with a FORBIDDEN error per field for anyone else, while the pseudonymous fields still answer', async () => {
    const PSEUDONYMOUS = {
      id: volunteerId,
      ageBand: 'AGE_30_44',
      isAdult: true,
      approvedMinutes: 0,
      skills: ['first aid'],
      region: { code: ASTANA },
    };
    const withheld = (body: GraphQLResponseBody) => {
      const v = body.data!.volunteer;
      expect(v).toMatchObject(PSEUDONYMOUS);
      for (const field of ['iin', 'firstName', 'lastName', 'birthDate', 'phone', 'email']) {
        expect(v[field]).toBeNull();
        expect(errorAt(body, ['volunteer', field])?.extensions?.code).toBe('FORBIDDEN');
      }
    };
    for (const token of [tokens().coordB, tokens().foAlmaty, tokens().analyst, tokens().otherVolunteer]) {
      withheld((await graph.query(PII, { variables: { id: volunteerId }, token })).body);
    }
    // A partner: personal data is not in the partner contract, the pseudonymous fields are;
    // behind the contract the personal data is withheld all the same.
    await outsidePartnerContract(graph, PII, { id: volunteerId }, tokens().partner, 'iin');
    const pseudonymous = await ok(
      graph,
      tokens().partner,
      `query ($id: ID!) { volunteer(id: $id) { id ageBand isAdult approvedMinutes skills region { code } } }`,
      { id: volunteerId },
    );
    expect(pseudonymous.volunteer).toEqual(PSEUDONYMOUS);
    await withoutContracts(graph, async (query) => withheld(await query(PII, { id: volunteerId }, tokens().partner)));
  });

  it('never reaches the public, not even through an entity reference', async () => {
    const { body } = await graph.query(PII, { variables: { id: volunteerId } });
    const v = body.data?.volunteer;
    expect(v?.ageBand).toBe('AGE_30_44');
    for (const field of ['iin', 'firstName', 'lastName', 'birthDate', 'phone', 'email']) expect(v?.[field] ?? null).toBeNull();
    expect(JSON.stringify(body)).not.toContain('Seitkali');
  });

  it('a lookup of an unknown id answers null; a malformed id is BAD_USER_INPUT naming it', async () => {
    const unknown = await ok(graph, tokens().admin, `{ volunteer(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(unknown.volunteer).toBeNull();
    const { body } = await graph.query(`{ volunteer(id: "nope") { id } }`, { token: tokens().admin });
    expectError(body, 'BAD_USER_INPUT', 'id');
  });
});

describe('listing volunteers', () => {
  const LIST = `query ($first: Int, $after: String, $filter: VolunteerFilter) {
    volunteers(first: $first, after: $after, filter: $filter) { nodes { id region { code } } pageInfo { hasNextPage endCursor } }
  }`;

  it('front-office staff list their own region only', async () => {
    const data = await ok(graph, tokens().foAstana, LIST, { first: 100 });
    const regions = new Set(data.volunteers.nodes.map((n: { region: { code: string } }) => n.region.code));
    expect([...regions]).toEqual([ASTANA]);
    expect(data.volunteers.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining(astanaIds));
    const { body } = await graph.query(LIST, { variables: { filter: { regionCode: ALMATY } }, token: tokens().foAstana });
    expectError(body, 'FORBIDDEN');
  });

  it('coordinators list the members of their organizations only', async () => {
    const data = await ok(graph, tokens().coordB, LIST, { first: 100 });
    const ids = data.volunteers.nodes.map((n: { id: string }) => n.id);
    expect(ids).toContain(almatyVolunteerId);
    expect(ids).not.toContain(volunteerId);
    expect(ids).toHaveLength(13);
    const { body } = await graph.query(LIST, { variables: { filter: { organizationId: orgA } }, token: tokens().coordB });
    expectError(body, 'FORBIDDEN');
  });

  it('analysts list everyone, without personal data; volunteers and partners may not list', async () => {
    const { body } = await graph.query(`{ volunteers(first: 3) { nodes { id ageBand lastName } } }`, { token: tokens().analyst });
    expect(body.data!.volunteers.nodes).toHaveLength(3);
    expect(body.data!.volunteers.nodes.every((n: { lastName: string | null; ageBand: string }) => n.lastName === null && n.ageBand)).toBe(
      true,
    );
    expect(errorAt(body, ['volunteers', 'nodes', 0, 'lastName'])?.extensions?.code).toBe('FORBIDDEN');
    const refused = await graph.query(LIST, { variables: {}, token: tokens().self });
    expectError(refused.body, 'FORBIDDEN');
    await outsidePartnerContract(graph, LIST, {}, tokens().partner, 'volunteers'); // not in the partner contract
  });

  it('pages with a cursor, without overlap, and refuses a page above the limit', async () => {
    const first = await ok(graph, tokens().admin, LIST, { first: 10 });
    const second = await ok(graph, tokens().admin, LIST, { first: 10, after: first.volunteers.pageInfo.endCursor });
    const ids = [...first.volunteers.nodes, ...second.volunteers.nodes].map((n: { id: string }) => n.id);
    expect(new Set(ids).size).toBe(20);
    expect(first.volunteers.pageInfo.hasNextPage).toBe(true);
    const { body } = await graph.query(LIST, { variables: { first: 101 }, token: tokens().admin });
    expectError(body, 'BAD_USER_INPUT', 'first');
    const badCursor = await graph.query(LIST, { variables: { after: 'garbage' }, token: tokens().admin });
    expectError(badCursor.body, 'BAD_USER_INPUT', 'after');
  });
});

describe('memberships', () => {
  const ADD = `mutation ($input: AddMembershipInput!) { addMembership(input: $input) { role organization { id } volunteer { id } } }`;
  const COUNT = `query ($id: ID!) { organization(id: $id) { volunteerCount } }`;

  const PII_NAME = `query ($id: ID!) { volunteer(id: $id) { firstName } }`;
  const memberRows = async (volunteerId: string, organizationId: string) =>
    (
      await graph
        .db('volunteers')
        .selectFrom('memberships')
        .select('role')
        .where('volunteer_id', '=', volunteerId)
        .where('organization_id', '=', organizationId)
        .execute()
    ).length;

  it('a coordinator may not add a volunteer who has not chosen the organization: FORBIDDEN, nothing written, personal data stays hidden', async () => {
    const id = await registerVolunteer(graph, { regionCode: ALMATY, birthDate: '1999-09-09' });
    const before = (await ok(graph, undefined, COUNT, { id: orgA })).organization.volunteerCount;
    const refused = await graph.query(ADD, { variables: { input: { volunteerId: id, organizationId: orgA } }, token: tokens().coordA });
    expectError(refused.body, 'FORBIDDEN');
    expect(refused.body.errors?.[0]?.message).toMatch(/accepted application/);
    expect(refused.body.data).toBeNull();
    expect(await memberRows(id, orgA)).toBe(0);
    expect((await ok(graph, undefined, COUNT, { id: orgA })).organization.volunteerCount).toBe(before);
    const pii = await graph.query(PII_NAME, { variables: { id }, token: tokens().coordA });
    expect(errorAt(pii.body, ['volunteer', 'firstName'])?.extensions?.code).toBe('FORBIDDEN');
  });

  it("a coordinator adds a volunteer accepted to one of the organization's opportunities (a pending application is not enough); the count follows; a duplicate is a CONFLICT", async () => {
    const id = await registerVolunteer(graph, { regionCode: ALMATY, birthDate: '1996-06-06' });
    const opportunity = await postOpportunity(graph, orgA, { minimumAge: 18 });
    const volunteer = graph.token({ role: 'volunteer', volunteer_id: id, sub: `vol-${id}` });
    const applied = await ok(graph, volunteer, `mutation ($input: ApplyToOpportunityInput!) { applyToOpportunity(input: $input) { id } }`, {
      input: { opportunityId: opportunity },
    });
    expectError(
      (await graph.query(ADD, { variables: { input: { volunteerId: id, organizationId: orgA } }, token: tokens().coordA })).body,
      'FORBIDDEN',
    );
    await ok(graph, tokens().coordA, `mutation ($id: ID!) { decideApplication(id: $id, decision: ACCEPT) { status } }`, {
      id: applied.applyToOpportunity.id,
    });
    // Accepted by orgA, not by orgB: orgB's coordinator still may not.
    expectError(
      (await graph.query(ADD, { variables: { input: { volunteerId: id, organizationId: orgB } }, token: tokens().coordB })).body,
      'FORBIDDEN',
    );
    const before = (await ok(graph, undefined, COUNT, { id: orgA })).organization.volunteerCount;
    const data = await ok(graph, tokens().coordA, ADD, { input: { volunteerId: id, organizationId: orgA } });
    expect(data.addMembership).toEqual({ role: 'MEMBER', organization: { id: orgA }, volunteer: { id } });
    expect((await ok(graph, undefined, COUNT, { id: orgA })).organization.volunteerCount).toBe(before + 1);
    const again = await graph.query(ADD, { variables: { input: { volunteerId: id, organizationId: orgA } }, token: tokens().coordA });
    expectError(again.body, 'CONFLICT');
    expect((await ok(graph, undefined, COUNT, { id: orgA })).organization.volunteerCount).toBe(before + 1);
  });

  const ROLE = `mutation ($v: ID!, $o: ID!, $role: MembershipRole!) { changeMembershipRole(volunteerId: $v, organizationId: $o, role: $role) { role organization { id } volunteer { id } } }`;

  it("addMembership never changes a current member's role: CONFLICT, the role stays", async () => {
    const id = await registerVolunteer(graph, { regionCode: ASTANA, birthDate: '1995-05-15' });
    await addMember(graph, id, orgA);
    for (const token of [tokens().coordA, tokens().admin]) {
      const refused = await graph.query(ADD, {
        variables: { input: { volunteerId: id, organizationId: orgA, role: 'COORDINATOR' } },
        token,
      });
      expectError(refused.body, 'CONFLICT', 'input.organizationId');
      expect(refused.body.errors?.[0]?.message).toMatch(/changeMembershipRole/);
    }
    const roles = await ok(graph, tokens().admin, `query ($id: ID!) { volunteer(id: $id) { memberships { role } } }`, { id });
    expect(roles.volunteer.memberships).toEqual([{ role: 'MEMBER' }]);
  });

  it('changeMembershipRole: a coordinator of the organization or an admin promotes and demotes, audited; others FORBIDDEN; the same role CONFLICT; no membership NOT_FOUND', async () => {
    const id = await registerVolunteer(graph, { regionCode: ASTANA, birthDate: '1995-05-05' });
    await addMember(graph, id, orgA);
    const before = (await ok(graph, undefined, COUNT, { id: orgA })).organization.volunteerCount;
    const self = graph.token({ role: 'volunteer', volunteer_id: id, sub: `vol-${id}` });
    for (const token of [tokens().coordB, self, tokens().foAstana]) {
      expectError((await graph.query(ROLE, { variables: { v: id, o: orgA, role: 'COORDINATOR' }, token })).body, 'FORBIDDEN');
    }
    expectError((await graph.query(ROLE, { variables: { v: id, o: orgA, role: 'COORDINATOR' } })).body, 'UNAUTHENTICATED');
    const data = await ok(graph, tokens().coordA, ROLE, { v: id, o: orgA, role: 'COORDINATOR' });
    expect(data.changeMembershipRole).toEqual({ role: 'COORDINATOR', organization: { id: orgA }, volunteer: { id } });
    expect((await ok(graph, undefined, COUNT, { id: orgA })).organization.volunteerCount).toBe(before);
    const roles = await ok(
      graph,
      tokens().admin,
      `query ($id: ID!) { volunteer(id: $id) { memberships { role organization { id } leftAt } } }`,
      { id },
    );
    expect(roles.volunteer.memberships).toEqual([{ role: 'COORDINATOR', organization: { id: orgA }, leftAt: null }]);
    expectError(
      (await graph.query(ROLE, { variables: { v: id, o: orgA, role: 'COORDINATOR' }, token: tokens().coordA })).body,
      'CONFLICT',
      'role',
    );
    expect((await ok(graph, tokens().admin, ROLE, { v: id, o: orgA, role: 'MEMBER' })).changeMembershipRole.role).toBe('MEMBER');
    const audit = await graph
      .db('volunteers')
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity_id', '=', id)
      .where('action', '=', 'membership.role')
      .execute();
    expect(audit.map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'MEMBER', role: 'COORDINATOR' }),
        expect.objectContaining({ from: 'COORDINATOR', role: 'MEMBER' }),
      ]),
    );
    expectError((await graph.query(ROLE, { variables: { v: id, o: orgB, role: 'COORDINATOR' }, token: tokens().admin })).body, 'NOT_FOUND');
  });

  it('a volunteer joins an organization themself, as a MEMBER only, and never adds anyone else', async () => {
    const id = await registerVolunteer(graph, { regionCode: ALMATY, birthDate: '1994-04-04' });
    const volunteer = graph.token({ role: 'volunteer', volunteer_id: id, sub: `vol-${id}` });
    const asCoordinator = await graph.query(ADD, {
      variables: { input: { volunteerId: id, organizationId: orgB, role: 'COORDINATOR' } },
      token: volunteer,
    });
    expectError(asCoordinator.body, 'FORBIDDEN');
    expect(await memberRows(id, orgB)).toBe(0);
    const data = await ok(graph, volunteer, ADD, { input: { volunteerId: id, organizationId: orgB } });
    expect(data.addMembership).toEqual({ role: 'MEMBER', organization: { id: orgB }, volunteer: { id } });
    const other = await registerVolunteer(graph, { regionCode: ALMATY, birthDate: '1993-03-13' });
    expectError(
      (await graph.query(ADD, { variables: { input: { volunteerId: other, organizationId: orgB } }, token: volunteer })).body,
      'FORBIDDEN',
    );
    expect(await memberRows(other, orgB)).toBe(0);
  });

  it("front-office staff of the volunteer's region and admins add anyone; staff of another region may not; an unknown organization is NOT_FOUND", async () => {
    const id = await registerVolunteer(graph, { regionCode: ALMATY, birthDate: '1998-08-08' });
    expectError(
      (await graph.query(ADD, { variables: { input: { volunteerId: id, organizationId: orgA } }, token: tokens().foAstana })).body,
      'FORBIDDEN',
    );
    expect((await ok(graph, tokens().foAlmaty, ADD, { input: { volunteerId: id, organizationId: orgA } })).addMembership.role).toBe(
      'MEMBER',
    );
    expect(
      (await ok(graph, tokens().admin, ADD, { input: { volunteerId: id, organizationId: orgB, role: 'COORDINATOR' } })).addMembership.role,
    ).toBe('COORDINATOR');
    const unknown = await graph.query(ADD, {
      variables: { input: { volunteerId: id, organizationId: '00000000-0000-4000-8000-000000000001' } },
      token: tokens().admin,
    });
    expectError(unknown.body, 'NOT_FOUND');
  });

  it('a suspended organization takes no new members (a current one may still change role); an excluded one none at all', async () => {
    const org = await registerOrganization(graph, ASTANA, 'Astana Lapsed Club');
    const member = await registerVolunteer(graph, { regionCode: ASTANA, birthDate: '1991-01-21' });
    await addMember(graph, member, org);
    const newcomer = await registerVolunteer(graph, { regionCode: ASTANA, birthDate: '1992-02-22' });
    const STATUS = `mutation ($id: ID!, $status: RegistryStatus!) { changeOrganizationStatus(id: $id, status: $status, reason: "Annual report not filed") { status } }`;
    await ok(graph, tokens().admin, STATUS, { id: org, status: 'SUSPENDED' });
    const suspended = await graph.query(ADD, {
      variables: { input: { volunteerId: newcomer, organizationId: org } },
      token: tokens().admin,
    });
    expectError(suspended.body, 'CONFLICT');
    expect(suspended.body.errors?.[0]?.message).toMatch(/suspended/);
    const self = await graph.query(ADD, {
      variables: { input: { volunteerId: newcomer, organizationId: org } },
      token: graph.token({ role: 'volunteer', volunteer_id: newcomer }),
    });
    expectError(self.body, 'CONFLICT');
    expect(await memberRows(newcomer, org)).toBe(0);
    expect((await ok(graph, tokens().admin, ROLE, { v: member, o: org, role: 'COORDINATOR' })).changeMembershipRole.role).toBe(
      'COORDINATOR',
    );
    await ok(graph, tokens().admin, STATUS, { id: org, status: 'EXCLUDED' });
    const excluded = await graph.query(ADD, {
      variables: { input: { volunteerId: newcomer, organizationId: org } },
      token: tokens().admin,
    });
    expectError(excluded.body, 'CONFLICT');
    expect(excluded.body.errors?.[0]?.message).toMatch(/excluded/);
    expectError((await graph.query(ROLE, { variables: { v: member, o: org, role: 'MEMBER' }, token: tokens().admin })).body, 'CONFLICT');
    expect(await memberRows(newcomer, org)).toBe(0);
    expect((await ok(graph, undefined, COUNT, { id: org })).organization.volunteerCount).toBe(1);
  });

  it('the volunteer may end their membership; a coordinator of another organization may not', async () => {
    const id = await registerVolunteer(graph, { regionCode: ASTANA, birthDate: '1997-07-07' });
    await addMember(graph, id, orgA);
    const END = `mutation ($v: ID!, $o: ID!) { endMembership(volunteerId: $v, organizationId: $o) { leftAt } }`;
    const refused = await graph.query(END, { variables: { v: id, o: orgA }, token: tokens().coordB });
    expectError(refused.body, 'FORBIDDEN');
    const before = (await ok(graph, undefined, COUNT, { id: orgA })).organization.volunteerCount;
    const data = await ok(graph, graph.token({ role: 'volunteer', volunteer_id: id }), END, { v: id, o: orgA });
    expect(data.endMembership.leftAt).toBeTruthy();
    expect((await ok(graph, undefined, COUNT, { id: orgA })).organization.volunteerCount).toBe(before - 1);
  });
});

describe('updating a volunteer', () => {
  const UPDATE = `mutation ($id: ID!, $input: UpdateVolunteerInput!) { updateVolunteer(id: $id, input: $input) { id phone region { code } } }`;

  it('the volunteer changes their phone; another volunteer may not; bad input names the argument', async () => {
    const data = await ok(graph, tokens().self, UPDATE, { id: volunteerId, input: { phone: '+7 701 555 00 11' } });
    expect(data.updateVolunteer.phone).toBe('+77015550011');
    const refused = await graph.query(UPDATE, {
      variables: { id: volunteerId, input: { phone: '+77010000000' } },
      token: tokens().otherVolunteer,
    });
    expectError(refused.body, 'FORBIDDEN');
    const bad = await graph.query(UPDATE, { variables: { id: volunteerId, input: { email: 'x' } }, token: tokens().self });
    expectError(bad.body, 'BAD_USER_INPUT', 'input.email');
    const unknown = await graph.query(UPDATE, {
      variables: { id: '00000000-0000-4000-8000-000000000002', input: { phone: '+77010000000' } },
      token: tokens().admin,
    });
    expectError(unknown.body, 'NOT_FOUND');
  });

  it('an update with nothing to change is BAD_USER_INPUT naming the input, and writes no audit entry', async () => {
    const audits = async () =>
      (await graph.db('volunteers').selectFrom('audit_log').select('id').where('entity_id', '=', volunteerId).execute()).length;
    const before = await audits();
    const empty = await graph.query(UPDATE, { variables: { id: volunteerId, input: {} }, token: tokens().self });
    expectError(empty.body, 'BAD_USER_INPUT', 'input');
    expect(empty.body.errors?.[0]?.message).toMatch(/nothing to change/);
    expect(await audits()).toBe(before);
  });

  it("front-office staff move a volunteer to another region, and both regions' counts follow", async () => {
    const id = await registerVolunteer(graph, { regionCode: ASTANA, birthDate: '1993-03-03' });
    const COUNTS = `{ a: region(code: "${ASTANA}") { volunteerCount } b: region(code: "${ALMATY}") { volunteerCount } }`;
    const before = await ok(graph, undefined, COUNTS);
    const refused = await graph.query(UPDATE, { variables: { id, input: { regionCode: ALMATY } }, token: tokens().foAlmaty });
    expectError(refused.body, 'FORBIDDEN');
    // Once moved, the volunteer is no longer Astana's to see: ask for no personal data.
    const moved = await ok(
      graph,
      tokens().foAstana,
      `mutation ($id: ID!, $input: UpdateVolunteerInput!) { updateVolunteer(id: $id, input: $input) { region { code } } }`,
      {
        id,
        input: { regionCode: ALMATY },
      },
    );
    expect(moved.updateVolunteer.region.code).toBe(ALMATY);
    const after = await ok(graph, undefined, COUNTS);
    expect(after.a.volunteerCount).toBe(before.a.volunteerCount - 1);
    expect(after.b.volunteerCount).toBe(before.b.volunteerCount + 1);
  });
});

describe('the audit log', () => {
  it('admins read who did what to a volunteer, with the request id; others may not', async () => {
    const data = await ok(
      graph,
      tokens().admin,
      `query ($id: ID!) {
      volunteersAuditLog(entityId: $id, first: 50) { nodes { action actorKind actorSubject requestId entity entityId details } }
    }`,
      { id: volunteerId },
    );
    const actions = data.volunteersAuditLog.nodes.map((n: { action: string }) => n.action);
    expect(actions).toEqual(expect.arrayContaining(['volunteer.register', 'membership.add', 'volunteer.update']));
    const update = data.volunteersAuditLog.nodes.find((n: { action: string }) => n.action === 'volunteer.update');
    expect(update).toMatchObject({ actorKind: 'volunteer', actorSubject: 'vol-self', entity: 'Volunteer', entityId: volunteerId });
    expect(update.requestId).toBeTruthy();
    expect(JSON.parse(update.details)).toEqual({ fields: ['phone'] });
    for (const token of [tokens().coordA, tokens().analyst]) {
      const { body } = await graph.query(`{ volunteersAuditLog { nodes { id } } }`, { token });
      expectError(body, 'FORBIDDEN');
    }
  });

  it('pages newest first without overlap', async () => {
    const PAGE = `query ($after: String) { volunteersAuditLog(first: 7, after: $after) { nodes { id at } pageInfo { endCursor hasNextPage } } }`;
    const first = await ok(graph, tokens().admin, PAGE);
    const second = await ok(graph, tokens().admin, PAGE, { after: first.volunteersAuditLog.pageInfo.endCursor });
    const nodes = [...first.volunteersAuditLog.nodes, ...second.volunteersAuditLog.nodes];
    expect(new Set(nodes.map((n: { id: string }) => n.id)).size).toBe(14);
    const times = nodes.map((n: { at: string }) => n.at);
    expect([...times].sort().reverse()).toEqual(times);
  });
});

describe('batching', () => {
  const LIST = `query ($first: Int, $org: ID) {
    volunteers(first: $first, filter: { organizationId: $org }) {
      nodes {
        id ageBand isAdult approvedMinutes firstName
        region { code nameEn volunteerCount }
        memberships { role organization { id name volunteerCount approvedHours { minutes } } }
        book { approvedMinutes }
        hourRecords(first: 3) { nodes { id } }
        applications(first: 3) { nodes { id } }
      }
    }
  }`;

  it('costs the same number of SQL statements for 5 and for 50 volunteers with their organizations, regions, books and pages', async () => {
    const counts: Record<number, { volunteers: number; organizations: number }> = {};
    for (const first of [5, 50]) {
      graph.resetStatements();
      const data = await ok(graph, tokens().admin, LIST, { first, org: orgBulk });
      expect(data.volunteers.nodes).toHaveLength(first);
      expect(
        data.volunteers.nodes.every(
          (n: { memberships: { organization: { name: string } }[] }) =>
            n.memberships.length === 2 && n.memberships.every((m) => m.organization.name),
        ),
      ).toBe(true);
      counts[first] = { volunteers: graph.statements('volunteers'), organizations: graph.statements('organizations') };
    }
    expect(counts[50]).toEqual(counts[5]);
    expect(counts[5]!.volunteers).toBeLessThanOrEqual(12);
  });
});
