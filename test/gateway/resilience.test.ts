/**
 * The gateway when subgraphs misbehave — timeouts, retries, circuit breakers,
 * partial data, readiness, graceful shutdown, hot reload — and what it tells
 * operators: logs with request ids, Prometheus metrics, OpenTelemetry traces,
 * masked errors in production.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../gateway/server.ts';
import { stopTelemetry } from '../../platform/telemetry.ts';
import { composeSupergraph } from '../../scripts/lib/compose.ts';
import { SUBGRAPHS } from '../../subgraphs/registry.ts';
import { startGraph, type Graph } from '../harness.ts';
import { startProxy, type ControlledProxy } from './proxy.ts';

let graph: Graph;
let dir: string;
let proxy: ControlledProxy;
let collector: Server;
const spans: { traceId: string; name: string; service: string }[] = [];
const logLines: Record<string, Record<string, unknown>[]> = {};

function memoryLogger(service: string) {
  logLines[service] = [];
  return pino({ level: 'debug', base: { service } }, { write: (line: string) => void logLines[service]!.push(JSON.parse(line)) });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vg-resilience-'));
  // An OTLP/HTTP collector standing in for Jaeger or Tempo.
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { spans: { traceId: string; name: string }[] }[];
        }[];
      };
      for (const resourceSpans of body.resourceSpans) {
        const service = resourceSpans.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resourceSpans.scopeSpans)
          for (const span of scope.spans) spans.push({ traceId: span.traceId, name: span.name, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
  process.env.OTEL_BSP_SCHEDULE_DELAY = '100';

  graph = await startGraph({
    subgraph: (name) => ({ logger: memoryLogger(name) }),
    gateway: { logger: memoryLogger('gateway'), circuitBreaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 400 } },
  });
  proxy = await startProxy(() => graph.subgraphUrl('organizations'));
}, 180_000);

afterAll(async () => {
  await graph?.close();
  await proxy?.close();
  await stopTelemetry();
  await new Promise<void>((resolve) => collector?.close(() => resolve()));
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  rmSync(dir, { recursive: true, force: true });
});

const metricsOf = async (gateway: RunningGateway) => (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
const readyOf = async (url: string) => {
  const response = await fetch(url.replace('/graphql', '/ready'));
  return {
    status: response.status,
    body: (await response.json()) as { status: string; unavailable: string[]; subgraphs: { name: string; circuit: string }[] },
  };
};

describe('a slow or flaky subgraph', () => {
  let behindProxy: RunningGateway;
  beforeAll(async () => {
    behindProxy = await graph.startGateway({
      serviceUrls: { organizations: proxy.url },
      subgraphTimeoutMs: 300,
      circuitBreaker: { enabled: false },
    });
  });
  afterAll(async () => {
    proxy.mode = { kind: 'pass' };
    await behindProxy.close();
  });

  it('is called over a pool of kept-alive connections', async () => {
    proxy.mode = { kind: 'pass' };
    await graph.queryAt(behindProxy.url, '{ regions { code } }');
    const before = proxy.connections;
    for (let i = 0; i < 10; i++) expect((await graph.queryAt(behindProxy.url, '{ regions { code } }')).body.errors).toBeUndefined();
    // Without keep-alive: ten new connections. With it, the pooled one is reused (a second may
    // open when a request starts before the previous socket is handed back to the pool).
    expect(proxy.connections - before).toBeLessThanOrEqual(1);
  });

  it('hits the timeout, and the error names the service', async () => {
    proxy.mode = { kind: 'delay', ms: 1_500 };
    const started = Date.now();
    const { body } = await graph.queryAt(behindProxy.url, '{ regions { code } }');
    expect(Date.now() - started).toBeLessThan(1_200);
    expect(body.errors![0]).toMatchObject({ extensions: { code: 'SERVICE_TIMEOUT', service: 'organizations' } });
    expect(body.errors![0]!.message).toBe('The organizations service did not answer within 300 ms');
    proxy.mode = { kind: 'pass' };
  });

  it('retries a query once after a dropped connection, never a mutation', async () => {
    proxy.mode = { kind: 'reset', times: 1 };
    proxy.requests = 0;
    const query = await graph.queryAt(behindProxy.url, '{ regions { code } }');
    expect(query.body.errors).toBeUndefined();
    expect(query.body.data!.regions).toHaveLength(20);
    expect(proxy.requests).toBe(2);
    expect(await metricsOf(behindProxy)).toMatch(/subgraph_fetch_retries_total\{subgraph="organizations"\} 1/);

    proxy.mode = { kind: 'reset', times: 1 };
    proxy.requests = 0;
    const mutation = await graph.queryAt(
      behindProxy.url,
      `mutation { registerOrganization(input: { name: "Dropped group", kind: VOLUNTEER_GROUP, regionCode: "710000000", directions: [] }) { id } }`,
      { token: graph.token({ role: 'admin' }) },
    );
    expect(mutation.body.errors![0]!.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'organizations' });
    expect(proxy.requests).toBe(1);
  });

  it('has its internal errors masked in production', async () => {
    const production = await graph.startGateway({
      production: true,
      serviceUrls: { organizations: proxy.url },
      identity: { jwtSecret: 'dev-jwt-secret-change-me-0123456789abcdef', issuer: 'volunteer-graph-dev', audience: 'volunteer-graph' },
      trustedDocuments: { mode: 'off' },
    });
    const leak = {
      message: 'relation "organizations.region" does not exist: select * from organizations.region',
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at pg/lib/client.js:526'] },
    };
    proxy.mode = { kind: 'respond', status: 200, body: { data: null, errors: [leak] } };
    const masked = await graph.queryAt(production.url, '{ regions { code } }');
    expect(JSON.stringify(masked.body)).not.toMatch(/select|relation|stacktrace|pg\/lib/);
    expect(masked.body.errors![0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'organizations' },
    });
    proxy.mode = { kind: 'pass' };
    await production.close();
  });
});

describe('a circuit breaker per subgraph', () => {
  it('opens after repeated failures, fails fast without calling the subgraph, and closes when a probe succeeds', async () => {
    const guarded = await graph.startGateway({
      serviceUrls: { organizations: proxy.url },
      subgraphTimeoutMs: 200,
      circuitBreaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 600 },
    });
    proxy.mode = { kind: 'hang' };
    for (let i = 0; i < 3; i++) {
      const { body } = await graph.queryAt(guarded.url, '{ regions { code } }');
      expect(body.errors![0]!.extensions!.code).toBe('SERVICE_TIMEOUT');
    }
    expect(guarded.breakerStates()).toMatchObject({ organizations: 'open', volunteers: 'closed' });
    proxy.requests = 0;
    const started = Date.now();
    const fast = await graph.queryAt(guarded.url, '{ regions { code } }');
    expect(Date.now() - started).toBeLessThan(150);
    expect(fast.body.errors![0]!.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'organizations', circuitOpen: true });
    expect(proxy.requests).toBe(0);
    expect(await metricsOf(guarded)).toMatch(/circuit_breaker_state\{subgraph="organizations"\} 2/);

    proxy.mode = { kind: 'pass' };
    await expect.poll(() => guarded.breakerStates().organizations, { timeout: 3_000, interval: 50 }).toBe('closed');
    const recovered = await graph.queryAt(guarded.url, '{ regions { code } }');
    expect(recovered.body.errors).toBeUndefined();
    expect(await metricsOf(guarded)).toMatch(/circuit_breaker_state\{subgraph="organizations"\} 0/);
    await guarded.close();
  });
});

describe('a subgraph that is down', () => {
  it('gives partial data naming the service, /ready 503, and its return is picked up', async () => {
    const document = `{ regions { code } campaign(id: "${randomUUID()}") { id } }`;
    expect((await readyOf(graph.gatewayUrl)).status).toBe(200);
    await graph.stopSubgraph('donations');
    try {
      const { status, body } = await graph.query(document);
      expect(status).toBe(200);
      expect(body.data!.regions).toHaveLength(20);
      expect(body.data!.campaign).toBeNull();
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'donations' });
      const ready = await readyOf(graph.gatewayUrl);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'degraded', unavailable: ['donations'] });
    } finally {
      await graph.restartSubgraph('donations');
    }
    await expect.poll(async () => (await readyOf(graph.gatewayUrl)).status, { timeout: 5_000, interval: 100 }).toBe(200);
    await expect.poll(async () => (await graph.query(document)).body.errors, { timeout: 5_000, interval: 100 }).toBeUndefined();
  });
});

describe('shutdown', () => {
  it('finishes in-flight requests, then stops taking new ones', async () => {
    const leaving = await graph.startGateway({ serviceUrls: { organizations: proxy.url } });
    proxy.mode = { kind: 'delay', ms: 600 };
    const inFlight = graph.queryAt(leaving.url, '{ regions { code } }');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const closing = leaving.close();
    const { status, body } = await inFlight;
    expect(status).toBe(200);
    expect(body.data!.regions).toHaveLength(20);
    await closing;
    await expect(
      fetch(leaving.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
    ).rejects.toThrow();
    proxy.mode = { kind: 'pass' };
  });
});

describe('hot reload of the supergraph file', () => {
  it('serves a new supergraph, and keeps the old one when the new file is broken', async () => {
    const file = join(dir, 'supergraph.graphql');
    copyFileSync('schema/supergraph.graphql', file);
    const original = readFileSync(file, 'utf8');
    const reloading = await graph.startGateway({ supergraphPath: file });
    const volunteers = '{ volunteers(first: 1) { nodes { id } } regions { code } }';
    const admin = graph.token({ role: 'admin' });
    expect((await graph.queryAt(reloading.url, volunteers, { token: admin })).body.errors).toBeUndefined();

    for (const broken of ['this is not GraphQL {', original.replace(/enum join__Graph \{[^}]*\}/, ''), '']) {
      writeFileSync(file, broken);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const { body } = await graph.queryAt(reloading.url, volunteers, { token: admin });
      expect(body.errors).toBeUndefined();
      expect(body.data!.regions).toHaveLength(20);
    }
    expect(await metricsOf(reloading)).toMatch(/supergraph_reloads_total\{outcome="failed"\} [1-9]/);

    const organizationsOnly = composeSupergraph(SUBGRAPHS.filter((s) => s.name === 'organizations'));
    if (!organizationsOnly.ok) throw new Error(organizationsOnly.errors.join('\n'));
    writeFileSync(file, organizationsOnly.supergraphSdl);
    await expect
      .poll(async () => (await graph.queryAt(reloading.url, volunteers, { token: admin })).body.errors?.[0]?.message, {
        timeout: 5_000,
        interval: 100,
      })
      .toMatch(/Cannot query field "volunteers"/);
    expect((await graph.queryAt(reloading.url, '{ regions { code } }')).body.data!.regions).toHaveLength(20);

    writeFileSync(file, original);
    await expect
      .poll(async () => (await graph.queryAt(reloading.url, volunteers, { token: admin })).body.errors, { timeout: 5_000, interval: 100 })
      .toBeUndefined();
    await reloading.close();
  });
});

describe('observability', () => {
  it('passes the request id to the subgraphs, whose logs carry it too', async () => {
    const requestId = `req-${randomUUID()}`;
    const { headers, body } = await graph.query(`query RegionNames { regions { code } volunteer(id: "${randomUUID()}") { id } }`, {
      headers: { 'x-request-id': requestId },
    });
    expect(body.errors).toBeUndefined();
    expect(headers.get('x-request-id')).toBe(requestId);
    expect(logLines.gateway!.some((l) => l.requestId === requestId && l.msg === 'graphql request' && l.operation === 'RegionNames')).toBe(
      true,
    );
    expect(logLines.organizations!.some((l) => l.requestId === requestId)).toBe(true);
    expect(logLines.volunteers!.some((l) => l.requestId === requestId)).toBe(true);
    // A request without one gets a fresh id, echoed back.
    const fresh = await graph.query('{ __typename }');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics: requests and latency by operation and caller, errors by code, subgraph calls and circuits', async () => {
    await graph.query('query RegionCodes { regions { code } }', { token: graph.token({ role: 'analyst' }) });
    await graph.query('{ me { id } }');
    const text = await metricsOf(graph.gateway);
    expect(text).toMatch(/graphql_requests_total\{operation="RegionCodes",caller_kind="analyst",status="200"\} 1/);
    expect(text).toMatch(/graphql_request_duration_seconds_count\{operation="RegionCodes",caller_kind="analyst"\} 1/);
    expect(text).toMatch(/graphql_errors_total\{code="UNAUTHENTICATED"\} [1-9]/);
    expect(text).toMatch(/graphql_errors_total\{code="SERVICE_UNAVAILABLE"\} [1-9]/);
    expect(text).toMatch(/subgraph_fetch_duration_seconds_count\{subgraph="organizations"\} [1-9]/);
    expect(text).toMatch(/subgraph_fetch_failures_total\{subgraph="donations",reason="unavailable"\} [1-9]/);
    expect(text).toMatch(/circuit_breaker_state\{subgraph="organizations"\} 0/);
    expect(text).toMatch(/gateway_process_cpu_seconds_total/);
  });

  it('traces a request across the gateway and the subgraphs with OpenTelemetry', async () => {
    spans.length = 0;
    const { body } = await graph.query(`{ regions { code volunteerCount } }`);
    expect(body.errors).toBeUndefined();
    const expected = [
      'gateway POST /graphql',
      'subgraph organizations',
      'organizations POST /graphql',
      'subgraph volunteers',
      'volunteers POST /graphql',
    ];
    const traceWithAll = () => {
      const byTrace = new Map<string, string[]>();
      for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span.name]);
      return [...byTrace.values()].find((names) => expected.every((name) => names.includes(name)));
    };
    await expect.poll(() => traceWithAll() !== undefined, { timeout: 5_000, interval: 100 }).toBe(true);
    const trace = traceWithAll()!;
    // @apollo/gateway's own spans (planning, execution) join the same trace.
    expect(trace.some((name) => name.startsWith('gateway.'))).toBe(true);
  });
});
