/**
 * What the gateway refuses before any subgraph is called — operation limits,
 * untrusted documents, rate limits — and how it speaks HTTP (GraphQL over
 * HTTP audit, CSRF prevention, CORS, batching, body size).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateApiKey, FileApiKeyStore } from '../../gateway/api-keys.ts';
import type { OperationManifest } from '../../gateway/plugins/useTrustedDocuments.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import { startGraph, type Graph } from '../harness.ts';

const run = promisify(execFile);
const manifest = JSON.parse(readFileSync('schema/operations/manifest.json', 'utf8')) as OperationManifest;
const openOpportunities = manifest.operations.find((o) => o.name === 'OpenOpportunities')!;

let graph: Graph;
let dir: string;
let partnerKey: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vg-limits-'));
  const keysFile = join(dir, 'api-keys.json');
  const store = new FileApiKeyStore(keysFile, undefined, 500, false);
  const created = generateApiKey({ partnerId: '7e6d5c4b-3a29-4180-8f7e-6d5c4b3a2918', scopes: ['partner'] });
  await store.save(created.record);
  partnerKey = created.key;
  graph = await startGraph({ gateway: { apiKeys: { file: keysFile } } });
}, 180_000);

afterAll(async () => {
  await graph?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Expects a refusal naming the limit, and that no subgraph was asked anything. */
async function expectRefused(document: string, limit: string, options: Parameters<Graph['query']>[1] = {}) {
  graph.resetSubgraphCalls();
  const { status, body } = await graph.query(document, options);
  expect(status).toBe(400);
  expect(body.data).toBeUndefined();
  const error = body.errors![0]!;
  expect(error.extensions).toMatchObject({ limit });
  expect(error.extensions!.measured).toBeGreaterThan(error.extensions!.max);
  expect(graph.subgraphCalls()).toBe(0);
  return error;
}

describe('operation limits', () => {
  it('refuse a depth bomb', async () => {
    let selection = 'id';
    for (let i = 0; i < 7; i++) selection = `organization { opportunities(first: 1) { nodes { ${selection} } } }`;
    const error = await expectRefused(`{ opportunities(first: 1) { nodes { ${selection} } } }`, 'depth');
    expect(error.extensions).toMatchObject({ code: 'OPERATION_TOO_COMPLEX', max: 12 });
    expect(error.message).toMatch(/levels deep/);
  });

  it('refuse an alias bomb, too many root fields and too many directives', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: regions { code }`).join(' ');
    expect((await expectRefused(`{ ${aliases} }`, 'aliases')).extensions).toMatchObject({
      code: 'OPERATION_TOO_COMPLEX',
      measured: 31,
      max: 30,
    });
    const roots = Array.from({ length: 21 }, (_, i) => `r${i}: __typename`).join(' ');
    expect((await expectRefused(`{ ${roots} }`, 'rootFields')).extensions).toMatchObject({ measured: 21, max: 20 });
    const directives = Array.from({ length: 21 }, (_, i) => `c${i}: code @include(if: true)`).join(' ');
    expect((await expectRefused(`{ regions { ${directives} } }`, 'directives')).extensions).toMatchObject({ measured: 21, max: 20 });
  });

  it('refuse a document of too many tokens before parsing it', async () => {
    const error = await expectRefused(`{ regions { ${'code '.repeat(4_100)} } }`, 'tokens');
    expect(error.extensions).toMatchObject({ code: 'OPERATION_TOO_COMPLEX', max: 4_000 });
  });

  it('price an operation from @listSize/@cost and hold each caller kind to its budget', async () => {
    const expensive = `{ organizations(first: 100) { nodes { name opportunities(first: 100) { nodes { id title } } } } }`;
    const error = await expectRefused(expensive, 'cost');
    // 5 (@cost of Query.organizations) + 100 organizations × (1 + 1 (connection) + 100 opportunities × 1)
    expect(error.extensions).toMatchObject({ code: 'OPERATION_TOO_COMPLEX', measured: 10_205, max: 5_000 });
    expect(error.message).toMatch(/budget of a public caller is 5000/);
    // A partner's budget is larger: the same operation runs.
    const partner = await graph.query(expensive, { headers: { 'x-api-key': partnerKey } });
    expect(partner.status).toBe(200);
    expect(partner.body.errors).toBeUndefined();
    // One more level of lists is beyond even an admin's budget.
    const bomb = `{ organizations(first: 100) { nodes { opportunities(first: 100) { nodes { organization { opportunities(first: 100) { nodes { id } } } } } } } }`;
    const admin = await expectRefused(bomb, 'cost', { token: graph.token({ role: 'admin' }) });
    expect(admin.extensions).toMatchObject({ max: 100_000 });
    expect(admin.extensions!.measured).toBeGreaterThan(1_000_000);
    // Page sizes come from the variables, too.
    const cheap = await graph.query(
      `query ($n: Int!) { organizations(first: $n) { nodes { opportunities(first: $n) { nodes { id } } } } }`,
      { variables: { n: 10 } },
    );
    expect(cheap.body.errors).toBeUndefined();
  });

  it('refuse a page above 100 as bad input naming the argument', async () => {
    graph.resetSubgraphCalls();
    for (const request of [
      { document: '{ organizations(first: 101) { nodes { id } } }', variables: {} },
      { document: 'query ($n: Int) { opportunities(first: $n) { nodes { id } } }', variables: { n: 1000 } },
    ]) {
      const { status, body } = await graph.query(request.document, { variables: request.variables });
      expect(status).toBe(400);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first', limit: 'pageSize', max: 100 });
    }
    expect(graph.subgraphCalls()).toBe(0);
  });

  it('refuse a body above the size limit and a batch above the batch limit', async () => {
    graph.resetSubgraphCalls();
    const huge = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ regions { code } }`, variables: { padding: 'x'.repeat(1_100_000) } }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');

    const batch = (n: number) =>
      fetch(graph.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Array.from({ length: n }, () => ({ query: '{ regions { code } }' }))),
      });
    const tooMany = await batch(11);
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as any).errors[0].extensions).toMatchObject({
      code: 'BAD_REQUEST',
      limit: 'batchSize',
      measured: 11,
      max: 10,
    });
    expect(graph.subgraphCalls()).toBe(0);
    const allowed = await batch(2);
    expect(allowed.status).toBe(200);
    const results = (await allowed.json()) as { data: { regions: unknown[] } }[];
    expect(results).toHaveLength(2);
    expect(results[1]!.data.regions).toHaveLength(20);
  });
});

describe('trusted documents', () => {
  let enforcing: RunningGateway;
  let off: RunningGateway;
  beforeAll(async () => {
    enforcing = await graph.startGateway({ trustedDocuments: { mode: 'enforce', enforceFor: ['public', 'partner'] } });
    off = await graph.startGateway({ trustedDocuments: { mode: 'off' } });
  });
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(
      async (r) => ({
        status: r.status,
        body: (await r.json()) as { data?: any; errors?: { extensions: { code: string } }[] },
      }),
    );

  it('serve a manifest document by id (documentId or the APQ extension), or by its exact text', async () => {
    const byDocumentId = await post(enforcing.url, { documentId: `sha256:${openOpportunities.id}`, variables: { first: 5 } });
    expect(byDocumentId.status).toBe(200);
    expect(byDocumentId.body.data.opportunities.nodes).toEqual(expect.any(Array));
    const byHash = await post(enforcing.url, { extensions: { persistedQuery: { version: 1, sha256Hash: openOpportunities.id } } });
    expect(byHash.status).toBe(200);
    const byText = await post(enforcing.url, { query: openOpportunities.body });
    expect(byText.status).toBe(200);
    expect(byText.body.errors).toBeUndefined();
    const url = new URL(enforcing.url);
    url.searchParams.set('documentId', `sha256:${openOpportunities.id}`);
    url.searchParams.set('variables', JSON.stringify({ first: 1 }));
    const overGet = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(overGet.status).toBe(200);
    expect(((await overGet.json()) as any).data.opportunities.nodes.length).toBeLessThanOrEqual(1);
  });

  it('refuse anything else from anonymous and partner callers in enforce mode, before any subgraph is called', async () => {
    graph.resetSubgraphCalls();
    for (const headers of [{}, { 'x-api-key': partnerKey }] as Record<string, string>[]) {
      const adHoc = await post(enforcing.url, { query: '{ organizations { nodes { id name } } }' }, headers);
      expect(adHoc.status).toBe(400);
      expect(adHoc.body.errors![0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const unknownId = await post(enforcing.url, { documentId: `sha256:${'0'.repeat(64)}` }, headers);
      expect(unknownId.body.errors![0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      // Registering a new APQ document is not a way around the manifest.
      const query = '{ frontOffices { id } }';
      const register = await post(
        enforcing.url,
        { query, extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } } },
        headers,
      );
      expect(register.body.errors![0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
    expect(graph.subgraphCalls()).toBe(0);
  });

  it('let signed-in staff send other documents, with automatic persisted queries', async () => {
    const authorization = `Bearer ${graph.token({ role: 'analyst' })}`;
    const query = `{ regions { code nameEn } } # ${randomBytes(4).toString('hex')}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const miss = await post(enforcing.url, { extensions: { persistedQuery: { version: 1, sha256Hash } } }, { authorization });
    expect(miss.body.errors![0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(enforcing.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash } } }, { authorization });
    expect(registered.body.data.regions).toHaveLength(20);
    const hit = await post(enforcing.url, { extensions: { persistedQuery: { version: 1, sha256Hash } } }, { authorization });
    expect(hit.body.data.regions).toHaveLength(20);
  });

  it('answer a malformed persisted query as BAD_REQUEST saying what is wrong, in every mode', async () => {
    const query = '{ regions { code } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const cases: [unknown, RegExp][] = [
      [{ query, extensions: { persistedQuery: { version: 2, sha256Hash } } }, /version 2/],
      [{ query, extensions: { persistedQuery: 'x' } }, /must be an object/],
      [{ query, extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }, /64 lowercase hex/],
      [{ query, extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }, /does not match/],
      [{ query, documentId: `sha256:${'1'.repeat(64)}` }, /does not match/],
    ];
    for (const url of [graph.gatewayUrl, enforcing.url, off.url]) {
      for (const [body, reason] of cases) {
        const answer = await post(url, body, { authorization: `Bearer ${graph.token({ role: 'analyst' })}` });
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.errors![0]!.extensions.code, JSON.stringify(body)).toBe('BAD_REQUEST');
        expect(JSON.stringify(answer.body.errors)).toMatch(reason);
      }
    }
  });

  it('accept manifest ids and anything else in allow mode, and ignore the manifest when off', async () => {
    expect((await post(graph.gatewayUrl, { documentId: openOpportunities.id })).status).toBe(200);
    expect((await post(graph.gatewayUrl, { query: '{ regions { code } }' })).status).toBe(200);
    const offById = await post(off.url, { documentId: openOpportunities.id });
    expect(offById.body.errors![0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('are checked against the supergraph by `npm run operations -- --check`', async () => {
    const ok = await run('npx', ['tsx', 'scripts/operations.ts', '--check']);
    expect(ok.stdout).toMatch(/trusted documents validate/);
    const broken = join(dir, 'operations');
    await run('mkdir', ['-p', broken]);
    writeFileSync(join(broken, 'stale.graphql'), 'query Stale { regions { code populationDensity } }');
    const failed = await run('npx', ['tsx', 'scripts/operations.ts', '--check', '--dir', broken]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(/Stale: Cannot query field "populationDensity" on type "Region"/);
  });
});

describe('rate limits', () => {
  it('hold an anonymous caller to its tier per address, with Retry-After, and call no subgraph once refused', async () => {
    const limited = await graph.startGateway({ rateLimit: { enabled: true, tiers: { anonymous: { points: 3, durationSeconds: 60 } } } });
    for (let i = 0; i < 3; i++) expect((await graph.queryAt(limited.url, '{ regions { code } }')).status).toBe(200);
    graph.resetSubgraphCalls();
    const refused = await graph.queryAt(limited.url, '{ regions { code } }');
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', tier: 'anonymous' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.errors![0]!.extensions!.retryAfterSeconds).toBe(Number(refused.headers.get('retry-after')));
    expect(graph.subgraphCalls()).toBe(0);
    // Signed-in users and partner keys have budgets of their own.
    expect(
      (await graph.queryAt(limited.url, '{ regions { code } }', { token: graph.token({ role: 'analyst', sub: 'analyst-1' }) })).status,
    ).toBe(200);
    expect((await graph.queryAt(limited.url, '{ regions { code } }', { headers: { 'x-api-key': partnerKey } })).status).toBe(200);
    const metrics = await fetch(limited.url.replace('/graphql', '/metrics')).then((r) => r.text());
    expect(metrics).toMatch(/rate_limit_refusals_total\{tier="anonymous",caller_kind="public"\} 1/);
    await limited.close();
  });

  it('count refused credentials against the address, so keys and tokens cannot be guessed at will', async () => {
    const limited = await graph.startGateway({ rateLimit: { enabled: true, tiers: { anonymous: { points: 3, durationSeconds: 60 } } } });
    const guess = () =>
      graph.queryAt(limited.url, '{ regions { code } }', {
        headers: { 'x-api-key': `vgk_${randomBytes(8).toString('hex')}_${'A'.repeat(43)}` },
      });
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(401);
    expect((await guess()).status).toBe(429);
    await limited.close();
  });

  it('share one budget between two gateway replicas through Redis', async () => {
    const rateLimit = {
      enabled: true,
      keyPrefix: `vg-test-${randomBytes(4).toString('hex')}`,
      tiers: { user: { points: 5, durationSeconds: 60 } },
    };
    const a = await graph.startGateway({ redisUrl: inject('redisUrl'), rateLimit });
    const b = await graph.startGateway({ redisUrl: inject('redisUrl'), rateLimit });
    const token = graph.token({ role: 'coordinator', sub: `shared-${randomBytes(3).toString('hex')}` });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await graph.queryAt(i % 2 ? b.url : a.url, '{ regions { code } }', { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    // Another user is unaffected.
    expect(
      (await graph.queryAt(b.url, '{ regions { code } }', { token: graph.token({ role: 'coordinator', sub: 'someone-else' }) })).status,
    ).toBe(200);
    await a.close();
    await b.close();
  });

  it('count each operation of a batch', async () => {
    const limited = await graph.startGateway({ rateLimit: { enabled: true, tiers: { anonymous: { points: 4, durationSeconds: 60 } } } });
    const batch = () =>
      fetch(limited.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }, { query: '{ __typename }' }]),
      });
    expect((await batch()).status).toBe(200);
    expect((await batch()).status).toBe(429);
    await limited.close();
  });

  it('fail open or closed, as configured, when Redis is down', async () => {
    const deadRedis = 'redis://127.0.0.1:6390';
    const open = await graph.startGateway({ redisUrl: deadRedis, rateLimit: { enabled: true, failureMode: 'open' } });
    expect((await graph.queryAt(open.url, '{ regions { code } }')).status).toBe(200);
    const closed = await graph.startGateway({ redisUrl: deadRedis, rateLimit: { enabled: true, failureMode: 'closed' } });
    const refused = await graph.queryAt(closed.url, '{ regions { code } }');
    expect(refused.status).toBe(503);
    expect(refused.body.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
    await open.close();
    await closed.close();
  });
});

describe('GraphQL over HTTP', () => {
  it('passes every MUST of the graphql-http server audit', async () => {
    const audits = serverAudits({ url: graph.gatewayUrl });
    const failures: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (audit.name.startsWith('MUST') && result.status !== 'ok') failures.push(`${audit.id} ${audit.name}: ${result.reason}`);
    }
    expect(audits.filter((a) => a.name.startsWith('MUST')).length).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });

  it('answers application/graphql-response+json with 4xx for request errors and 200 for field errors', async () => {
    const request = (query: string) =>
      fetch(graph.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query }),
      });
    const ok = await request('{ regions { code } }');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/application\/graphql-response\+json/);
    expect((await request('{ regions { ')).status).toBe(400);
    expect((await request('{ noSuchField }')).status).toBe(400);
    const partial = await request('{ regions { code } me { id } }');
    expect(partial.status).toBe(200);
  });

  it('serves queries over GET, never mutations', async () => {
    const url = new URL(graph.gatewayUrl);
    url.searchParams.set('query', '{ regions { code } }');
    const get = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    url.searchParams.set('query', 'mutation { __typename }');
    const mutation = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(mutation.status).toBe(405);
  });

  it('prevents CSRF: a simple cross-site request is refused', async () => {
    const textPlain = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { __typename }' }),
    });
    expect(textPlain.status).toBe(400);
    expect(await textPlain.text()).toMatch(/CSRF/);
    const url = new URL(graph.gatewayUrl);
    url.searchParams.set('query', '{ regions { code } }');
    expect((await fetch(url)).status).toBe(400);
  });

  it('allows browser origins from CORS_ORIGINS only', async () => {
    const cors = await graph.startGateway({ corsOrigins: ['https://portal.volunteer.example.kz'] });
    const preflight = (origin: string) =>
      fetch(cors.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });
    const allowed = await preflight('https://portal.volunteer.example.kz');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.volunteer.example.kz');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await graph.queryAt(cors.url, '{ __typename }', { headers: { origin: 'https://portal.volunteer.example.kz' } });
    expect(simple.headers.get('access-control-allow-origin')).toBe('https://portal.volunteer.example.kz');
    await cors.close();
  });
});
