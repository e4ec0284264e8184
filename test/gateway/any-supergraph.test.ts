/**
 * A gateway for any supergraph, fed to a fleet: subgraph URLs overridden by name
 * (any name), the signed identity only for trusted subgraphs (a foreign subgraph
 * never sees it), the supergraph polled from a URL (ETag, last good kept) and its
 * hash reported; production asks only for the secrets its features use.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrlsFromEnv } from '../../gateway/config.ts';
import { DEV_JWT_SECRET, identityOptionsFromEnv } from '../../gateway/identity.ts';
import { DEV_INTERNAL_SECRET, internalSecret } from '../../subgraphs/kit/index.ts';
import { subgraphEntry } from '../../subgraphs/registry.ts';
import { startGraph, type Graph } from '../harness.ts';

/** A subgraph of another team: notices per region, on its own Apollo Server. It records the headers it is sent. */
const NOTICES_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Notice { id: ID! text: String! }
  type Region @key(fields: "code") { code: ID! notices: [Notice!]! }
  type Query { latestNotice: Notice }
`;
const noticesHeaders: IncomingHttpHeaders[] = [];
let notices: { url: string; stop(): Promise<void> };
let graph: Graph;
let dir: string;

/** The supergraph of organizations and the foreign subgraph; URLs that answer nothing, so only the overrides can work. */
function compose(withNotices: boolean): string {
  const organizations = subgraphEntry('organizations');
  const services = [
    { name: 'organizations', url: 'http://127.0.0.1:9/graphql', typeDefs: parse(readFileSync(organizations.sdlPath, 'utf8')) },
    ...(withNotices ? [{ name: 'notices', url: 'http://127.0.0.1:9/graphql', typeDefs: parse(NOTICES_SDL) }] : []),
  ];
  const result = composeServices(services);
  if (!result.supergraphSdl) throw new Error(result.errors?.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vg-any-supergraph-'));
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(NOTICES_SDL),
      resolvers: {
        Query: { latestNotice: () => ({ id: 'n1', text: 'Flood warning' }) },
        Region: { notices: (region: { code: string }) => [{ id: `n-${region.code}`, text: `Notice for ${region.code}` }] },
      } as never,
    }),
  });
  const { url } = await startStandaloneServer(apollo, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      noticesHeaders.push(req.headers);
      return {};
    },
  });
  notices = { url, stop: () => apollo.stop() };
  graph = await startGraph({ subgraphs: ['organizations'] });
});

afterAll(async () => {
  await graph?.close();
  await notices?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a foreign subgraph in the supergraph', () => {
  it('is reached at the URL given by its name, and never receives the signed identity', async () => {
    const file = join(dir, 'with-notices.graphql');
    writeFileSync(file, compose(true));
    // As the environment would give them: any name (SUBGRAPH_URL_<NAME>), and the registry's short form.
    const serviceUrls = serviceUrlsFromEnv({
      SUBGRAPH_URL_NOTICES: notices.url,
      ORGANIZATIONS_URL: graph.subgraphUrl('organizations'),
      REDIS_URL: 'redis://x',
    });
    expect(serviceUrls).toMatchObject({ NOTICES: notices.url, ORGANIZATIONS: graph.subgraphUrl('organizations') });
    expect(serviceUrls).not.toHaveProperty('REDIS');
    const gateway = await graph.startGateway({ supergraphPath: file, serviceUrls });
    noticesHeaders.length = 0;

    const admin = graph.token({ role: 'admin' });
    const { body } = await graph.queryAt(gateway.url, '{ region(code: "710000000") { nameEn notices { text } } latestNotice { text } }', {
      token: admin,
      headers: { 'x-request-id': 'req-foreign-1' },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      region: { nameEn: 'Astana', notices: [{ text: 'Notice for 710000000' }] },
      latestNotice: { text: 'Flood warning' },
    });

    // Readiness probes each subgraph too.
    const ready = await fetch(gateway.url.replace('/graphql', '/ready'));
    expect(ready.status).toBe(200);

    expect(noticesHeaders.length).toBeGreaterThanOrEqual(3); // the root field, the Region entities, the probe
    for (const headers of noticesHeaders) expect(headers).not.toHaveProperty('x-internal-identity');
    expect(noticesHeaders.some((h) => h['x-request-id'] === 'req-foreign-1')).toBe(true);
    // The trusted subgraph still gets the identity: organizations requires it (REQUIRE_GATEWAY in the harness) and answered.
    await gateway.close();
  });

  it('trusts only the listed subgraphs: organizations left off the list is refused by it, as a direct caller would be', async () => {
    const file = join(dir, 'with-notices-untrusted.graphql');
    writeFileSync(file, compose(true));
    const gateway = await graph.startGateway({
      supergraphPath: file,
      serviceUrls: { notices: notices.url, organizations: graph.subgraphUrl('organizations') },
      trustedSubgraphs: ['notices'],
    });
    noticesHeaders.length = 0;
    const trustedOne = await graph.queryAt(gateway.url, '{ latestNotice { text } }');
    expect(trustedOne.body).toEqual({ data: { latestNotice: { text: 'Flood warning' } } });
    expect(noticesHeaders.length).toBeGreaterThan(0);
    expect(noticesHeaders.every((h) => typeof h['x-internal-identity'] === 'string')).toBe(true);
    const untrusted = await graph.queryAt(gateway.url, '{ regions { code } }');
    expect(untrusted.body.data).toBeNull();
    expect(untrusted.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await gateway.close();
  });
});

describe('the supergraph polled from a URL', () => {
  let publisher: Server;
  let published = { sdl: compose(true), status: 200 };
  const conditional: string[] = [];

  beforeAll(async () => {
    publisher = createServer((req, res) => {
      if (published.status !== 200) {
        res.writeHead(published.status).end('unavailable');
        return;
      }
      const etag = `"${sha256(published.sdl).slice(0, 16)}"`;
      const ifNoneMatch = req.headers['if-none-match'];
      if (ifNoneMatch) conditional.push(ifNoneMatch);
      if (ifNoneMatch === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain', etag }).end(published.sdl);
    });
    await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => publisher.close(() => resolve())));

  it('loads new compositions within the poll interval, keeps the last good one on failure, and reports its hash', async () => {
    const url = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}/supergraph.graphql`;
    const gateway = await graph.startGateway({
      supergraphUrl: url,
      supergraphPollMs: 200,
      serviceUrls: { notices: notices.url, organizations: graph.subgraphUrl('organizations') },
    });
    const readyHash = async () =>
      ((await (await fetch(gateway.url.replace('/graphql', '/ready'))).json()) as { supergraph: { hash: string } }).supergraph.hash;
    const metrics = async () => (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    const latest = async () => (await graph.queryAt(gateway.url, '{ latestNotice { text } }')).body;

    const first = published.sdl;
    expect(await readyHash()).toBe(sha256(first));
    expect(await metrics()).toContain(`supergraph_info{hash="${sha256(first)}"} 1`);
    expect((await latest()).data).toEqual({ latestNotice: { text: 'Flood warning' } });
    // Unchanged: the polls are conditional and answered 304.
    await expect.poll(() => conditional.length, { timeout: 3_000, interval: 50 }).toBeGreaterThanOrEqual(2);

    // A new composition (without the foreign subgraph) is served without a restart.
    published = { sdl: compose(false), status: 200 };
    await expect
      .poll(async () => (await latest()).errors?.[0]?.message, { timeout: 3_000, interval: 50 })
      .toMatch(/Cannot query field "latestNotice"/);
    expect(await readyHash()).toBe(sha256(published.sdl));
    const second = published.sdl;

    // The publisher fails, then publishes a broken supergraph: the last good one keeps serving.
    published = { sdl: second, status: 503 };
    await new Promise((resolve) => setTimeout(resolve, 600));
    published = { sdl: second.replace(/enum join__Graph \{[^}]*\}/, ''), status: 200 };
    await expect.poll(metrics, { timeout: 3_000, interval: 50 }).toMatch(/supergraph_reloads_total\{outcome="failed"\} [2-9]/);
    expect((await graph.queryAt(gateway.url, '{ regions { code } }')).body.data?.regions).toHaveLength(20);
    expect(await readyHash()).toBe(sha256(second));
    const text = await metrics();
    expect(text).toContain(`supergraph_info{hash="${sha256(second)}"} 1`);
    expect(text).not.toContain(`supergraph_info{hash="${sha256(first)}"}`);

    // Published again, the first composition comes back.
    published = { sdl: first, status: 200 };
    await expect
      .poll(async () => (await latest()).data, { timeout: 3_000, interval: 50 })
      .toEqual({ latestNotice: { text: 'Flood warning' } });
    expect(await readyHash()).toBe(sha256(first));
    await gateway.close();
  });
});

describe('secrets in production', () => {
  const production = { NODE_ENV: 'production' };
  it('refuses missing, short and development secrets of the features in use', () => {
    expect(() => identityOptionsFromEnv(production)).toThrow(/JWKS_URL, JWKS_FILE or JWT_SECRET/);
    expect(() => identityOptionsFromEnv({ ...production, JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => identityOptionsFromEnv({ ...production, JWT_SECRET: DEV_JWT_SECRET })).toThrow(/development secret/);
    expect(identityOptionsFromEnv({ ...production, JWT_SECRET: 'x'.repeat(40) }).jwtSecret).toBe('x'.repeat(40));
    expect(() => internalSecret(production)).toThrow(/INTERNAL_TOKEN_SECRET/);
    expect(() => internalSecret({ ...production, INTERNAL_TOKEN_SECRET: DEV_INTERNAL_SECRET })).toThrow(/development secret/);
  });

  it('asks for no JWT settings when bearer tokens are off, and refuses bearer tokens then', async () => {
    const options = identityOptionsFromEnv({ ...production, BEARER_TOKENS: 'off', JWT_SECRET: DEV_JWT_SECRET });
    expect(options.jwtSecret).toBeUndefined();
    const gateway = await graph.startGateway({ identity: options, supergraphPath: 'schema/supergraph.graphql' });
    const { status, body } = await graph.queryAt(gateway.url, '{ regions { code } }', { token: graph.token({ role: 'admin' }) });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toMatch(/accepts no bearer tokens/);
    await gateway.close();
  });
});
