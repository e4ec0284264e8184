import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../harness.ts';
import { calendarDay } from '../../subgraphs/kit/index.ts';
import {
  addMember,
  ALMATY,
  ASTANA,
  errorAt,
  expectError,
  ok,
  outsidePartnerContract,
  postOpportunity,
  registerOrganization,
  registerVolunteer,
  withoutContracts,
} from './helpers.ts';

/**
 * Applications to opportunities and the accounting of hours: each rule with a
 * caller that may and one that may not; decisions that race; corrections; and
 * totals that agree with a recount of the raw records.
 */
let graph: Graph;
let orgA: string; // Astana
let orgB: string; // Almaty
let adult1: string;
let adult2: string;
let adult3: string;
let minor16: string;
let child12: string;
let memberB: string; // Almaty, member of orgB
let oppOpen: string; // orgA, 2 places, 16+
let oppRestricted: string; // orgA, minors barred
let oppAdults: string; // orgA, 18+
let oppDraft: string; // orgA, not open
let oppKids: string; // orgA, 10+
let oppB: string; // orgB, 14+

const t = () => ({
  admin: graph.token({ role: 'admin', sub: 'admin-1' }),
  coordA: graph.token({ role: 'coordinator', org: [orgA], sub: 'coord-a' }),
  coordB: graph.token({ role: 'coordinator', org: [orgB], sub: 'coord-b' }),
  foAstana: graph.token({ role: 'front_office', region: ASTANA, sub: 'fo-astana' }),
  analyst: graph.token({ role: 'analyst', sub: 'analyst-1' }),
  partner: graph.token({ role: 'partner', partner_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', sub: 'partner-1' }),
  volunteer: (id: string) => graph.token({ role: 'volunteer', volunteer_id: id, sub: `vol-${id}` }),
});

beforeAll(async () => {
  graph = await startGraph();
  orgA = await registerOrganization(graph, ASTANA, 'Astana Youth Centre');
  orgB = await registerOrganization(graph, ALMATY, 'Almaty Care');
  adult1 = await registerVolunteer(graph, { firstName: "D'Artagnan <b>", lastName: 'Omarov & Sons', birthDate: '1990-01-15', sex: 'MALE' });
  adult2 = await registerVolunteer(graph, { birthDate: '1985-02-20', sex: 'FEMALE' });
  adult3 = await registerVolunteer(graph, { birthDate: '1978-03-25', sex: 'MALE' });
  minor16 = await registerVolunteer(graph, { birthDate: '2010-03-03', sex: 'FEMALE' });
  child12 = await registerVolunteer(graph, {
    birthDate: '2014-06-06',
    sex: 'MALE',
    guardianConsent: { guardianName: 'Asel Ibraimova', givenOn: '2026-01-10' },
  });
  for (const id of [adult1, adult2, adult3, minor16, child12]) await addMember(graph, id, orgA);
  memberB = await registerVolunteer(graph, { regionCode: ALMATY, birthDate: '1987-04-04' });
  await addMember(graph, memberB, orgB);
  oppOpen = await postOpportunity(graph, orgA, { placesAvailable: 2, minimumAge: 16, title: 'Library reading hour' });
  oppRestricted = await postOpportunity(graph, orgA, { minimumAge: 18, minorRestricted: true, title: 'Flood response' });
  oppAdults = await postOpportunity(graph, orgA, { minimumAge: 18 });
  oppDraft = await postOpportunity(graph, orgA, { open: false });
  oppKids = await postOpportunity(graph, orgA, { minimumAge: 10 });
  oppB = await postOpportunity(graph, orgB, { minimumAge: 14, title: 'Care home visits' });
}, 300_000);

afterAll(async () => {
  await graph?.close();
});

const APPLY = `mutation ($input: ApplyToOpportunityInput!) { applyToOpportunity(input: $input) { id status volunteer { id } opportunity { id } organization { id } } }`;
const DECIDE_APP = `mutation ($id: ID!, $decision: ApplicationDecision!) { decideApplication(id: $id, decision: $decision) { id status decidedBy } }`;
const WITHDRAW = `mutation ($id: ID!) { withdrawApplication(id: $id) { id status } }`;
const COUNTS = `query ($id: ID!) { opportunity(id: $id) { applicantCount acceptedCount } }`;

async function apply(volunteerId: string, opportunityId: string) {
  return graph.query(APPLY, { variables: { input: { opportunityId } }, token: t().volunteer(volunteerId) });
}

describe('applications', () => {
  let app1: string;
  let app2: string;
  let app3: string;

  it('a volunteer applies to an open opportunity; a second application is a CONFLICT', async () => {
    const { body } = await apply(adult1, oppOpen);
    expect(body.data?.applyToOpportunity).toMatchObject({
      status: 'PENDING',
      volunteer: { id: adult1 },
      opportunity: { id: oppOpen },
      organization: { id: orgA },
    });
    app1 = body.data!.applyToOpportunity.id;
    expectError((await apply(adult1, oppOpen)).body, 'CONFLICT');
    expect((await ok(graph, undefined, COUNTS, { id: oppOpen })).opportunity).toEqual({ applicantCount: 1, acceptedCount: 0 });
  });

  it('refuses an opportunity that is not open, and an unknown one', async () => {
    expectError((await apply(adult1, oppDraft)).body, 'CONFLICT');
    expectError((await apply(adult1, '00000000-0000-4000-8000-00000000000a')).body, 'NOT_FOUND');
    expectError((await apply(adult1, 'nope')).body, 'BAD_USER_INPUT', 'input.opportunityId');
  });

  it('a minor never joins a minor-restricted opportunity; an adult does', async () => {
    const refused = await apply(minor16, oppRestricted);
    expectError(refused.body, 'BAD_USER_INPUT', 'input.opportunityId');
    expect(refused.body.errors?.[0]?.message).toMatch(/minors/);
    expect((await apply(adult2, oppRestricted)).body.data?.applyToOpportunity.status).toBe('PENDING');
  });

  it("the volunteer's age must meet the minimum; an under-14 with consent joins one open to them", async () => {
    const refused = await apply(minor16, oppAdults);
    expectError(refused.body, 'BAD_USER_INPUT', 'input.opportunityId');
    expect(refused.body.errors?.[0]?.message).toMatch(/minimum age is 18/);
    expect((await apply(minor16, oppOpen)).body.data?.applyToOpportunity.status).toBe('PENDING');
    expect((await apply(child12, oppKids)).body.data?.applyToOpportunity.status).toBe('PENDING');
    expectError((await apply(child12, oppOpen)).body, 'BAD_USER_INPUT', 'input.opportunityId');
  });

  it('a volunteer applies only for themself; the public not at all', async () => {
    const other = await graph.query(APPLY, {
      variables: { input: { opportunityId: oppKids, volunteerId: adult3 } },
      token: t().volunteer(adult1),
    });
    expectError(other.body, 'FORBIDDEN');
    const anonymous = await graph.query(APPLY, { variables: { input: { opportunityId: oppKids } } });
    expectError(anonymous.body, 'UNAUTHENTICATED');
  });

  it('a coordinator of the organization decides; a coordinator of another may not; a decided one is a CONFLICT', async () => {
    expectError((await graph.query(DECIDE_APP, { variables: { id: app1, decision: 'ACCEPT' }, token: t().coordB })).body, 'FORBIDDEN');
    expectError(
      (await graph.query(DECIDE_APP, { variables: { id: app1, decision: 'ACCEPT' }, token: t().volunteer(adult1) })).body,
      'FORBIDDEN',
    );
    const data = await ok(graph, t().coordA, DECIDE_APP, { id: app1, decision: 'ACCEPT' });
    expect(data.decideApplication).toMatchObject({ status: 'ACCEPTED', decidedBy: 'coord-a' });
    expectError((await graph.query(DECIDE_APP, { variables: { id: app1, decision: 'REJECT' }, token: t().coordA })).body, 'CONFLICT');
  });

  it('places are counted from accepted applications: the last place goes once', async () => {
    app2 = (await apply(adult2, oppOpen)).body.data!.applyToOpportunity.id;
    app3 = (await apply(adult3, oppOpen)).body.data!.applyToOpportunity.id;
    await ok(graph, t().coordA, DECIDE_APP, { id: app2, decision: 'ACCEPT' });
    expectError((await graph.query(DECIDE_APP, { variables: { id: app3, decision: 'ACCEPT' }, token: t().coordA })).body, 'CONFLICT');
    expect((await ok(graph, undefined, COUNTS, { id: oppOpen })).opportunity).toEqual({ applicantCount: 4, acceptedCount: 2 });
    // Full: a new application is refused at once.
    const late = await registerVolunteer(graph, { birthDate: '1980-10-10' });
    expectError((await apply(late, oppOpen)).body, 'CONFLICT');
    // The organizations subgraph asks for the places taken before it lets them shrink.
    const shrink = `mutation ($id: ID!, $places: Int!) { updateOpportunity(id: $id, input: { placesAvailable: $places }) { placesAvailable } }`;
    const refused = await graph.query(shrink, { variables: { id: oppOpen, places: 1 }, token: t().coordA });
    expectError(refused.body, 'CONFLICT', 'input.placesAvailable');
    expect(refused.body.errors?.[0]?.message).toMatch(/2 places are already taken/);
    expect(
      (await ok(graph, undefined, `query ($id: ID!) { opportunity(id: $id) { placesAvailable } }`, { id: oppOpen })).opportunity
        .placesAvailable,
    ).toBe(2);
  });

  it('the volunteer withdraws an accepted application, freeing its place; a coordinator may not withdraw for them', async () => {
    expectError((await graph.query(WITHDRAW, { variables: { id: app2 }, token: t().coordA })).body, 'FORBIDDEN');
    expect((await ok(graph, t().volunteer(adult2), WITHDRAW, { id: app2 })).withdrawApplication.status).toBe('WITHDRAWN');
    expect((await ok(graph, undefined, COUNTS, { id: oppOpen })).opportunity).toEqual({ applicantCount: 3, acceptedCount: 1 });
    expect((await ok(graph, t().coordA, DECIDE_APP, { id: app3, decision: 'ACCEPT' })).decideApplication.status).toBe('ACCEPTED');
    expectError((await graph.query(WITHDRAW, { variables: { id: app2 }, token: t().volunteer(adult2) })).body, 'CONFLICT');
  });

  it('while the organizations service is down, an application is refused as SERVICE_UNAVAILABLE naming it, and nothing is written', async () => {
    const volunteer = await registerVolunteer(graph, { birthDate: '1984-02-02' });
    const opportunity = await postOpportunity(graph, orgA, { minimumAge: 18 });
    await graph.stopSubgraph('organizations');
    try {
      const refused = await apply(volunteer, opportunity);
      expect(refused.body.errors?.[0]?.extensions, JSON.stringify(refused.body.errors)).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        service: 'organizations',
      });
      expect(refused.body.errors?.[0]?.message).toMatch(/nothing was written/);
    } finally {
      await graph.restartSubgraph('organizations');
    }
    expect((await ok(graph, undefined, COUNTS, { id: opportunity })).opportunity).toEqual({ applicantCount: 0, acceptedCount: 0 });
    expect((await apply(volunteer, opportunity)).body.data?.applyToOpportunity.status).toBe('PENDING');
  });

  it('a closed opportunity takes no applications', async () => {
    await ok(graph, t().coordB, `mutation ($id: ID!) { closeOpportunity(id: $id) { status } }`, { id: oppB });
    expectError((await apply(adult1, oppB)).body, 'CONFLICT');
  });

  it('an open opportunity that has ended takes no applications: CONFLICT naming the reason, nothing written', async () => {
    const ended = await postOpportunity(graph, orgA, { startsOn: '2026-01-05', endsOn: '2026-01-31', title: 'Winter book drive' });
    expect(
      (await ok(graph, undefined, `query ($id: ID!) { opportunity(id: $id) { status acceptingApplications } }`, { id: ended })).opportunity,
    ).toEqual({ status: 'OPEN', acceptingApplications: false });
    const refused = await apply(adult1, ended);
    expectError(refused.body, 'CONFLICT');
    expect(refused.body.errors?.[0]?.message).toMatch(/not accepting applications: it ended on 2026-01-31/);
    expect((await ok(graph, undefined, COUNTS, { id: ended })).opportunity).toEqual({ applicantCount: 0, acceptedCount: 0 });
  });

  it('a pending application to an opportunity that has ended meanwhile cannot be accepted (CONFLICT); it can still be rejected', async () => {
    const opportunity = await postOpportunity(graph, orgA, { minimumAge: 18 });
    const first = (await apply(adult1, opportunity)).body.data!.applyToOpportunity.id;
    const second = (await apply(adult2, opportunity)).body.data!.applyToOpportunity.id;
    const yesterday = calendarDay(-1);
    await ok(graph, t().coordA, `mutation ($id: ID!, $endsOn: Date!) { updateOpportunity(id: $id, input: { endsOn: $endsOn }) { id } }`, {
      id: opportunity,
      endsOn: yesterday,
    });
    const refused = await graph.query(DECIDE_APP, { variables: { id: first, decision: 'ACCEPT' }, token: t().coordA });
    expectError(refused.body, 'CONFLICT');
    expect(refused.body.errors?.[0]?.message).toMatch(/not accepting applications: it ended/);
    expect((await ok(graph, undefined, COUNTS, { id: opportunity })).opportunity).toEqual({ applicantCount: 2, acceptedCount: 0 });
    expect((await ok(graph, t().coordA, DECIDE_APP, { id: second, decision: 'REJECT' })).decideApplication.status).toBe('REJECTED');
  });

  it('an opportunity of a suspended organization takes no applications and accepts none until the organization is reinstated', async () => {
    const org = await registerOrganization(graph, ASTANA, 'Astana Paused Society');
    const opportunity = await postOpportunity(graph, org, { minimumAge: 18 });
    const coordinator = graph.token({ role: 'coordinator', org: [org], sub: 'coord-paused' });
    const pending = (await apply(adult3, opportunity)).body.data!.applyToOpportunity.id;
    const STATUS = `mutation ($id: ID!, $status: RegistryStatus!) { changeOrganizationStatus(id: $id, status: $status, reason: "Annual report") { status } }`;
    await ok(graph, t().admin, STATUS, { id: org, status: 'SUSPENDED' });
    const refused = await apply(adult1, opportunity);
    expectError(refused.body, 'CONFLICT');
    expect(refused.body.errors?.[0]?.message).toMatch(/not accepting applications: its organization is suspended/);
    const notAccepted = await graph.query(DECIDE_APP, { variables: { id: pending, decision: 'ACCEPT' }, token: coordinator });
    expectError(notAccepted.body, 'CONFLICT');
    expect(notAccepted.body.errors?.[0]?.message).toMatch(/suspended/);
    expect((await ok(graph, undefined, COUNTS, { id: opportunity })).opportunity).toEqual({ applicantCount: 1, acceptedCount: 0 });
    await ok(graph, t().admin, STATUS, { id: org, status: 'REGISTERED' });
    expect((await ok(graph, coordinator, DECIDE_APP, { id: pending, decision: 'ACCEPT' })).decideApplication.status).toBe('ACCEPTED');
  });

  it("an opportunity's applications are listed to its coordinators, not to others; its counts to anyone", async () => {
    const LIST = `query ($id: ID!) { opportunity(id: $id) { title applicantCount applications(first: 10) { nodes { id status volunteer { id } } } } }`;
    const data = await ok(graph, t().coordA, LIST, { id: oppOpen });
    expect(data.opportunity.title).toBe('Library reading hour');
    expect(data.opportunity.applications.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining([app1, app2, app3]));
    const refused = await graph.query(LIST, { variables: { id: oppOpen }, token: t().coordB });
    expect(refused.body.data?.opportunity?.applicantCount).toBe(3);
    expect(errorAt(refused.body, ['opportunity', 'applications'])?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a coordinator sees the personal data of a volunteer who applied to their organization, not before', async () => {
    const volunteer = await registerVolunteer(graph, { firstName: 'Yerlan', birthDate: '1991-05-05', sex: 'MALE' });
    const oppB2 = await postOpportunity(graph, orgB, { minimumAge: 14 });
    const Q = `query ($id: ID!) { volunteer(id: $id) { firstName } }`;
    const before = await graph.query(Q, { variables: { id: volunteer }, token: t().coordB });
    expect(errorAt(before.body, ['volunteer', 'firstName'])?.extensions?.code).toBe('FORBIDDEN');
    expect((await apply(volunteer, oppB2)).body.data?.applyToOpportunity.status).toBe('PENDING');
    expect((await ok(graph, t().coordB, Q, { id: volunteer })).volunteer.firstName).toBe('Yerlan');
  });
});

const LOG = `mutation ($input: LogHoursInput!) { logHours(input: $input) { id status source minutes volunteer { id } decidedBy } }`;
const DECIDE = `mutation ($ids: [ID!]!, $decision: HourDecision!, $reason: String) {
  decideHourRecords(ids: $ids, decision: $decision, reason: $reason) { id status decidedBy reason }
}`;
const VOID = `mutation ($id: ID!, $reason: String!, $replacement: CorrectionInput) {
  voidHourRecord(id: $id, reason: $reason, replacement: $replacement) {
    voided { id status voidedBy voidReason decidedBy replacedBy { id } }
    replacement { id status source minutes replaces { id } }
  }
}`;

function work(change: Record<string, unknown> = {}) {
  return {
    organizationId: orgA,
    date: '2026-10-05',
    minutes: 120,
    regionCode: ASTANA,
    activityType: 'TEACHING_TUTORING',
    direction: 'BILIM',
    ...change,
  };
}

async function logHours(token: string, input: Record<string, unknown>) {
  return graph.query(LOG, { variables: { input }, token });
}

async function logged(token: string, input: Record<string, unknown>): Promise<string> {
  const { body } = await logHours(token, input);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.logHours.id as string;
}

describe('hour records', () => {
  it("a volunteer's own record waits; a coordinator's is approved on entry; a front-office entry waits as KIOSK", async () => {
    const own = await logHours(t().volunteer(adult1), work());
    expect(own.body.data?.logHours).toMatchObject({ status: 'PENDING', source: 'SELF', volunteer: { id: adult1 }, decidedBy: null });
    const byCoordinator = await logHours(t().coordA, work({ volunteerId: adult2 }));
    expect(byCoordinator.body.data?.logHours).toMatchObject({ status: 'APPROVED', source: 'COORDINATOR', decidedBy: 'coord-a' });
    const byFrontOffice = await logHours(t().foAstana, work({ volunteerId: adult3 }));
    expect(byFrontOffice.body.data?.logHours).toMatchObject({ status: 'PENDING', source: 'KIOSK' });
  });

  it('refuses a coordinator of another organization, another volunteer, and the public', async () => {
    expectError((await logHours(t().coordB, work({ volunteerId: adult2 }))).body, 'FORBIDDEN');
    expectError((await logHours(t().volunteer(adult1), work({ volunteerId: adult2 }))).body, 'FORBIDDEN');
    expectError((await graph.query(LOG, { variables: { input: work({ volunteerId: adult2 }) } })).body, 'UNAUTHENTICATED');
  });

  it('validates the date, the duration, the region and the link to the organization', async () => {
    const tomorrow = calendarDay(1);
    const cases: [Record<string, unknown>, string][] = [
      [{ date: tomorrow }, 'input.date'],
      [{ minutes: 0 }, 'input.minutes'],
      [{ minutes: 1441 }, 'input.minutes'],
      [{ regionCode: '123' }, 'input.regionCode'],
      [{ organizationId: orgB }, 'input.organizationId'], // not a member, not accepted
      [{ opportunityId: oppB }, 'input.opportunityId'], // another organization's opportunity
    ];
    for (const [change, argument] of cases) {
      expectError((await logHours(t().volunteer(adult1), work(change))).body, 'BAD_USER_INPUT', argument);
    }
  });

  it('members log hours for their organization; an accepted applicant who is not a member, for that opportunity only', async () => {
    const onOpportunity = await logged(t().volunteer(adult1), work({ opportunityId: oppOpen, date: '2026-10-06' }));
    await ok(graph, t().coordA, DECIDE, { ids: [onOpportunity], decision: 'APPROVE' });
    const outsider = await registerVolunteer(graph, { birthDate: '1970-01-01' });
    expectError((await logHours(t().volunteer(outsider), work({ opportunityId: oppKids }))).body, 'BAD_USER_INPUT', 'input.organizationId');
    const application = (await apply(outsider, oppKids)).body.data!.applyToOpportunity.id;
    await ok(graph, t().coordA, DECIDE_APP, { id: application, decision: 'ACCEPT' });
    expect((await logHours(t().volunteer(outsider), work({ opportunityId: oppKids }))).body.data?.logHours.status).toBe('PENDING');
    expectError((await logHours(t().volunteer(outsider), work({ date: '2026-10-07' }))).body, 'BAD_USER_INPUT', 'input.organizationId');
  });

  it('hours on an opportunity only while it runs: never a draft or a cancelled one, never a day outside its dates (BAD_USER_INPUT, nothing written)', async () => {
    const cancelled = await postOpportunity(graph, orgA, { title: 'Called off' });
    await ok(graph, t().coordA, `mutation ($id: ID!) { cancelOpportunity(id: $id, reason: "Venue lost") { status } }`, { id: cancelled });
    const closed = await postOpportunity(graph, orgA, { startsOn: '2026-08-01', endsOn: '2026-08-31' });
    await ok(graph, t().coordA, `mutation ($id: ID!) { closeOpportunity(id: $id) { status } }`, { id: closed });
    const records = async () =>
      Number(
        (
          await graph
            .db('volunteers')
            .selectFrom('hour_records')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirst()
        )?.n,
      );
    const before = await records();
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      [t().coordA, { volunteerId: adult2, opportunityId: oppDraft, date: '2026-08-10' }, 'input.opportunityId', /draft/],
      [t().admin, { volunteerId: adult2, opportunityId: oppDraft, date: '2026-08-10' }, 'input.opportunityId', /draft/],
      [t().coordA, { volunteerId: adult2, opportunityId: cancelled, date: '2026-08-10' }, 'input.opportunityId', /cancelled/],
      [t().volunteer(adult2), { opportunityId: cancelled, date: '2026-08-10' }, 'input.opportunityId', /cancelled/],
      [t().coordA, { volunteerId: adult2, opportunityId: closed, date: '2026-07-31' }, 'input.date', /2026-08-01 to 2026-08-31/],
      [t().coordA, { volunteerId: adult2, opportunityId: closed, date: '2026-09-01' }, 'input.date', /2026-08-01 to 2026-08-31/],
    ];
    for (const [token, change, argument, reason] of cases) {
      const { body } = await logHours(token, work(change));
      expectError(body, 'BAD_USER_INPUT', argument);
      expect(body.errors?.[0]?.message).toMatch(reason);
    }
    expect(await records()).toBe(before);
    // A closed opportunity still takes the hours done while it ran.
    expect(
      (await logHours(t().coordA, work({ volunteerId: adult2, opportunityId: closed, date: '2026-08-31' }))).body.data?.logHours.status,
    ).toBe('APPROVED');
  });

  it("a replacement follows the same rules (not on a draft, not outside the opportunity's dates); the record stays as it was", async () => {
    const approved = await logged(t().coordA, work({ volunteerId: adult3, opportunityId: oppKids, date: '2026-10-20', minutes: 60 }));
    const onDraft = await graph.query(VOID, {
      variables: { id: approved, reason: 'Wrong event', replacement: work({ opportunityId: oppDraft, date: '2026-10-20', minutes: 60 }) },
      token: t().coordA,
    });
    expectError(onDraft.body, 'BAD_USER_INPUT', 'replacement.opportunityId');
    const early = await graph.query(VOID, {
      variables: { id: approved, reason: 'Wrong day', replacement: work({ opportunityId: oppKids, date: '2024-12-31', minutes: 60 }) },
      token: t().coordA,
    });
    expectError(early.body, 'BAD_USER_INPUT', 'replacement.date');
    expect(
      (await ok(graph, t().coordA, `query ($id: ID!) { hourRecord(id: $id) { status replacedBy { id } } }`, { id: approved })).hourRecord,
    ).toEqual({ status: 'APPROVED', replacedBy: null });
  });

  it('no more than 24 hours a day per volunteer across records; a declined record frees its time', async () => {
    const day = '2026-09-01';
    const big = await logged(t().volunteer(adult3), work({ date: day, minutes: 1000 }));
    expectError(
      (await logHours(t().coordA, work({ volunteerId: adult3, date: day, minutes: 500 }))).body,
      'BAD_USER_INPUT',
      'input.minutes',
    );
    await ok(graph, t().coordA, DECIDE, { ids: [big], decision: 'DECLINE', reason: 'Not on the sign-in sheet' });
    expect((await logHours(t().coordA, work({ volunteerId: adult3, date: day, minutes: 500 }))).body.data?.logHours.status).toBe(
      'APPROVED',
    );
  });

  it('a void and a new entry for the same volunteer and day, racing, both go through (no deadlock)', async () => {
    // Both move the volunteer's counter for the day and the approved-hours rollups; taken in
    // opposite orders, PostgreSQL would abort one of them as a deadlock (an internal error).
    for (const [i, day] of ['2026-07-20', '2026-07-21', '2026-07-22', '2026-07-23', '2026-07-24'].entries()) {
      const approved = await logged(t().coordA, work({ volunteerId: adult1, date: day, minutes: 60 + i }));
      const [voided, entered] = await Promise.all([
        graph.query(VOID, { variables: { id: approved, reason: 'Double entry' }, token: t().coordA }),
        logHours(t().coordA, work({ volunteerId: adult1, date: day, minutes: 30 })),
      ]);
      expect(voided.body.errors, JSON.stringify(voided.body.errors)).toBeUndefined();
      expect(entered.body.errors, JSON.stringify(entered.body.errors)).toBeUndefined();
      expect(entered.body.data?.logHours.status).toBe('APPROVED');
    }
  });

  it('a coordinator decides only for their own organization; nobody approves their own hours', async () => {
    const pending = await logged(t().volunteer(adult2), work({ date: '2026-08-01' }));
    expectError((await graph.query(DECIDE, { variables: { ids: [pending], decision: 'APPROVE' }, token: t().coordB })).body, 'FORBIDDEN');
    expectError(
      (await graph.query(DECIDE, { variables: { ids: [pending], decision: 'APPROVE' }, token: t().volunteer(adult2) })).body,
      'FORBIDDEN',
    );
    // A coordinator of orgA who is also the volunteer.
    const selfCoordinator = graph.token({ role: 'coordinator', org: [orgA], volunteer_id: adult2, sub: 'coord-adult2' });
    const own = await graph.query(DECIDE, { variables: { ids: [pending], decision: 'APPROVE' }, token: selfCoordinator });
    expectError(own.body, 'FORBIDDEN');
    expect(own.body.errors?.[0]?.message).toMatch(/own hours/);
    const data = await ok(graph, t().coordA, DECIDE, { ids: [pending], decision: 'APPROVE' });
    expect(data.decideHourRecords).toEqual([{ id: pending, status: 'APPROVED', decidedBy: 'coord-a', reason: null }]);
  });

  it('a bulk decision is all or nothing', async () => {
    const a = await logged(t().volunteer(adult1), work({ date: '2026-07-01' }));
    const b = await logged(t().volunteer(adult2), work({ date: '2026-07-01' }));
    const decided = await logged(t().coordA, work({ volunteerId: adult3, date: '2026-07-01' }));
    const status = async (ids: string[]) =>
      (await graph.db('volunteers').selectFrom('hour_records').select(['id', 'status']).where('id', 'in', ids).orderBy('id').execute()).map(
        (r) => r.status,
      );
    expectError(
      (await graph.query(DECIDE, { variables: { ids: [a, b, decided], decision: 'APPROVE' }, token: t().coordA })).body,
      'CONFLICT',
    );
    expectError(
      (
        await graph.query(DECIDE, {
          variables: { ids: [a, b, '00000000-0000-4000-8000-00000000000b'], decision: 'APPROVE' },
          token: t().coordA,
        })
      ).body,
      'NOT_FOUND',
    );
    const ofOrgB = await logged(t().volunteer(memberB), work({ organizationId: orgB, regionCode: ALMATY, date: '2026-07-01' }));
    const foreign = await graph.query(DECIDE, { variables: { ids: [a, b, ofOrgB], decision: 'APPROVE' }, token: t().coordA });
    expectError(foreign.body, 'FORBIDDEN');
    expect(foreign.body.errors?.[0]?.message).toMatch(/one or more records are not of your organization/i);
    expect(JSON.stringify(foreign.body.errors)).not.toContain(ofOrgB); // no ids of rows the caller may not see
    expect(await status([a, b, ofOrgB])).toEqual(['PENDING', 'PENDING', 'PENDING']);
    expectError(
      (await graph.query(DECIDE, { variables: { ids: [a, b], decision: 'DECLINE' }, token: t().coordA })).body,
      'BAD_USER_INPUT',
      'reason',
    );
    const data = await ok(graph, t().coordA, DECIDE, { ids: [a, b], decision: 'APPROVE' });
    expect(data.decideHourRecords.map((r: { status: string }) => r.status)).toEqual(['APPROVED', 'APPROVED']);
  });

  it('of concurrent decisions on one record exactly one wins; the loser gets a CONFLICT', async () => {
    const pending = await logged(t().volunteer(adult1), work({ date: '2026-06-15', minutes: 90 }));
    const before = (await ok(graph, undefined, `query ($id: ID!) { volunteer(id: $id) { approvedMinutes } }`, { id: adult1 })).volunteer
      .approvedMinutes;
    const coordinators = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((sub) => graph.token({ role: 'coordinator', org: [orgA], sub }));
    const results = await Promise.all(
      coordinators.map((token, i) =>
        graph.query(DECIDE, { variables: { ids: [pending], decision: i % 2 ? 'DECLINE' : 'APPROVE', reason: 'race' }, token }),
      ),
    );
    const winners = results.filter((r) => !r.body.errors);
    const losers = results.filter((r) => r.body.errors);
    expect(winners).toHaveLength(1);
    for (const loser of losers) expect(loser.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const after = (await ok(graph, undefined, `query ($id: ID!) { volunteer(id: $id) { approvedMinutes } }`, { id: adult1 })).volunteer
      .approvedMinutes;
    const won = winners[0]!.body.data!.decideHourRecords[0];
    expect(after - before).toBe(won.status === 'APPROVED' ? 90 : 0);
    const audits = await graph
      .db('volunteers')
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', pending)
      .where('action', 'like', 'hours.%')
      .execute();
    expect(audits.map((a) => a.action).filter((a) => a !== 'hours.log')).toHaveLength(1);
  });

  it('a correction voids an approved record and replaces it; the voided one keeps its approval', async () => {
    const approved = await logged(t().coordA, work({ volunteerId: adult2, date: '2026-05-05', minutes: 300 }));
    expectError((await graph.query(VOID, { variables: { id: approved, reason: 'mine' }, token: t().volunteer(adult2) })).body, 'FORBIDDEN');
    expectError((await graph.query(VOID, { variables: { id: approved, reason: 'not yours' }, token: t().coordB })).body, 'FORBIDDEN');
    const data = await ok(graph, t().coordA, VOID, {
      id: approved,
      reason: 'Duration was 3 hours',
      replacement: work({ date: '2026-05-05', minutes: 180 }),
    });
    expect(data.voidHourRecord.voided).toMatchObject({
      id: approved,
      status: 'VOIDED',
      voidedBy: 'coord-a',
      voidReason: 'Duration was 3 hours',
      decidedBy: 'coord-a',
    });
    expect(data.voidHourRecord.replacement).toMatchObject({
      status: 'APPROVED',
      source: 'COORDINATOR',
      minutes: 180,
      replaces: { id: approved },
    });
    expect(data.voidHourRecord.voided.replacedBy).toEqual({ id: data.voidHourRecord.replacement.id });
    expectError((await graph.query(VOID, { variables: { id: approved, reason: 'again' }, token: t().coordA })).body, 'CONFLICT');
  });

  it('a volunteer voids their own pending record, not a decided one', async () => {
    const pending = await logged(t().volunteer(adult1), work({ date: '2026-04-04' }));
    expect((await ok(graph, t().volunteer(adult1), VOID, { id: pending, reason: 'Logged twice' })).voidHourRecord.voided.status).toBe(
      'VOIDED',
    );
    const declined = await logged(t().volunteer(adult1), work({ date: '2026-04-05' }));
    await ok(graph, t().coordA, DECIDE, { ids: [declined], decision: 'DECLINE', reason: 'No such event' });
    expectError((await graph.query(VOID, { variables: { id: declined, reason: 'x' }, token: t().coordA })).body, 'CONFLICT');
  });

  it("lists an organization's queue to its coordinators and a volunteer's records to them, not to others", async () => {
    const QUEUE = `query ($f: HourRecordFilter!) { hourRecords(first: 50, filter: $f) { nodes { id status organization { id } volunteer { id } } } }`;
    const queue = await ok(graph, t().coordA, QUEUE, { f: { organizationId: orgA, status: 'PENDING' } });
    expect(queue.hourRecords.nodes.length).toBeGreaterThan(0);
    expect(
      queue.hourRecords.nodes.every(
        (n: { status: string; organization: { id: string } }) => n.status === 'PENDING' && n.organization.id === orgA,
      ),
    ).toBe(true);
    expectError((await graph.query(QUEUE, { variables: { f: { organizationId: orgA } }, token: t().coordB })).body, 'FORBIDDEN');
    const own = await ok(graph, t().volunteer(adult1), QUEUE, { f: { volunteerId: adult1 } });
    expect(own.hourRecords.nodes.every((n: { volunteer: { id: string } }) => n.volunteer.id === adult1)).toBe(true);
    expectError((await graph.query(QUEUE, { variables: { f: { volunteerId: adult1 } }, token: t().volunteer(adult2) })).body, 'FORBIDDEN');
    expectError((await graph.query(QUEUE, { variables: { f: {} }, token: t().coordA })).body, 'BAD_USER_INPUT', 'filter');
  });
});

describe('totals', () => {
  it('agree with a recount from the raw records after a mixed series of writes, approvals, declines and voids', async () => {
    // A further mixed series, with ILO-excluded work and another region and year.
    const r1 = await logged(t().coordA, work({ volunteerId: adult1, date: '2025-12-30', minutes: 240, educationRequirement: true }));
    const r2 = await logged(
      t().coordA,
      work({
        volunteerId: adult3,
        date: '2025-12-30',
        minutes: 60,
        duringPaidWorkTime: true,
        activityType: 'CARE_SUPPORT',
        direction: 'QAMQOR',
      }),
    );
    await logged(
      t().coordA,
      work({ volunteerId: adult2, date: '2026-03-10', minutes: 200, regionCode: ALMATY, activityType: 'EVENT_SUPPORT' }),
    );
    const p1 = await logged(
      t().volunteer(minor16),
      work({ date: '2026-03-11', minutes: 45, activityType: 'ENVIRONMENT_CLEANUP', direction: 'TAZA_ALEM' }),
    );
    const p2 = await logged(t().volunteer(child12), work({ date: '2026-03-11', minutes: 30 }));
    await ok(graph, t().coordA, DECIDE, { ids: [p1], decision: 'APPROVE' });
    await ok(graph, t().coordA, DECIDE, { ids: [p2], decision: 'DECLINE', reason: 'Duplicate' });
    await ok(graph, t().coordA, VOID, {
      id: r2,
      reason: 'Wrong person',
      replacement: work({ date: '2025-12-30', minutes: 60, activityType: 'CARE_SUPPORT', direction: 'QAMQOR' }),
    });
    await ok(graph, t().coordA, VOID, { id: r1, reason: 'Not volunteer work' });
    await logged(t().coordA, work({ volunteerId: adult3, date: '2025-11-11', minutes: 120, educationRequirement: true }));

    const db = graph.db('volunteers');
    const rates = await db.selectFrom('replacement_rates').selectAll().execute();
    const rateOf = (year: number, type: string) =>
      BigInt(rates.find((r) => r.year === year && r.activity_type === type)!.hourly_rate_minor);
    const approved = await db.selectFrom('hour_records').selectAll().where('status', '=', 'APPROVED').execute();
    const recount = (rows: typeof approved) => {
      const ilo = rows.filter((r) => !r.education_requirement && !r.during_paid_work_time);
      const value = ilo.reduce((s, r) => s + BigInt(r.minutes) * rateOf(Number(String(r.work_date).slice(0, 4)), r.activity_type), 0n);
      const whole = (value + 30n) / 60n;
      return {
        minutes: rows.reduce((s, r) => s + r.minutes, 0),
        iloMinutes: ilo.reduce((s, r) => s + r.minutes, 0),
        records: rows.length,
        replacementValue: { amount: `${whole / 100n}.${String(whole % 100n).padStart(2, '0')}`, currency: 'KZT' },
      };
    };
    const TOTALS = `query ($org: ID!, $astana: ID!, $almaty: ID!) {
      organization(id: $org) {
        volunteerCount
        all: approvedHours { minutes iloMinutes records replacementValue { amount currency } }
        y2025: approvedHours(from: "2025-01-01", to: "2025-12-31") { minutes iloMinutes records replacementValue { amount currency } }
      }
      astana: region(code: $astana) {
        volunteerCount
        y2026: approvedHours(year: 2026) { minutes iloMinutes records replacementValue { amount currency } }
        march: approvedHours(year: 2026, month: 3) { minutes iloMinutes records replacementValue { amount currency } }
      }
      almaty: region(code: $almaty) { y2026: approvedHours(year: 2026) { minutes iloMinutes records hours iloHours } }
    }`;
    const data = await ok(graph, undefined, TOTALS, { org: orgA, astana: ASTANA, almaty: ALMATY });
    const ofOrg = approved.filter((r) => r.organization_id === orgA);
    expect(data.organization.all).toEqual(recount(ofOrg));
    expect(data.organization.y2025).toEqual(recount(ofOrg.filter((r) => String(r.work_date) <= '2025-12-31')));
    const inAstana2026 = approved.filter((r) => r.region_code === ASTANA && String(r.work_date).startsWith('2026'));
    expect(data.astana.y2026).toEqual(recount(inAstana2026));
    expect(data.astana.march).toEqual(recount(inAstana2026.filter((r) => String(r.work_date).startsWith('2026-03'))));
    const inAlmaty = recount(approved.filter((r) => r.region_code === ALMATY && String(r.work_date).startsWith('2026')));
    expect(data.almaty.y2026).toMatchObject({
      minutes: inAlmaty.minutes,
      iloMinutes: inAlmaty.iloMinutes,
      records: inAlmaty.records,
      hours: Math.round((inAlmaty.minutes / 60) * 100) / 100,
    });
    expect(data.organization.all.iloMinutes).toBeLessThan(data.organization.all.minutes); // some ILO-excluded work is approved

    const members = await db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', orgA)
      .where('left_at', 'is', null)
      .executeTakeFirst();
    expect(data.organization.volunteerCount).toBe(Number(members?.n));
    const inRegion = await db
      .selectFrom('volunteers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('region_code', '=', ASTANA)
      .executeTakeFirst();
    expect(data.astana.volunteerCount).toBe(Number(inRegion?.n));

    // Each volunteer's approvedMinutes and book equal their approved records.
    for (const id of [adult1, adult2, adult3, minor16, child12]) {
      const mine = approved.filter((r) => r.volunteer_id === id);
      const v = (
        await ok(
          graph,
          t().admin,
          `query ($id: ID!) { volunteer(id: $id) { approvedMinutes book { approvedMinutes approvedRecords byYear { year minutes } } } }`,
          { id },
        )
      ).volunteer;
      const total = mine.reduce((s, r) => s + r.minutes, 0);
      expect(v.approvedMinutes).toBe(total);
      expect(v.book.approvedMinutes).toBe(total);
      expect(v.book.approvedRecords).toBe(mine.length);
      expect(v.book.byYear.reduce((s: number, y: { minutes: number }) => s + y.minutes, 0)).toBe(total);
    }

    // The 24-hour counter follows the non-declined, non-voided records.
    const live = await db
      .selectFrom('hour_records')
      .select(['volunteer_id', 'work_date'])
      .select(sql<number>`sum(minutes)`.as('m'))
      .where('status', 'in', ['PENDING', 'APPROVED'])
      .groupBy(['volunteer_id', 'work_date'])
      .execute();
    const daily = await db.selectFrom('volunteer_daily_minutes').selectAll().where('minutes', '>', 0).execute();
    expect(daily.map((d) => `${d.volunteer_id}|${d.work_date}|${d.minutes}`).sort()).toEqual(
      live.map((l) => `${l.volunteer_id}|${l.work_date}|${Number(l.m)}`).sort(),
    );

    // Applications: counts equal a recount.
    for (const id of [oppOpen, oppRestricted, oppKids]) {
      const apps = await db.selectFrom('applications').select('status').where('opportunity_id', '=', id).execute();
      const counts = (await ok(graph, undefined, COUNTS, { id })).opportunity;
      expect(counts).toEqual({
        applicantCount: apps.filter((a) => a.status === 'PENDING' || a.status === 'ACCEPTED').length,
        acceptedCount: apps.filter((a) => a.status === 'ACCEPTED').length,
      });
    }
  });

  it('replacement-cost rates are public reference data', async () => {
    const data = await ok(graph, undefined, `{ replacementRates(year: 2026) { year activityType hourlyRate { amount currency } } }`);
    expect(data.replacementRates).toContainEqual({
      year: 2026,
      activityType: 'TEACHING_TUTORING',
      hourlyRate: { amount: '2530.00', currency: 'KZT' },
    });
    expect(data.replacementRates).toHaveLength(11);
  });
});

describe('the volunteer book and certificate', () => {
  it('shows approved work by year, direction, organization and opportunity', async () => {
    const book = (
      await ok(
        graph,
        t().volunteer(adult1),
        `query ($id: ID!) { volunteer(id: $id) { book {
      approvedMinutes approvedHours
      byYear { year minutes hours }
      byDirection { direction minutes }
      byOrganization { organization { id name } minutes }
      opportunitiesDone { opportunity { id title } organization { id } minutes firstDate lastDate }
    } } }`,
        { id: adult1 },
      )
    ).volunteer.book;
    expect(book.byDirection.reduce((s: number, d: { minutes: number }) => s + d.minutes, 0)).toBe(book.approvedMinutes);
    expect(book.byOrganization).toContainEqual(expect.objectContaining({ organization: { id: orgA, name: 'Astana Youth Centre' } }));
    expect(book.opportunitiesDone).toContainEqual(
      expect.objectContaining({
        opportunity: { id: oppOpen, title: 'Library reading hour' },
        organization: { id: orgA },
        firstDate: '2026-10-06',
        lastDate: '2026-10-06',
      }),
    );
  });

  const MY_BOOK = `{ me { book { approvedMinutes opportunitiesDone { opportunity { id title status } organization { id } minutes } } hourRecords(first: 5) { nodes { opportunity { id title } } } } }`;

  it('still answers when an opportunity with approved hours is cancelled afterwards', async () => {
    const opportunity = await postOpportunity(graph, orgA, { title: 'Riverside clean-up' });
    const volunteer = await registerVolunteer(graph, { birthDate: '1988-08-18' });
    await addMember(graph, volunteer, orgA);
    await logged(t().coordA, work({ volunteerId: volunteer, opportunityId: opportunity, date: '2026-09-12', minutes: 180 }));
    await ok(graph, t().coordA, `mutation ($id: ID!) { cancelOpportunity(id: $id, reason: "Season over") { status } }`, {
      id: opportunity,
    });
    const { me } = await ok(graph, t().volunteer(volunteer), MY_BOOK);
    expect(me.book).toEqual({
      approvedMinutes: 180,
      opportunitiesDone: [
        { opportunity: { id: opportunity, title: 'Riverside clean-up', status: 'CANCELLED' }, organization: { id: orgA }, minutes: 180 },
      ],
    });
  });

  it('still answers for work on an opportunity the volunteer may not see (a draft), with that opportunity null', async () => {
    const volunteer = await registerVolunteer(graph, { birthDate: '1986-06-16' });
    await addMember(graph, volunteer, orgA);
    const record = await logged(t().coordA, work({ volunteerId: volunteer, date: '2026-09-13', minutes: 150 }));
    // logHours now refuses drafts, but rows logged before that rule exist: one is put on a draft directly.
    await graph.db('volunteers').updateTable('hour_records').set({ opportunity_id: oppDraft }).where('id', '=', record).execute();
    const { body } = await graph.query(MY_BOOK, { token: t().volunteer(volunteer) });
    expect(body.data?.me?.book, JSON.stringify(body)).toEqual({
      approvedMinutes: 150,
      opportunitiesDone: [{ opportunity: null, organization: { id: orgA }, minutes: 150 }],
    });
    expect(body.data?.me?.hourRecords.nodes).toEqual([{ opportunity: null }]);
    // The organization's coordinators may see the draft, and do.
    const coordinator = await ok(
      graph,
      t().coordA,
      `query ($id: ID!) { volunteer(id: $id) { book { opportunitiesDone { opportunity { id } } } } }`,
      { id: volunteer },
    );
    expect(coordinator.volunteer.book.opportunitiesDone).toEqual([{ opportunity: { id: oppDraft } }]);
  });

  it('prints an HTML certificate with every text escaped, to those entitled to the name', async () => {
    const html = (await ok(graph, t().volunteer(adult1), `query ($id: ID!) { volunteer(id: $id) { certificateHtml } }`, { id: adult1 }))
      .volunteer.certificateHtml as string;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('Omarov &amp; Sons D&#39;Artagnan &lt;b&gt;');
    expect(html).not.toContain('<b>');
    expect(html).toContain('Astana Youth Centre');
    expect(html).toContain('Library reading hour');
    const refused = await graph.query(`query ($id: ID!) { volunteer(id: $id) { book { approvedMinutes } certificateHtml } }`, {
      variables: { id: adult1 },
      token: t().analyst,
    });
    expect(refused.body.data?.volunteer.book.approvedMinutes).toBeGreaterThan(0);
    expect(refused.body.data?.volunteer.certificateHtml).toBeNull();
    expect(errorAt(refused.body, ['volunteer', 'certificateHtml'])?.extensions?.code).toBe('FORBIDDEN');
    // The book is not in the partner contract; behind it, the volunteers subgraph refuses it to a partner.
    const BOOK = `query ($id: ID!) { volunteer(id: $id) { book { approvedMinutes } } }`;
    await outsidePartnerContract(graph, BOOK, { id: adult1 }, t().partner, 'book');
    await withoutContracts(graph, async (query) => {
      expect(errorAt(await query(BOOK, { id: adult1 }, t().partner), ['volunteer', 'book'])?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
