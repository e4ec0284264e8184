/**
 * Every HTTP route of the gateway besides its probes is under the same limits
 * as /graphql — per caller, in the same store — and open-data exports are
 * built once per real key: unknown parameters and years without data are
 * refused, concurrent requests share one build.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../gateway/server.ts';
import { today } from '../../subgraphs/kit/index.ts';
import { SUBGRAPHS } from '../../subgraphs/registry.ts';
import { startGraph, type Graph } from '../harness.ts';
import { startProxy } from './proxy.ts';

let graph: Graph;
const currentYear = Number(today().slice(0, 4));

beforeAll(async () => {
  graph = await startGraph();
}, 180_000);

afterAll(async () => {
  await graph?.close();
});

const originOf = (gateway: RunningGateway) => new URL(gateway.url).origin;
const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers }).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }));

/** Subgraph calls made while `act` runs. */
async function subgraphCallsDuring(act: () => Promise<unknown>): Promise<number> {
  graph.resetSubgraphCalls();
  await act();
  return graph.subgraphCalls();
}

describe('open-data exports', () => {
  it('refuse parameters an export does not take, so the IATI file is never rebuilt for a year it ignores', async () => {
    const origin = new URL(graph.gatewayUrl).origin;
    const calls = await subgraphCallsDuring(async () => {
      for (let year = 2030; year < 2090; year++) {
        const response = await get(`${origin}/open-data/iati-activities.xml?year=${year}`);
        expect(response.status).toBe(400);
        expect(JSON.parse(response.text)).toEqual({ error: 'unknown parameter "year": iati-activities.xml takes no parameters' });
      }
    });
    expect(calls).toBe(0);
    for (const path of [
      'iati-activities.xml?format=csv',
      '360giving-grants.json?year=2026',
      '360giving-grants.json?x',
      `register-by-region.csv?year=${currentYear}&page=2`,
    ]) {
      expect({ path, status: (await get(`${origin}/open-data/${path}`)).status }).toEqual({ path, status: 400 });
    }
    // Without parameters it is built once and then served from the cache.
    const built = await subgraphCallsDuring(() => get(`${origin}/open-data/iati-activities.xml`));
    expect(built).toBeGreaterThan(0);
    expect(await subgraphCallsDuring(() => get(`${origin}/open-data/iati-activities.xml`))).toBe(0);
  });

  it('take a year of the register only from 2016 to the current year in Kazakhstan, once, and cache the default year under it', async () => {
    const origin = new URL(graph.gatewayUrl).origin;
    for (const year of ['2015', String(currentYear + 1), '2089', 'nineteen', '02020', '2020.0', '']) {
      const response = await get(`${origin}/open-data/register-by-region.csv?year=${year}`);
      expect({ year, status: response.status }).toEqual({ year, status: 400 });
    }
    expect(JSON.parse((await get(`${origin}/open-data/register-by-region.csv?year=1999`)).text).error).toBe(
      `year must be a year from 2016 to ${currentYear}`,
    );
    expect((await get(`${origin}/open-data/register-by-region.csv?year=2020&year=2021`)).status).toBe(400);

    const first = await subgraphCallsDuring(async () =>
      expect((await get(`${origin}/open-data/register-by-region.csv?year=2016`)).status).toBe(200),
    );
    expect(first).toBeGreaterThan(0);
    // No year is the current year: one export, one cache entry.
    expect(
      await subgraphCallsDuring(async () =>
        expect((await get(`${origin}/open-data/register-by-region.csv?year=${currentYear}`)).status).toBe(200),
      ),
    ).toBeGreaterThan(0);
    const again = await get(`${origin}/open-data/register-by-region.csv`);
    expect(again.status).toBe(200);
    expect(again.headers.get('content-disposition')).toContain(`register-by-region-${currentYear}.csv`);
    expect(await subgraphCallsDuring(() => get(`${origin}/open-data/register-by-region.csv`))).toBe(0);
  });

  it('share one build between concurrent requests for the same export, even when nothing is cached', async () => {
    // Slow subgraphs (each call delayed) make a build long enough for the requests to overlap.
    const proxies = await Promise.all(SUBGRAPHS.map(async (s) => [s.name, await startProxy(() => graph.subgraphUrl(s.name))] as const));
    for (const [, proxy] of proxies) proxy.mode = { kind: 'delay', ms: 200 };
    const uncached = await graph.startGateway({
      openData: { cacheSeconds: 0 },
      serviceUrls: Object.fromEntries(proxies.map(([name, proxy]) => [name, proxy.url])),
    });
    const origin = originOf(uncached);
    for (const path of ['iati-activities.xml', '360giving-grants.json', `register-by-region.csv?year=${currentYear}`]) {
      const oneBuild = await subgraphCallsDuring(() => get(`${origin}/open-data/${path}`));
      expect(oneBuild).toBeGreaterThan(0);
      // Without a cache, one after the other is a build each.
      expect(
        await subgraphCallsDuring(async () => {
          await get(`${origin}/open-data/${path}`);
          await get(`${origin}/open-data/${path}`);
        }),
      ).toBe(2 * oneBuild);
      let bodies: string[] = [];
      const concurrent = await subgraphCallsDuring(async () => {
        const responses = await Promise.all(Array.from({ length: 12 }, () => get(`${origin}/open-data/${path}`)));
        expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
        bodies = responses.map((r) => r.text);
      });
      expect({ path, concurrent }).toEqual({ path, concurrent: oneBuild });
      expect(new Set(bodies).size).toBe(1);
    }
    await uncached.close();
    for (const [, proxy] of proxies) await proxy.close();
  });
});

describe('the limits of /graphql on every route', () => {
  it('answer 429 on open data and the explorer once /graphql answered 429 to an address, and the other way round; probes stay open', async () => {
    const limited = await graph.startGateway({ rateLimit: { enabled: true, tiers: { anonymous: { points: 3, durationSeconds: 60 } } } });
    const origin = originOf(limited);
    for (let i = 0; i < 3; i++) expect((await graph.queryAt(limited.url, '{ regions { code } }')).status).toBe(200);
    expect((await graph.queryAt(limited.url, '{ regions { code } }')).status).toBe(429);
    const calls = await subgraphCallsDuring(async () => {
      for (let year = 2016; year < 2016 + 20 && year <= currentYear; year++) {
        const refused = await get(`${origin}/open-data/register-by-region.csv?year=${year}`);
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(JSON.parse(refused.text).errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', tier: 'anonymous' });
      }
    });
    expect(calls).toBe(0);
    for (const path of ['/open-data', '/open-data/iati-activities.xml', '/explorer', '/explorer/graphiql.css', '/explorer/examples.json']) {
      expect({ path, status: (await get(`${origin}${path}`)).status }).toEqual({ path, status: 429 });
    }
    // A browser's GET of /graphql (redirected to the explorer) is counted too.
    expect((await get(limited.url, { accept: 'text/html' })).status).toBe(429);
    for (const path of ['/health', '/metrics']) expect((await get(`${origin}${path}`)).status).toBe(200);
    // A signed-in caller has a budget of its own.
    expect(
      (await get(`${origin}/open-data`, { authorization: `Bearer ${graph.token({ role: 'analyst', sub: 'routes-analyst' })}` })).status,
    ).toBe(200);
    await limited.close();

    // The other way round: downloads spend the budget /graphql draws on.
    const again = await graph.startGateway({ rateLimit: { enabled: true, tiers: { anonymous: { points: 3, durationSeconds: 60 } } } });
    for (let i = 0; i < 3; i++) expect((await get(`${originOf(again)}/open-data/register-by-region.csv`)).status).toBe(200);
    expect((await graph.queryAt(again.url, '{ regions { code } }')).status).toBe(429);
    await again.close();
  });

  it('count routes in the shared Redis budget of every replica', async () => {
    const rateLimit = {
      enabled: true,
      keyPrefix: `vg-test-${randomBytes(4).toString('hex')}`,
      tiers: { anonymous: { points: 2, durationSeconds: 60 } },
    };
    const a = await graph.startGateway({ redisUrl: 'redis://127.0.0.1:6379', rateLimit });
    const b = await graph.startGateway({ redisUrl: 'redis://127.0.0.1:6379', rateLimit });
    expect((await graph.queryAt(a.url, '{ regions { code } }')).status).toBe(200);
    expect((await get(`${originOf(b)}/explorer`)).status).toBe(200);
    expect((await get(`${originOf(b)}/open-data/iati-activities.xml`)).status).toBe(429);
    expect((await graph.queryAt(a.url, '{ regions { code } }')).status).toBe(429);
    await a.close();
    await b.close();
  });

  it('charge a refused credential on a route to the address, as on /graphql', async () => {
    const limited = await graph.startGateway({ rateLimit: { enabled: true, tiers: { anonymous: { points: 2, durationSeconds: 60 } } } });
    const origin = originOf(limited);
    const forged = { 'x-api-key': `vgk_${randomBytes(8).toString('hex')}_${'A'.repeat(43)}` };
    for (let i = 0; i < 2; i++) expect((await get(`${origin}/open-data`, forged)).status).toBe(401);
    expect((await get(`${origin}/open-data`, forged)).status).toBe(429);
    expect((await get(`${origin}/open-data`)).status).toBe(429);
    await limited.close();
  });
});
