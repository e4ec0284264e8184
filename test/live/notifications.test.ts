import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../harness.ts';
import { addMember, ASTANA, expectError, ok, postOpportunity, registerOrganization, registerVolunteer } from '../volunteers/helpers.ts';
import { startSmtpServer } from './smtp.ts';
import { calendarDay } from '../../platform/calendar.ts';

/**
 * Notifications through the gateway: the feed a decision writes (with the
 * outbox event, in its transaction), unread and marking read, nobody reading
 * another person's, preferences stopping the e-mail, e-mails reaching a real
 * SMTP server on loopback, and the jobs run twice without doubling anything.
 */
let graph: Graph;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let org: string;
let dana: string;
let ruslan: string;
let coordinator: string;
/** The jobs' clock: moved forward to make a grant report overdue. */
let clock = () => new Date();
const t = {
  volunteer: (id: string) => graph.token({ role: 'volunteer', volunteer_id: id, sub: `vol-${id}` }),
  coordinator: (id: string) => graph.token({ role: 'coordinator', org: [org], volunteer_id: id, sub: `coord-${id}` }),
  admin: () => graph.token({ role: 'admin', sub: 'admin-notifications' }),
};

const FEED = `query Feed($first: Int, $after: String, $unreadOnly: Boolean) {
  me { unreadNotificationCount notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    nodes { id kind title readAt hourRecord { id status } application { id status } organization { id name } }
    pageInfo { hasNextPage endCursor } } }
}`;
const LOG = `mutation ($input: LogHoursInput!) { logHours(input: $input) { id status } }`;
const DECIDE = `mutation ($ids: [ID!]!, $decision: HourDecision!, $reason: String) { decideHourRecords(ids: $ids, decision: $decision, reason: $reason) { id status } }`;
const MARK = `mutation ($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) }`;
const PREFER = `mutation ($kind: NotificationKind!, $channel: NotificationChannel!, $enabled: Boolean!) {
  setNotificationPreference(kind: $kind, channel: $channel, enabled: $enabled) { kind channel enabled }
}`;

async function logPending(volunteerId: string, date: string): Promise<string> {
  const data = await ok(graph, t.volunteer(volunteerId), LOG, {
    input: { organizationId: org, date, minutes: 90, regionCode: ASTANA, activityType: 'TEACHING_TUTORING', direction: 'BILIM' },
  });
  return data.logHours.id as string;
}

const feed = async (token: string, variables: Record<string, unknown> = {}) =>
  (await ok(graph, token, FEED, { first: 20, ...variables })).me;
const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

beforeAll(async () => {
  smtp = await startSmtpServer();
  graph = await startGraph({
    subgraph: () => ({ mail: { smtpUrl: smtp.url, from: 'Volunteer Graph <no-reply@test.kz>' }, now: () => clock() }),
  });
  org = await registerOrganization(graph, ASTANA, 'Notified Readers');
  dana = await registerVolunteer(graph, { firstName: 'Dana', email: 'dana@example.kz' });
  ruslan = await registerVolunteer(graph, { firstName: 'Ruslan', sex: 'MALE', email: 'ruslan@example.kz' });
  coordinator = await registerVolunteer(graph, { firstName: 'Aliya', email: 'aliya@example.kz' });
  for (const v of [dana, ruslan]) await addMember(graph, v, org);
  await addMember(graph, coordinator, org, 'COORDINATOR');
});

afterAll(async () => {
  await graph?.close();
  await smtp?.close();
});

describe('the notification feed', () => {
  it('a decision is in the volunteer’s feed, and hours submitted in the coordinator’s, with fields across subgraphs', async () => {
    const record = await logPending(dana, '2026-09-01');
    const coordinatorFeed = await feed(t.coordinator(coordinator));
    expect(coordinatorFeed.notifications.nodes[0]).toMatchObject({
      kind: 'HOUR_RECORD_SUBMITTED',
      title: 'Hours to decide: 1.5 h of 2026-09-01',
      readAt: null,
      hourRecord: { id: record, status: 'PENDING' },
      application: null,
      organization: { id: org, name: 'Notified Readers' },
    });
    expect((await feed(t.volunteer(dana))).notifications.nodes).toEqual([]);

    await ok(graph, t.coordinator(coordinator), DECIDE, { ids: [record], decision: 'APPROVE' });
    const mine = await feed(t.volunteer(dana));
    expect(mine.unreadNotificationCount).toBe(1);
    expect(mine.notifications.nodes).toEqual([
      {
        id: expect.any(String),
        kind: 'HOUR_RECORD_DECIDED',
        title: 'Your 1.5 h of 2026-09-01 were approved',
        readAt: null,
        hourRecord: { id: record, status: 'APPROVED' },
        application: null,
        organization: { id: org, name: 'Notified Readers' },
      },
    ]);
  });

  it('an application and its decision: received by the coordinator, decided for the volunteer', async () => {
    const opportunity = await postOpportunity(graph, org);
    const applied = await ok(
      graph,
      t.volunteer(ruslan),
      `mutation ($input: ApplyToOpportunityInput!) { applyToOpportunity(input: $input) { id } }`,
      { input: { opportunityId: opportunity } },
    );
    const application = applied.applyToOpportunity.id as string;
    expect((await feed(t.coordinator(coordinator))).notifications.nodes[0]).toMatchObject({
      kind: 'APPLICATION_RECEIVED',
      application: { id: application, status: 'PENDING' },
    });
    await ok(graph, t.coordinator(coordinator), `mutation ($id: ID!) { decideApplication(id: $id, decision: ACCEPT) { id } }`, {
      id: application,
    });
    expect((await feed(t.volunteer(ruslan))).notifications.nodes[0]).toMatchObject({
      kind: 'APPLICATION_DECIDED',
      title: 'Your application was accepted',
      application: { id: application, status: 'ACCEPTED' },
    });
  });

  it('pages with strict cursors, filters unread, and marks read by id or all', async () => {
    for (const date of ['2026-09-03', '2026-09-04', '2026-09-05']) {
      const id = await logPending(dana, date);
      await ok(graph, t.coordinator(coordinator), DECIDE, { ids: [id], decision: 'DECLINE', reason: 'Not our activity' });
    }
    const all = await feed(t.volunteer(dana));
    expect(all.unreadNotificationCount).toBe(4);
    expect(all.notifications.nodes.map((n: { title: string }) => n.title)).toEqual([
      'Your 1.5 h of 2026-09-05 were declined',
      'Your 1.5 h of 2026-09-04 were declined',
      'Your 1.5 h of 2026-09-03 were declined',
      'Your 1.5 h of 2026-09-01 were approved',
    ]);
    // A constant number of statements whatever the page's size (the records and applications through DataLoaders).
    graph.resetStatements();
    await feed(t.volunteer(dana), { first: 1 });
    const forOne = graph.statements('volunteers');
    graph.resetStatements();
    await feed(t.volunteer(dana), { first: 4 });
    expect(graph.statements('volunteers')).toBe(forOne);
    const first = await feed(t.volunteer(dana), { first: 2 });
    expect(first.notifications.pageInfo.hasNextPage).toBe(true);
    const second = await feed(t.volunteer(dana), { first: 2, after: first.notifications.pageInfo.endCursor });
    expect(second.notifications.nodes.map((n: { id: string }) => n.id)).toEqual(
      all.notifications.nodes.slice(2).map((n: { id: string }) => n.id),
    );
    expect(second.notifications.pageInfo.hasNextPage).toBe(false);
    const { body: badCursor } = await graph.query(FEED, { token: t.volunteer(dana), variables: { after: 'not-a-cursor' } });
    expectError(badCursor, 'BAD_USER_INPUT', 'after');

    const newest = all.notifications.nodes[0].id as string;
    expect((await ok(graph, t.volunteer(dana), MARK, { ids: [newest] })).markNotificationsRead).toBe(1);
    const unread = await feed(t.volunteer(dana), { unreadOnly: true });
    expect(unread.notifications.nodes).toHaveLength(3);
    expect(unread.notifications.nodes.map((n: { id: string }) => n.id)).not.toContain(newest);
    expect((await feed(t.volunteer(dana))).notifications.nodes[0].readAt).toEqual(expect.any(String));
    // Again: nothing more was unread.
    expect((await ok(graph, t.volunteer(dana), MARK, { ids: [newest] })).markNotificationsRead).toBe(0);
    expect((await ok(graph, t.volunteer(dana), MARK, { all: true })).markNotificationsRead).toBe(3);
    expect(await feed(t.volunteer(dana), { unreadOnly: true })).toMatchObject({ unreadNotificationCount: 0, notifications: { nodes: [] } });
    const { body: neither } = await graph.query(MARK, { token: t.volunteer(dana), variables: {} });
    expectError(neither, 'BAD_USER_INPUT', 'ids');
  });

  it('nobody sees or marks another person’s notifications, not even an admin', async () => {
    const others = `query ($id: ID!) { volunteer(id: $id) { notifications { nodes { id } } } }`;
    for (const token of [t.volunteer(ruslan), t.admin(), t.coordinator(coordinator)]) {
      const { body } = await graph.query(others, { token, variables: { id: dana } });
      expectError(body, 'FORBIDDEN');
    }
    const danas = (await feed(t.volunteer(dana))).notifications.nodes.map((n: { id: string }) => n.id) as string[];
    const ruslanBefore = await feed(t.volunteer(ruslan));
    const { body } = await graph.query(MARK, { token: t.volunteer(ruslan), variables: { ids: [danas[0]] } });
    expectError(body, 'NOT_FOUND');
    // Ruslan's own feed holds only his.
    expect(ruslanBefore.notifications.nodes.every((n: { id: string }) => !danas.includes(n.id))).toBe(true);
    const { body: anonymous } = await graph.query(FEED, {});
    expectError(anonymous, 'UNAUTHENTICATED');
  });
});

describe('e-mail and preferences', () => {
  it('the e-mails of notifications reach the SMTP server once, however often the job runs', async () => {
    await graph.runJobs('volunteers');
    await graph.runJobs('volunteers');
    const danas = mailsTo('dana@example.kz');
    expect(danas.map((m) => m.subject).sort()).toEqual([
      'Volunteer Graph: Your 1.5 h of 2026-09-01 were approved',
      'Volunteer Graph: Your 1.5 h of 2026-09-03 were declined',
      'Volunteer Graph: Your 1.5 h of 2026-09-04 were declined',
      'Volunteer Graph: Your 1.5 h of 2026-09-05 were declined',
    ]);
    expect(danas[0]!.from).toBe('no-reply@test.kz');
    expect(mailsTo('ruslan@example.kz')).toHaveLength(1);
    expect(mailsTo('aliya@example.kz').length).toBeGreaterThanOrEqual(5); // four submissions and an application
  });

  it('a preference turned off stops that kind of e-mail (and only it), and the feed keeps it', async () => {
    const prefs = await ok(graph, t.volunteer(dana), `{ me { notificationPreferences { kind channel enabled } } }`);
    expect(prefs.me.notificationPreferences).toHaveLength(8);
    expect(prefs.me.notificationPreferences.every((p: { enabled: boolean }) => p.enabled)).toBe(true);
    expect(
      (await ok(graph, t.volunteer(dana), PREFER, { kind: 'HOUR_RECORD_DECIDED', channel: 'EMAIL', enabled: false }))
        .setNotificationPreference,
    ).toEqual({
      kind: 'HOUR_RECORD_DECIDED',
      channel: 'EMAIL',
      enabled: false,
    });
    const before = mailsTo('dana@example.kz').length;
    const record = await logPending(dana, '2026-09-06');
    await ok(graph, t.coordinator(coordinator), DECIDE, { ids: [record], decision: 'APPROVE' });
    await graph.runJobs('volunteers');
    expect(mailsTo('dana@example.kz')).toHaveLength(before);
    expect((await feed(t.volunteer(dana))).notifications.nodes[0]).toMatchObject({ title: 'Your 1.5 h of 2026-09-06 were approved' });
    // The coordinator's e-mail of the same submission went out.
    expect(mailsTo('aliya@example.kz').some((m) => m.subject.includes('2026-09-06'))).toBe(true);

    // The feed turned off: nothing new in it (and the preference is the caller's own, audited).
    await ok(graph, t.volunteer(dana), PREFER, { kind: 'HOUR_RECORD_DECIDED', channel: 'FEED', enabled: false });
    const count = (await feed(t.volunteer(dana))).notifications.nodes.length;
    const another = await logPending(dana, '2026-09-07');
    await ok(graph, t.coordinator(coordinator), DECIDE, { ids: [another], decision: 'APPROVE' });
    expect((await feed(t.volunteer(dana))).notifications.nodes).toHaveLength(count);
    const audit = await graph
      .db('volunteers')
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'notifications.preference')
      .execute();
    expect(audit).toHaveLength(2);
  });
});

describe('reminders of overdue grant reports', () => {
  it('an overdue report is reminded by e-mail to the grantee’s contact address once, however often the job runs', async () => {
    const admin = t.admin();
    const funder = await registerOrganization(graph, ASTANA, 'Reminding Foundation');
    const grantee = await registerOrganization(graph, ASTANA, 'Late Reporters');
    await ok(
      graph,
      admin,
      `mutation ($id: ID!, $contact: OrganizationContactInput!) { updateOrganizationContact(id: $id, contact: $contact) { id } }`,
      {
        id: grantee,
        contact: { email: 'reports@late.kz', person: 'Saule' },
      },
    );
    const coordinatorOf = (id: string) => graph.token({ role: 'coordinator', org: [id], sub: `coordinator-${id}` });
    const year = Number(calendarDay().slice(0, 4));
    const programme = (
      await ok(
        graph,
        coordinatorOf(funder),
        `mutation ($input: CreateGrantProgrammeInput!) { createGrantProgramme(input: $input) { id } }`,
        {
          input: {
            title: 'Reading clubs',
            funder: { kind: 'PRIVATE', name: 'Reminding Foundation', organizationId: funder },
            budget: { amount: '1000000.00', currency: 'KZT' },
            applicationOpensOn: `${year}-01-01`,
            applicationClosesOn: `${year}-12-31`,
            priorities: ['Reading'],
          },
        },
      )
    ).createGrantProgramme.id as string;
    const application = (
      await ok(
        graph,
        coordinatorOf(grantee),
        `mutation ($input: CreateGrantApplicationInput!) { createGrantApplication(input: $input) { id } }`,
        {
          input: {
            programmeId: programme,
            applicantId: grantee,
            title: 'Clubs in villages',
            requestedAmount: { amount: '100000', currency: 'KZT' },
          },
        },
      )
    ).createGrantApplication.id as string;
    await ok(graph, coordinatorOf(grantee), `mutation ($id: ID!) { submitGrantApplication(id: $id) { id } }`, { id: application });
    const start = calendarDay(1);
    const grant = (
      await ok(
        graph,
        coordinatorOf(funder),
        `mutation ($input: AwardGrantInput!) { awardGrant(input: $input) { id reports { id kind dueOn status } } }`,
        {
          input: {
            applicationId: application,
            amount: '100000',
            awardDate: calendarDay(),
            periodStart: start,
            periodEnd: calendarDay(365),
            plannedDisbursements: [{ dueOn: calendarDay(), amount: '100000.00' }],
            reports: [{ kind: 'INTERIM', dueOn: calendarDay(180) }],
          },
        },
      )
    ).awardGrant;
    const interim = grant.reports.find((r: { kind: string }) => r.kind === 'INTERIM');
    expect(interim).toMatchObject({ dueOn: calendarDay(180), status: 'DUE' });
    const toGrantee = () => mailsTo('reports@late.kz');

    // Not overdue yet: nothing.
    expect((await graph.runJobs('donations'))['grant-report-reminders']).toBe(0);
    expect(toGrantee()).toEqual([]);

    // 200 days on, the interim report is overdue (the final one, due 60 days after the period, is not).
    clock = () => new Date(Date.now() + 200 * 86_400_000);
    expect((await graph.runJobs('donations'))['grant-report-reminders']).toBe(1);
    expect(toGrantee()).toHaveLength(1);
    expect(toGrantee()[0]!.subject).toBe('Volunteer Graph: the interim report of "Clubs in villages" is overdue');
    expect(toGrantee()[0]!.raw).toContain(interim.id);

    // Again, and again: no second e-mail.
    expect((await graph.runJobs('donations'))['grant-report-reminders']).toBe(0);
    await graph.runJobs('donations');
    expect(toGrantee()).toHaveLength(1);
    clock = () => new Date();
  });
});
