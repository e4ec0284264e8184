import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../harness.ts';
import {
  ALMATY,
  ASTANA,
  callers,
  expectError,
  expectNoErrors,
  isoDay,
  opportunityInput,
  POST_OPPORTUNITY,
  postOpportunity,
  registerOrganization,
} from './helpers.ts';

/** Front-offices (opening, capacity history, trainings) and the lifecycle of opportunities, through the gateway. */
let graph: Graph;
let as: ReturnType<typeof callers>;
beforeAll(async () => {
  graph = await startGraph();
  as = callers(graph);
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

const OPEN_OFFICE = `
  mutation ($input: OpenFrontOfficeInput!) {
    openFrontOffice(input: $input) { id name isNational openedOn region { code } staff trainers equipmentItems capacityAsOf }
  }`;
const CAPACITY = `
  mutation ($id: ID!, $asOf: Date, $staff: Int!, $trainers: Int!, $equipmentItems: Int!) {
    recordFrontOfficeCapacity(frontOfficeId: $id, asOf: $asOf, staff: $staff, trainers: $trainers, equipmentItems: $equipmentItems) {
      asOf staff trainers equipmentItems frontOffice { staff trainers equipmentItems capacityAsOf }
    }
  }`;
const TRAINING = `
  mutation ($id: ID!, $date: Date!, $topic: String!, $people: Int!) {
    recordTraining(frontOfficeId: $id, date: $date, topic: $topic, peopleTrained: $people) { id date topic peopleTrained frontOffice { id } }
  }`;
const NATIONAL_STAFF = () => as.frontOffice('national');

describe('front-offices', () => {
  let national: string;
  let astana: string;

  beforeAll(async () => {
    const n = await graph.query(OPEN_OFFICE, {
      token: as.admin,
      variables: { input: { name: 'National Volunteer Front-Office', openedOn: '2023-01-10', staff: 20, trainers: 5, equipmentItems: 40 } },
    });
    expectNoErrors(n.body);
    national = n.body.data!.openFrontOffice.id;
    const a = await graph.query(OPEN_OFFICE, {
      token: as.admin,
      variables: {
        input: { name: 'Astana Front-Office', regionCode: ASTANA, openedOn: '2024-01-10', staff: 3, trainers: 1, equipmentItems: 5 },
      },
    });
    expectNoErrors(a.body);
    astana = a.body.data!.openFrontOffice.id;
  });

  it('an admin opens the national one and one per region; the opening capacity is the first snapshot', async () => {
    const { body } = await graph.query(
      `query ($id: ID!) {
        frontOffices { name isNational region { code } }
        frontOffice(id: $id) { openedOn staff capacityAsOf capacityHistory { nodes { asOf staff trainers equipmentItems } } }
        region(code: "${ASTANA}") { frontOffice { id } }
      }`,
      { variables: { id: astana } },
    );
    expectNoErrors(body);
    expect(body.data!.frontOffices).toEqual([
      { name: 'National Volunteer Front-Office', isNational: true, region: null },
      { name: 'Astana Front-Office', isNational: false, region: { code: ASTANA } },
    ]);
    expect(body.data!.frontOffice).toEqual({
      openedOn: '2024-01-10',
      staff: 3,
      capacityAsOf: '2024-01-10',
      capacityHistory: { nodes: [{ asOf: '2024-01-10', staff: 3, trainers: 1, equipmentItems: 5 }] },
    });
    expect(body.data!.region.frontOffice).toEqual({ id: astana });
  });

  it('a second office for a region (or a second national one) is a CONFLICT; only admins open offices; inputs are checked', async () => {
    expectError(
      (await graph.query(OPEN_OFFICE, { token: as.admin, variables: { input: { name: 'Again', regionCode: ASTANA } } })).body,
      'CONFLICT',
    );
    expectError((await graph.query(OPEN_OFFICE, { token: as.admin, variables: { input: { name: 'Again' } } })).body, 'CONFLICT');
    expectError(
      (await graph.query(OPEN_OFFICE, { token: as.frontOffice(ALMATY), variables: { input: { name: 'Mine', regionCode: ALMATY } } })).body,
      'FORBIDDEN',
    );
    expectError((await graph.query(OPEN_OFFICE, { variables: { input: { name: 'Mine', regionCode: ALMATY } } })).body, 'UNAUTHENTICATED');
    expectError(
      (await graph.query(OPEN_OFFICE, { token: as.admin, variables: { input: { name: 'X', regionCode: '000000001' } } })).body,
      'BAD_USER_INPUT',
      'input.regionCode',
    );
    expectError(
      (await graph.query(OPEN_OFFICE, { token: as.admin, variables: { input: { name: 'X', regionCode: ALMATY, openedOn: isoDay(2) } } }))
        .body,
      'BAD_USER_INPUT',
      'input.openedOn',
    );
    expectError(
      (await graph.query(OPEN_OFFICE, { token: as.admin, variables: { input: { name: 'X', regionCode: ALMATY, staff: -1 } } })).body,
      'BAD_USER_INPUT',
      'input.staff',
    );
    const { body } = await graph.query(`{ region(code: "${ALMATY}") { frontOffice { id } } }`);
    expect(body.data!.region.frontOffice).toBeNull();
  });

  it('its staff record dated capacity snapshots; the latest is the current capacity, a back-dated one only fills the history', async () => {
    const later = await graph.query(CAPACITY, {
      token: as.frontOffice(ASTANA),
      variables: { id: astana, asOf: '2025-06-01', staff: 6, trainers: 2, equipmentItems: 12 },
    });
    expectNoErrors(later.body);
    expect(later.body.data!.recordFrontOfficeCapacity).toEqual({
      asOf: '2025-06-01',
      staff: 6,
      trainers: 2,
      equipmentItems: 12,
      frontOffice: { staff: 6, trainers: 2, equipmentItems: 12, capacityAsOf: '2025-06-01' },
    });
    const backDated = await graph.query(CAPACITY, {
      token: as.admin,
      variables: { id: astana, asOf: '2024-09-01', staff: 4, trainers: 1, equipmentItems: 8 },
    });
    expectNoErrors(backDated.body);
    expect(backDated.body.data!.recordFrontOfficeCapacity.frontOffice).toEqual({
      staff: 6,
      trainers: 2,
      equipmentItems: 12,
      capacityAsOf: '2025-06-01',
    });
    const today = await graph.query(CAPACITY, {
      token: as.frontOffice(ASTANA),
      variables: { id: astana, staff: 7, trainers: 3, equipmentItems: 15 },
    });
    expectNoErrors(today.body);
    expect(today.body.data!.recordFrontOfficeCapacity.asOf).toBe(isoDay());

    // Newest first, page by page.
    const HISTORY = `query ($id: ID!, $after: String) { frontOffice(id: $id) { capacityHistory(first: 2, after: $after) { nodes { asOf staff } pageInfo { hasNextPage endCursor } } } }`;
    const page1 = (await graph.query(HISTORY, { token: as.partner, variables: { id: astana } })).body.data!.frontOffice.capacityHistory;
    expect(page1.nodes).toEqual([
      { asOf: isoDay(), staff: 7 },
      { asOf: '2025-06-01', staff: 6 },
    ]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await graph.query(HISTORY, { token: as.partner, variables: { id: astana, after: page1.pageInfo.endCursor } })).body.data!
      .frontOffice.capacityHistory;
    expect(page2.nodes).toEqual([
      { asOf: '2024-09-01', staff: 4 },
      { asOf: '2024-01-10', staff: 3 },
    ]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('a second snapshot on the same day is a CONFLICT and changes nothing', async () => {
    const variables = { id: astana, asOf: '2025-03-03', staff: 5, trainers: 2, equipmentItems: 9 };
    expectNoErrors((await graph.query(CAPACITY, { token: as.admin, variables })).body);
    const again = await graph.query(CAPACITY, { token: as.admin, variables: { ...variables, staff: 50 } });
    expectError(again.body, 'CONFLICT');
    const rows = await graph
      .db('organizations')
      .selectFrom('front_office_capacity')
      .select('staff')
      .where('front_office_id', '=', astana)
      .where('as_of', '=', '2025-03-03')
      .execute();
    expect(rows).toEqual([{ staff: 5 }]);
  });

  it('staff of another region, regional staff on the national office, coordinators and the public are refused', async () => {
    const variables = { id: astana, asOf: '2025-02-01', staff: 1, trainers: 1, equipmentItems: 1 };
    expectError((await graph.query(CAPACITY, { token: as.frontOffice(ALMATY), variables })).body, 'FORBIDDEN');
    expectError((await graph.query(CAPACITY, { token: NATIONAL_STAFF(), variables })).body, 'FORBIDDEN');
    expectError((await graph.query(CAPACITY, { token: as.coordinator(randomUUID()), variables })).body, 'FORBIDDEN');
    expectError((await graph.query(CAPACITY, { variables })).body, 'UNAUTHENTICATED');
    expectError(
      (await graph.query(CAPACITY, { token: as.frontOffice(ASTANA), variables: { ...variables, id: national } })).body,
      'FORBIDDEN',
    );
    // A front-office token without a region claim is no national staff.
    const noRegion = graph.token({ role: 'front_office' });
    expectError((await graph.query(CAPACITY, { token: noRegion, variables: { ...variables, id: national } })).body, 'FORBIDDEN');

    const ok = await graph.query(CAPACITY, { token: NATIONAL_STAFF(), variables: { ...variables, id: national } });
    expectNoErrors(ok.body);
    const rows = await graph
      .db('organizations')
      .selectFrom('front_office_capacity')
      .select('front_office_id')
      .where('as_of', '=', '2025-02-01')
      .execute();
    expect(rows).toEqual([{ front_office_id: national }]);
  });

  it('bad input is BAD_USER_INPUT naming the argument; an unknown office is NOT_FOUND', async () => {
    const base = { id: astana, asOf: '2025-04-01', staff: 1, trainers: 1, equipmentItems: 1 };
    const cases: [Record<string, unknown>, string][] = [
      [{ staff: -1 }, 'staff'],
      [{ trainers: 1_000_000 }, 'trainers'],
      [{ asOf: isoDay(3) }, 'asOf'],
      [{ asOf: '2023-12-31' }, 'asOf'], // before the office opened
      [{ id: 'office-1' }, 'frontOfficeId'],
    ];
    for (const [override, argument] of cases) {
      expectError((await graph.query(CAPACITY, { token: as.admin, variables: { ...base, ...override } })).body, 'BAD_USER_INPUT', argument);
    }
    expectError((await graph.query(CAPACITY, { token: as.admin, variables: { ...base, id: randomUUID() } })).body, 'NOT_FOUND');
  });

  it('its staff record trainings; they list newest first and add up per year', async () => {
    const trainings: [string, string, number][] = [
      ['2024-03-05', 'Introduction to volunteering', 25],
      ['2024-11-20', 'First aid', 12],
      ['2025-02-14', 'Working with older people', 18],
    ];
    for (const [date, topic, people] of trainings) {
      const { body } = await graph.query(TRAINING, { token: as.frontOffice(ASTANA), variables: { id: astana, date, topic, people } });
      expectNoErrors(body);
      expect(body.data!.recordTraining).toMatchObject({ date, topic, peopleTrained: people, frontOffice: { id: astana } });
    }
    const { body } = await graph.query(
      `query ($id: ID!) {
        frontOffice(id: $id) {
          trainings(first: 2) { nodes { date topic peopleTrained } pageInfo { hasNextPage } }
          all: trainingTotals { year trainings peopleTrained }
          y2024: trainingTotals(year: 2024) { year trainings peopleTrained }
          y2026: trainingTotals(year: 2026) { trainings peopleTrained }
        }
      }`,
      { variables: { id: astana } },
    );
    expectNoErrors(body);
    expect(body.data!.frontOffice).toEqual({
      trainings: {
        nodes: [
          { date: '2025-02-14', topic: 'Working with older people', peopleTrained: 18 },
          { date: '2024-11-20', topic: 'First aid', peopleTrained: 12 },
        ],
        pageInfo: { hasNextPage: true },
      },
      all: { year: null, trainings: 3, peopleTrained: 55 },
      y2024: { year: 2024, trainings: 2, peopleTrained: 37 },
      y2026: { trainings: 0, peopleTrained: 0 },
    });
  });

  it('trainings: other regions refused, national staff on the national office allowed, bad input named', async () => {
    const variables = { id: astana, date: '2025-05-05', topic: 'Safeguarding', people: 10 };
    expectError((await graph.query(TRAINING, { token: as.frontOffice(ALMATY), variables })).body, 'FORBIDDEN');
    expectError((await graph.query(TRAINING, { token: as.volunteer, variables })).body, 'FORBIDDEN');
    expectNoErrors((await graph.query(TRAINING, { token: NATIONAL_STAFF(), variables: { ...variables, id: national } })).body);
    const cases: [Record<string, unknown>, string][] = [
      [{ people: 0 }, 'peopleTrained'],
      [{ date: isoDay(1) }, 'date'],
      [{ date: '2023-05-05' }, 'date'], // before the office opened
      [{ topic: '  ' }, 'topic'],
      [{ id: '123' }, 'frontOfficeId'],
    ];
    for (const [override, argument] of cases) {
      expectError(
        (await graph.query(TRAINING, { token: as.admin, variables: { ...variables, ...override } })).body,
        'BAD_USER_INPUT',
        argument,
      );
    }
    expectError((await graph.query(TRAINING, { token: as.admin, variables: { ...variables, id: randomUUID() } })).body, 'NOT_FOUND');
    const count = await graph
      .db('organizations')
      .selectFrom('front_office_trainings')
      .select('id')
      .where('held_on', '=', '2025-05-05')
      .execute();
    expect(count).toHaveLength(1);
  });

  it('an unknown front-office id is null; a malformed one BAD_USER_INPUT', async () => {
    expect((await graph.query(`query ($id: ID!) { frontOffice(id: $id) { id } }`, { variables: { id: randomUUID() } })).body.data).toEqual({
      frontOffice: null,
    });
    expectError((await graph.query(`{ frontOffice(id: "nope") { id } }`)).body, 'BAD_USER_INPUT', 'id');
  });
});

describe('opportunities', () => {
  const MOVE = (name: 'openOpportunity' | 'closeOpportunity') =>
    `mutation ($id: ID!) { ${name}(id: $id) { id status statusChangedAt acceptingApplications } }`;
  const CANCEL = `mutation ($id: ID!, $reason: String!) { cancelOpportunity(id: $id, reason: $reason) { id status statusReason } }`;
  const UPDATE = `mutation ($id: ID!, $input: UpdateOpportunityInput!) {
    updateOpportunity(id: $id, input: $input) { title place placesAvailable startsOn endsOn minimumAge minorRestricted skillsNeeded region { code } }
  }`;
  let org: string;
  let coordinator: string;
  beforeAll(async () => {
    org = await registerOrganization(graph, { name: 'Opportunity Org', regionCode: ASTANA });
    coordinator = as.coordinator(org);
  });

  it('a coordinator of the organization posts a draft; others are refused; bad input names the argument', async () => {
    const posted = await graph.query(POST_OPPORTUNITY, { token: coordinator, variables: { input: opportunityInput(org) } });
    expectNoErrors(posted.body);
    expect(posted.body.data!.postOpportunity).toMatchObject({ status: 'DRAFT', title: 'Park clean-up', organization: { id: org } });

    expectError(
      (await graph.query(POST_OPPORTUNITY, { token: as.coordinator(randomUUID()), variables: { input: opportunityInput(org) } })).body,
      'FORBIDDEN',
    );
    expectError(
      (await graph.query(POST_OPPORTUNITY, { token: as.frontOffice(ASTANA), variables: { input: opportunityInput(org) } })).body,
      'FORBIDDEN',
    );
    expectError((await graph.query(POST_OPPORTUNITY, { variables: { input: opportunityInput(org) } })).body, 'UNAUTHENTICATED');

    const cases: [Record<string, unknown>, string][] = [
      [{ startsOn: '2030-05-10', endsOn: '2030-05-09' }, 'input.endsOn'],
      [{ startsOn: '2999-01-01', endsOn: '2999-01-02' }, 'input.endsOn'], // centuries ahead: a typing mistake
      [{ regionCode: '710000001' }, 'input.regionCode'],
      [{ minorRestricted: true, minimumAge: 16 }, 'input.minimumAge'],
      [{ placesAvailable: 0 }, 'input.placesAvailable'],
      [{ title: '' }, 'input.title'],
      [{ title: 'Park\nclean-up' }, 'input.title'], // a title is one line
      [{ title: 'Park \u202Epu-naelc' }, 'input.title'], // a right-to-left override shows other text than it holds
      [{ organizationId: 'org-1' }, 'input.organizationId'],
    ];
    for (const [override, argument] of cases) {
      const { body } = await graph.query(POST_OPPORTUNITY, { token: as.admin, variables: { input: opportunityInput(org, override) } });
      expectError(body, 'BAD_USER_INPUT', argument);
    }
    expectError(
      (await graph.query(POST_OPPORTUNITY, { token: as.admin, variables: { input: opportunityInput(randomUUID()) } })).body,
      'NOT_FOUND',
    );
  });

  it('a draft is seen only by its coordinators and admins; once open, by everyone', async () => {
    const id = await postOpportunity(graph, org, { title: 'Secret draft' });
    const LOOK = `query ($id: ID!, $org: ID!) {
      opportunity(id: $id) { title }
      opportunities(first: 100, filter: { organizationId: $org }) { nodes { id } }
      organization(id: $org) { opportunities(first: 100) { nodes { id } } }
    }`;
    const sees = async (token?: string) => {
      const { body } = await graph.query(LOOK, { ...(token ? { token } : {}), variables: { id, org } });
      expectNoErrors(body);
      const inList = body.data!.opportunities.nodes.some((n: { id: string }) => n.id === id);
      const inOrg = body.data!.organization.opportunities.nodes.some((n: { id: string }) => n.id === id);
      expect(inList).toBe(inOrg);
      expect(body.data!.opportunity !== null).toBe(inList);
      return inList;
    };
    expect(await sees(coordinator)).toBe(true);
    expect(await sees(as.admin)).toBe(true);
    expect(await sees()).toBe(false);
    expect(await sees(as.coordinator(randomUUID()))).toBe(false);
    expect(await sees(as.partner)).toBe(false);
    expectNoErrors((await graph.query(MOVE('openOpportunity'), { token: coordinator, variables: { id } })).body);
    expect(await sees()).toBe(true);
  });

  it('moves DRAFT → OPEN → CLOSED, by its coordinator; any other move is a CONFLICT', async () => {
    const id = await postOpportunity(graph, org);
    const opened = await graph.query(MOVE('openOpportunity'), { token: coordinator, variables: { id } });
    expectNoErrors(opened.body);
    expect(opened.body.data!.openOpportunity).toMatchObject({ status: 'OPEN', acceptingApplications: true });
    expectError((await graph.query(MOVE('openOpportunity'), { token: coordinator, variables: { id } })).body, 'CONFLICT');

    expectError(
      (await graph.query(MOVE('closeOpportunity'), { token: as.coordinator(randomUUID()), variables: { id } })).body,
      'FORBIDDEN',
    );
    const closed = await graph.query(MOVE('closeOpportunity'), { token: coordinator, variables: { id } });
    expectNoErrors(closed.body);
    expect(closed.body.data!.closeOpportunity).toMatchObject({ status: 'CLOSED', acceptingApplications: false });

    expectError((await graph.query(MOVE('openOpportunity'), { token: coordinator, variables: { id } })).body, 'CONFLICT');
    expectError((await graph.query(MOVE('closeOpportunity'), { token: coordinator, variables: { id } })).body, 'CONFLICT');
    expectError((await graph.query(CANCEL, { token: coordinator, variables: { id, reason: 'Too late' } })).body, 'CONFLICT');
    expectError((await graph.query(UPDATE, { token: coordinator, variables: { id, input: { title: 'Renamed' } } })).body, 'CONFLICT');

    const draft = await postOpportunity(graph, org);
    expectError((await graph.query(MOVE('closeOpportunity'), { token: coordinator, variables: { id: draft } })).body, 'CONFLICT');
  });

  it('cancels a draft or an open one with the reason; a cancelled one moves no more', async () => {
    const draft = await postOpportunity(graph, org);
    const open = await postOpportunity(graph, org, { open: true });
    for (const id of [draft, open]) {
      const { body } = await graph.query(CANCEL, { token: coordinator, variables: { id, reason: 'Storm warning' } });
      expectNoErrors(body);
      expect(body.data!.cancelOpportunity).toEqual({ id, status: 'CANCELLED', statusReason: 'Storm warning' });
    }
    expectError((await graph.query(MOVE('openOpportunity'), { token: coordinator, variables: { id: draft } })).body, 'CONFLICT');
    expectError((await graph.query(CANCEL, { token: coordinator, variables: { id: open, reason: 'Again' } })).body, 'CONFLICT');
    const fresh = await postOpportunity(graph, org);
    expectError((await graph.query(CANCEL, { token: coordinator, variables: { id: fresh, reason: '' } })).body, 'BAD_USER_INPUT', 'reason');
    expectError((await graph.query(CANCEL, { token: as.volunteer, variables: { id: fresh, reason: 'No' } })).body, 'FORBIDDEN');
  });

  it('unknown ids are NOT_FOUND for every move; malformed ones BAD_USER_INPUT', async () => {
    const unknown = randomUUID();
    expectError((await graph.query(MOVE('openOpportunity'), { token: as.admin, variables: { id: unknown } })).body, 'NOT_FOUND');
    expectError((await graph.query(MOVE('closeOpportunity'), { token: as.admin, variables: { id: unknown } })).body, 'NOT_FOUND');
    expectError((await graph.query(CANCEL, { token: as.admin, variables: { id: unknown, reason: 'x' } })).body, 'NOT_FOUND');
    expectError((await graph.query(UPDATE, { token: as.admin, variables: { id: unknown, input: { title: 'x' } } })).body, 'NOT_FOUND');
    expectError((await graph.query(MOVE('openOpportunity'), { token: as.admin, variables: { id: 'x1' } })).body, 'BAD_USER_INPUT', 'id');
    expectError(
      (await graph.query(UPDATE, { token: as.admin, variables: { id: 'x1', input: { title: 'x' } } })).body,
      'BAD_USER_INPUT',
      'id',
    );
    expect((await graph.query(`query ($id: ID!) { opportunity(id: $id) { id } }`, { variables: { id: unknown } })).body.data).toEqual({
      opportunity: null,
    });
  });

  it('its coordinator updates the fields given, leaving the rest; the rules hold on the merged result', async () => {
    const id = await postOpportunity(graph, org, { open: true });
    const { body } = await graph.query(UPDATE, {
      token: coordinator,
      variables: {
        id,
        input: {
          title: 'River clean-up',
          place: null,
          placesAvailable: 45,
          skillsNeeded: ['lifting', 'lifting', 'first aid'],
          regionCode: ALMATY,
        },
      },
    });
    expectNoErrors(body);
    expect(body.data!.updateOpportunity).toEqual({
      title: 'River clean-up',
      place: null,
      placesAvailable: 45,
      startsOn: '2030-05-01',
      endsOn: '2030-05-02',
      minimumAge: 14,
      minorRestricted: false,
      skillsNeeded: ['lifting', 'first aid'],
      region: { code: ALMATY },
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ endsOn: '2030-04-30' }, 'input.endsOn'], // before the stored start
      [{ minorRestricted: true }, 'input.minimumAge'], // the stored minimum age is 14
      [{ title: null }, 'input.title'],
      [{ regionCode: '123' }, 'input.regionCode'],
      [{}, 'input'],
    ];
    for (const [input, argument] of cases) {
      expectError((await graph.query(UPDATE, { token: coordinator, variables: { id, input } })).body, 'BAD_USER_INPUT', argument);
    }
    expectError(
      (await graph.query(UPDATE, { token: as.coordinator(randomUUID()), variables: { id, input: { title: 'Hijacked' } } })).body,
      'FORBIDDEN',
    );
    const after = await graph.query(`query ($id: ID!) { opportunity(id: $id) { title minorRestricted } }`, { variables: { id } });
    expect(after.body.data!.opportunity).toEqual({ title: 'River clean-up', minorRestricted: false });
    const both = await graph.query(UPDATE, { token: coordinator, variables: { id, input: { minorRestricted: true, minimumAge: 18 } } });
    expectNoErrors(both.body);
    expect(both.body.data!.updateOpportunity).toMatchObject({ minorRestricted: true, minimumAge: 18 });
  });

  it('a suspended organization may not post or open opportunities, and its open ones stop accepting applications', async () => {
    const suspended = await registerOrganization(graph, { regionCode: ASTANA });
    const open = await postOpportunity(graph, suspended, { open: true });
    const draft = await postOpportunity(graph, suspended);
    expectNoErrors(
      (
        await graph.query(`mutation ($id: ID!) { changeOrganizationStatus(id: $id, status: SUSPENDED, reason: "Inspection") { id } }`, {
          token: as.frontOffice(ASTANA),
          variables: { id: suspended },
        })
      ).body,
    );
    const token = as.coordinator(suspended);
    expectError((await graph.query(POST_OPPORTUNITY, { token, variables: { input: opportunityInput(suspended) } })).body, 'CONFLICT');
    expectError((await graph.query(MOVE('openOpportunity'), { token, variables: { id: draft } })).body, 'CONFLICT');
    const { body } = await graph.query(`query ($id: ID!) { opportunity(id: $id) { status acceptingApplications } }`, {
      variables: { id: open },
    });
    expect(body.data!.opportunity).toEqual({ status: 'OPEN', acceptingApplications: false });
    // Winding down stays possible.
    expectNoErrors((await graph.query(MOVE('closeOpportunity'), { token, variables: { id: open } })).body);
  });

  it('two coordinators closing the same opportunity at once: exactly one wins', async () => {
    const id = await postOpportunity(graph, org, { open: true });
    const results = await Promise.all(
      [0, 1, 2].map(() => graph.query(MOVE('closeOpportunity'), { token: coordinator, variables: { id } })),
    );
    expect(results.map((r) => r.body.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
    const audits = await graph.db('organizations').selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['opportunity.close', 'opportunity.post']);
  });

  it('excluding an organization while its coordinator opens a draft: one order or the other, never an error or an open opportunity left', async () => {
    for (let round = 0; round < 5; round++) {
      const excluded = await registerOrganization(graph, { regionCode: ASTANA });
      const draft = await postOpportunity(graph, excluded);
      const [exclusion, opening] = await Promise.all([
        graph.query(`mutation ($id: ID!) { changeOrganizationStatus(id: $id, status: EXCLUDED, reason: "Race") { status } }`, {
          token: as.admin,
          variables: { id: excluded },
        }),
        graph.query(MOVE('openOpportunity'), { token: as.coordinator(excluded), variables: { id: draft } }),
      ]);
      expectNoErrors(exclusion.body);
      expect(opening.body.errors?.[0]?.extensions?.code ?? 'OK').toMatch(/^(OK|CONFLICT)$/);
      const { body } = await graph.query(`query ($id: ID!) { opportunity(id: $id) { status } }`, {
        token: as.admin,
        variables: { id: draft },
      });
      expect(body.data!.opportunity.status).toBe('CANCELLED');
    }
  });

  it('lists filter by region, status and organization, page by page', async () => {
    const listOrg = await registerOrganization(graph, { regionCode: ALMATY });
    const ids = [
      await postOpportunity(graph, listOrg, { open: true, startsOn: '2031-01-01', endsOn: '2031-01-02', regionCode: ALMATY }),
      await postOpportunity(graph, listOrg, { open: true, startsOn: '2031-02-01', endsOn: '2031-02-02', regionCode: ALMATY }),
      await postOpportunity(graph, listOrg, { open: true, startsOn: '2031-03-01', endsOn: '2031-03-02', regionCode: ASTANA }),
    ];
    const LIST = `query ($after: String, $filter: OpportunityFilter) {
      opportunities(first: 2, after: $after, filter: $filter) { nodes { id } pageInfo { hasNextPage endCursor } }
    }`;
    const first = (await graph.query(LIST, { variables: { filter: { organizationId: listOrg, status: 'OPEN' } } })).body.data!
      .opportunities;
    expect(first.nodes.map((n: { id: string }) => n.id)).toEqual(ids.slice(0, 2));
    const second = (
      await graph.query(LIST, { variables: { after: first.pageInfo.endCursor, filter: { organizationId: listOrg, status: 'OPEN' } } })
    ).body.data!.opportunities;
    expect(second).toEqual({ nodes: [{ id: ids[2] }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });
    const almaty = (await graph.query(LIST, { variables: { filter: { organizationId: listOrg, regionCode: ALMATY } } })).body.data!
      .opportunities;
    expect(almaty.nodes.map((n: { id: string }) => n.id)).toEqual(ids.slice(0, 2));
    expectError(
      (await graph.query(LIST, { variables: { filter: { regionCode: '999999999' } } })).body,
      'BAD_USER_INPUT',
      'filter.regionCode',
    );
    expectError((await graph.query(LIST, { variables: { after: 'garbage' } })).body, 'BAD_USER_INPUT', 'after');
    expectError((await graph.query(`{ opportunities(first: 101) { nodes { id } } }`)).body, 'BAD_USER_INPUT', 'first');
  });

  it('every change is in the audit log with the caller', async () => {
    const id = await postOpportunity(graph, org);
    await graph.query(MOVE('openOpportunity'), { token: coordinator, variables: { id } });
    await graph.query(CANCEL, { token: coordinator, variables: { id, reason: 'Venue lost' } });
    const { body } = await graph.query(`query ($id: ID!) { organizationsAuditLog(entityId: $id) { nodes { action actorKind details } } }`, {
      token: as.admin,
      variables: { id },
    });
    expectNoErrors(body);
    const nodes = body.data!.organizationsAuditLog.nodes;
    expect(nodes.map((n: { action: string }) => n.action)).toEqual(['opportunity.cancel', 'opportunity.open', 'opportunity.post']);
    expect(nodes[0].actorKind).toBe('coordinator');
    expect(JSON.parse(nodes[0].details)).toEqual({ from: 'OPEN', to: 'CANCELLED', reason: 'Venue lost' });
  });
});
