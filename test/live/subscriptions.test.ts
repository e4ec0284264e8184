import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../subgraphs/kit/index.ts';
import { startGraph, type Graph } from '../harness.ts';
import { addMember, ASTANA, ok, registerOrganization, registerVolunteer } from '../volunteers/helpers.ts';
import { sseSubscribe, waitFor, wsSubscribe, type Subscriber } from './clients.ts';

/**
 * Subscriptions through the gateway: a write's event reaches subscribers over
 * SSE and WebSocket with fields planned across the other subgraphs; callers
 * receive only what they may see; a rolled-back write announces nothing.
 */
let graph: Graph;
let org: string;
let otherOrg: string;
let volunteer: string;
let otherVolunteer: string;
const t = {
  admin: () => graph.token({ role: 'admin', sub: 'admin-live' }),
  volunteer: (id: string) => graph.token({ role: 'volunteer', volunteer_id: id, sub: `vol-${id}` }),
  coordinator: (orgId: string, sub = 'coord-live') => graph.token({ role: 'coordinator', org: [orgId], sub }),
};

const DECIDED = `subscription Decided {
  hourRecordDecided {
    id status minutes
    organization { name }                                   # organizations
    region { code nameEn donationsTotal(year: 2026) { currency } missionParticipants(year: 2026) }   # organizations, donations, cooperation
  }
}`;
const SUBMITTED = `subscription Submitted($org: ID!) { hourRecordSubmitted(organizationId: $org) { id status volunteer { id } organization { name } } }`;
const LOG = `mutation ($input: LogHoursInput!) { logHours(input: $input) { id status } }`;
const DECIDE = `mutation ($ids: [ID!]!) { decideHourRecords(ids: $ids, decision: APPROVE) { id status } }`;

const work = (organizationId: string, date: string) => ({
  organizationId,
  date,
  minutes: 90,
  regionCode: ASTANA,
  activityType: 'TEACHING_TUTORING',
  direction: 'BILIM',
});

async function logPending(volunteerId: string, organizationId: string, date: string): Promise<string> {
  const data = await ok(graph, t.volunteer(volunteerId), LOG, { input: work(organizationId, date) });
  expect(data.logHours.status).toBe('PENDING');
  return data.logHours.id as string;
}

/** Waits until the subgraph holds `n` open event subscriptions (the streams reached it). */
const subscribed = (n: number) => waitFor(() => graph.eventSubscribers('volunteers') >= n, `${n} subscriptions at the volunteers subgraph`);

const open: Subscriber[] = [];
const track = <S extends Subscriber>(s: S): S => (open.push(s), s);

beforeAll(async () => {
  graph = await startGraph();
  org = await registerOrganization(graph, ASTANA, 'Live Astana Readers');
  otherOrg = await registerOrganization(graph, ASTANA, 'Live Other Society');
  volunteer = await registerVolunteer(graph, { firstName: 'Dana' });
  otherVolunteer = await registerVolunteer(graph, { firstName: 'Ruslan', sex: 'MALE' });
  await addMember(graph, volunteer, org);
  await addMember(graph, otherVolunteer, org);
});

afterAll(async () => {
  for (const s of open) s.close();
  await graph?.close();
});

describe('subscriptions through the gateway', () => {
  it('a decision reaches the volunteer over SSE and over WebSocket, with fields from three other subgraphs', async () => {
    const record = await logPending(volunteer, org, '2026-09-01');
    const before = graph.eventSubscribers('volunteers');
    const sse = track(sseSubscribe(graph.gatewayUrl, DECIDED, { token: t.volunteer(volunteer) }));
    const ws = track(wsSubscribe(graph.gatewayUrl, DECIDED, { token: t.volunteer(volunteer) }));
    await subscribed(before + 2);

    await ok(graph, t.coordinator(org), DECIDE, { ids: [record] });

    await waitFor(() => sse.results.length > 0 && ws.results.length > 0, 'the event on both transports');
    const expected = {
      hourRecordDecided: {
        id: record,
        status: 'APPROVED',
        minutes: 90,
        organization: { name: 'Live Astana Readers' },
        region: { code: ASTANA, nameEn: expect.any(String), donationsTotal: { currency: 'KZT' }, missionParticipants: expect.any(Number) },
      },
    };
    for (const s of [sse, ws]) {
      expect(s.results[0]!.errors, JSON.stringify(s.results[0])).toBeUndefined();
      expect(s.results[0]!.data).toEqual(expected);
    }
  });

  it("a volunteer receives only their own decisions; a coordinator only their organization's submissions", async () => {
    const start = graph.eventSubscribers('volunteers');
    const mine = track(sseSubscribe(graph.gatewayUrl, DECIDED, { token: t.volunteer(volunteer) }));
    const theirs = track(sseSubscribe(graph.gatewayUrl, DECIDED, { token: t.volunteer(otherVolunteer) }));
    const coordinator = track(wsSubscribe(graph.gatewayUrl, SUBMITTED, { token: t.coordinator(org), variables: { org } }));
    await subscribed(start + 3);
    const elsewhere = track(
      sseSubscribe(graph.gatewayUrl, SUBMITTED, { token: t.coordinator(otherOrg, 'coord-other'), variables: { org } }),
    );
    await waitFor(() => elsewhere.results.length > 0 || elsewhere.completed, 'the refusal');
    expect(elsewhere.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(graph.eventSubscribers('volunteers')).toBe(start + 3);

    const record = await logPending(volunteer, org, '2026-09-02');
    await waitFor(() => coordinator.results.length > 0, 'the submission at the coordinator');
    expect(coordinator.results[0]!.data).toEqual({
      hourRecordSubmitted: { id: record, status: 'PENDING', volunteer: { id: volunteer }, organization: { name: 'Live Astana Readers' } },
    });

    await ok(graph, t.coordinator(org), DECIDE, { ids: [record] });
    await waitFor(() => mine.results.length > 0, 'the decision at its volunteer');
    expect(mine.results[0]!.data?.hourRecordDecided.id).toBe(record);
    // The other volunteer's stream is open at the subgraph and got nothing.
    expect(theirs.results).toEqual([]);
    expect(theirs.failure).toBeUndefined();
  });

  it('the public and partners are refused before anything is opened: authorization and contracts hold', async () => {
    const before = graph.eventSubscribers('volunteers');
    const anonymous = track(sseSubscribe(graph.gatewayUrl, DECIDED));
    await waitFor(() => anonymous.results.length > 0 || anonymous.completed, 'the anonymous refusal');
    expect(anonymous.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const partner = track(
      wsSubscribe(graph.gatewayUrl, DECIDED, {
        token: graph.token({ role: 'partner', partner_id: '00000000-0000-4000-8000-000000000001', sub: 'p' }),
      }),
    );
    await waitFor(() => partner.failure !== undefined || partner.results.length > 0, 'the partner refusal');
    // graphql-ws's `error` message: the field does not exist in the partner contract.
    expect(partner.failure).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED', contract: 'partner' }) }),
    ]);
    expect(partner.results).toEqual([]);
    expect(graph.eventSubscribers('volunteers')).toBe(before);
  });

  it('a rolled-back write announces nothing; the committed one after it arrives', async () => {
    const record = await logPending(otherVolunteer, org, '2026-09-03');
    const coordinator = track(sseSubscribe(graph.gatewayUrl, SUBMITTED, { token: t.coordinator(org), variables: { org } }));
    await waitFor(() => graph.eventSubscribers('volunteers') >= 1, 'the subscription');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const context = {
      requestId: 'rollback-test',
      viewer: {
        kind: 'admin',
        roles: ['admin'],
        subject: 'admin-live',
        volunteerId: null,
        organizationIds: [],
        regionCode: null,
        partnerId: null,
        scopes: [],
      },
    } as const;
    const payload = { hourRecordId: record, volunteerId: otherVolunteer, organizationId: org };
    await expect(
      graph
        .db('volunteers')
        .transaction()
        .execute(async (trx) => {
          await recordEvent(trx, context as never, { topic: 'HourRecordSubmitted', payload });
          throw new Error('rolled back on purpose');
        }),
    ).rejects.toThrow('rolled back on purpose');
    // Through the gateway: a mutation refused inside its transaction writes nothing and announces nothing.
    const second = await logPending(otherVolunteer, org, '2026-09-04');
    await waitFor(() => coordinator.results.length > 0, 'the committed event');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(coordinator.results.map((r) => r.data?.hourRecordSubmitted?.id)).toEqual([second]);
  });
});
