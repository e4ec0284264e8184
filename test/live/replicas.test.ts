import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningGateway } from '../../gateway/server.ts';
import type { RunningSubgraph } from '../../subgraphs/kit/index.ts';
import { SUBGRAPHS } from '../../subgraphs/registry.ts';
import { startGraph, type Graph } from '../harness.ts';
import { addMember, ASTANA, ok, registerOrganization, registerVolunteer } from '../volunteers/helpers.ts';
import { sseSubscribe, waitFor, wsSubscribe, type Subscriber } from './clients.ts';

/**
 * Events across replicas: a write through one gateway and one volunteers
 * server reaches a subscriber of another gateway whose stream is open at
 * another volunteers server — over LISTEN/NOTIFY on the shared database, and
 * over Redis pub/sub. Then the limits, the metrics and a clean shutdown.
 */
let graph: Graph;
let org: string;
let volunteer: string;
const open: Subscriber[] = [];
const track = <S extends Subscriber>(s: S): S => (open.push(s), s);
const volunteerToken = () => graph.token({ role: 'volunteer', volunteer_id: volunteer, sub: `vol-${volunteer}` });
const coordinatorToken = () => graph.token({ role: 'coordinator', org: [org], sub: 'coord-replicas' });

const DECIDED = `subscription { hourRecordDecided { id status organization { name } } }`;
const LOG = `mutation ($input: LogHoursInput!) { logHours(input: $input) { id status } }`;
const DECIDE = `mutation ($ids: [ID!]!) { decideHourRecords(ids: $ids, decision: APPROVE) { id status } }`;
let day = 0;

async function pendingRecord(): Promise<string> {
  day += 1;
  const input = {
    organizationId: org,
    date: `2026-08-${String(day).padStart(2, '0')}`,
    minutes: 60,
    regionCode: ASTANA,
    activityType: 'TEACHING_TUTORING',
    direction: 'BILIM',
  };
  return (await ok(graph, volunteerToken(), LOG, { input })).logHours.id as string;
}

/** A gateway in front of the graph whose volunteers subgraph is the given replica. */
function gatewayOn(replica: RunningSubgraph, options: Parameters<Graph['startGateway']>[0] = {}): Promise<RunningGateway> {
  const serviceUrls = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, s.name === 'volunteers' ? replica.url : graph.subgraphUrl(s.name)]));
  return graph.startGateway({ serviceUrls, ...options });
}

beforeAll(async () => {
  graph = await startGraph();
  org = await registerOrganization(graph, ASTANA, 'Replica Readers');
  volunteer = await registerVolunteer(graph, { firstName: 'Aruzhan' });
  await addMember(graph, volunteer, org);
});

afterAll(async () => {
  for (const s of open) s.close();
  await graph?.close();
});

describe.each([
  ['LISTEN/NOTIFY on the shared database', () => ({ redisUrl: undefined })],
  ['Redis pub/sub', () => ({ redisUrl: inject('redisUrl') as string, redisChannel: `vg:test:replicas:${randomUUID()}` })],
])('two gateways, two volunteers servers: %s', (_name, transport) => {
  it('a decision written through one gateway and server reaches the subscriber of the other', async () => {
    const events = transport();
    const writer = await graph.startReplica('volunteers', { events });
    const reader = await graph.startReplica('volunteers', { events });
    const writing = await gatewayOn(writer);
    const reading = await gatewayOn(reader);
    const record = await pendingRecord();
    const subscriber = track(sseSubscribe(reading.url, DECIDED, { token: volunteerToken() }));
    await waitFor(() => graph.eventSubscribers('volunteers', reader) === 1, 'the stream at the reading server');
    expect(graph.eventSubscribers('volunteers', writer)).toBe(0);

    const { body } = await graph.queryAt(writing.url, DECIDE, { variables: { ids: [record] }, token: coordinatorToken() });
    expect(body.errors).toBeUndefined();

    await waitFor(() => subscriber.results.length > 0, 'the event at the other gateway');
    expect(subscriber.results[0]).toEqual({
      data: { hourRecordDecided: { id: record, status: 'APPROVED', organization: { name: 'Replica Readers' } } },
    });
    subscriber.close();
  });
});

describe('limits, metrics and shutdown', () => {
  it('a caller holds at most SUBSCRIPTIONS_PER_CALLER open subscriptions; the rest are refused with RATE_LIMITED', async () => {
    const gateway = await graph.startGateway({ live: { maxPerCaller: 2 } });
    const first = track(sseSubscribe(gateway.url, DECIDED, { token: volunteerToken() }));
    const second = track(wsSubscribe(gateway.url, DECIDED, { token: volunteerToken() }));
    await waitFor(() => gateway.live!.size === 2, 'two open subscriptions');
    const refused = await fetch(`${gateway.url}/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${volunteerToken()}` },
      body: JSON.stringify({ query: DECIDED }),
    });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { errors: { extensions: unknown }[] }).errors[0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 'subscriptionsPerCaller',
      max: 2,
    });
    // Another caller is not held to this one's count.
    const admin = track(
      sseSubscribe(gateway.url, `subscription ($org: ID!) { hourRecordSubmitted(organizationId: $org) { id } }`, {
        token: graph.token({ role: 'admin', sub: 'admin-limits' }),
        variables: { org },
      }),
    );
    await waitFor(() => gateway.live!.size === 3, "the other caller's subscription");
    first.close();
    await waitFor(() => gateway.live!.size === 2, 'the closed subscription released');
    const again = track(sseSubscribe(gateway.url, DECIDED, { token: volunteerToken() }));
    await waitFor(() => gateway.live!.size === 3, 'a subscription in the freed place');
    for (const s of [second, admin, again]) s.close();
    await gateway.close();
  });

  it('open subscriptions and delivered events are in /metrics', async () => {
    const gateway = await graph.startGateway();
    const subscriber = track(sseSubscribe(gateway.url, DECIDED, { token: volunteerToken() }));
    await waitFor(() => gateway.live!.size === 1, 'the subscription');
    const before = graph.eventSubscribers('volunteers');
    await waitFor(() => graph.eventSubscribers('volunteers') >= before, 'the stream at the subgraph');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const record = await pendingRecord();
    await ok(graph, coordinatorToken(), DECIDE, { ids: [record] });
    await waitFor(() => subscriber.results.length > 0, 'the event');
    const text = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(text).toMatch(/graphql_subscriptions_open\{transport="sse"\} 1/);
    expect(text).toMatch(/graphql_subscription_events_total\{service="volunteers"\} [1-9]/);
    subscriber.close();
    await gateway.close();
  });

  it('on shutdown every subscriber is told to reconnect: WebSocket 1012, the SSE stream ends without completing', async () => {
    // The earlier tests' subscriptions close asynchronously at the subgraph: start from none.
    await waitFor(() => graph.eventSubscribers('volunteers') === 0, 'the earlier streams closed');
    const before = 0;
    const gateway = await graph.startGateway();
    const sse = track(sseSubscribe(gateway.url, DECIDED, { token: volunteerToken() }));
    const ws = track(wsSubscribe(gateway.url, DECIDED, { token: volunteerToken() }));
    await waitFor(() => gateway.live!.size === 2, 'two subscriptions');
    // The gateway opens each subscription's stream at the subgraph asynchronously: wait for both.
    await waitFor(() => graph.eventSubscribers('volunteers') >= before + 2, 'the two streams at the subgraph');
    await gateway.close();
    await waitFor(() => ws.closeCodes.includes(1012), 'the WebSocket closed with 1012');
    await waitFor(() => sse.failure !== undefined, 'the SSE stream ended');
    expect(sse.completed).toBe(false);
    expect(gateway.live!.size).toBe(0);
    // The streams the gateway held at the subgraph are closed too.
    await waitFor(() => graph.eventSubscribers('volunteers') <= before, 'the subgraph streams closed');
  });
});
