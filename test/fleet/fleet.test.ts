/**
 * Many machines, proven on one: the production topology from the compiled
 * JavaScript (`npm run build`; `npm run test:fleet` builds and runs this file).
 *
 *   client ─► nginx ─┬─► gateway 1 ─┐            ┌─► volunteers     (own database)
 *                    └─► gateway 2 ─┼────────────┼─► organizations  (own database)
 *                                   │            ├─► cooperation    (own database)
 *                                   └─► nginx ───┴─► donations ×2   (one database, two replicas)
 *   gateways: one Redis (rate limits, APQ, API keys); the supergraph polled from a URL.
 *
 * Each subgraph has its own throwaway PostgreSQL database on the local server
 * (dropped afterwards). Every process is plain `node dist/…` started from a
 * folder outside the repository. Skipped, saying why, without PostgreSQL,
 * Redis, nginx or a build.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../scripts/lib/compose.ts';
import { SUBGRAPHS, type SubgraphName } from '../../subgraphs/registry.ts';
import { signDevToken } from '../harness.ts';
import { DIST, FleetProcess, Nginx, ROOT, freePort, missingPrerequisites, waitForOk } from './topology.ts';

const DATABASE_URL = process.env.FLEET_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.FLEET_REDIS_URL ?? 'redis://127.0.0.1:6379';
const missing = missingPrerequisites(DATABASE_URL, REDIS_URL);
if (missing.length && process.env.FLEET_REQUIRED) throw new Error(`the fleet test cannot run — missing: ${missing.join('; ')}`);
if (missing.length) console.warn(`fleet test skipped — missing: ${missing.join('; ')}`);

const run = `fleet_${randomBytes(3).toString('hex')}`;
const JWT_SECRET = randomBytes(32).toString('base64url');
const INTERNAL_TOKEN_SECRET = randomBytes(32).toString('base64url');
const POLL_MS = 1_000;
const ANONYMOUS_LIMIT = 30;
const manifest = JSON.parse(readFileSync(join(ROOT, 'schema/operations/manifest.json'), 'utf8')) as {
  operations: { id: string; name: string }[];
};
const documentId = (name: string) => `sha256:${manifest.operations.find((o) => o.name === name)!.id}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let work: string;
let admin: pg.Client;
const databases: Partial<Record<SubgraphName, string>> = {};
const subgraphs = new Map<string, FleetProcess>();
const gateways: FleetProcess[] = [];
const gatewayPorts: number[] = [];
let nginx: Nginx;
let frontPort: number;
let redis: Redis;
let publisher: Server;
let published: string;
/** When the publisher answered the full text (not a 304), per supergraph hash: each gateway fetches a new text once. */
const fetchedAt = new Map<string, number[]>();
let modulesFile: string;

const adminToken = () => signDevToken({ role: 'admin', sub: 'fleet-admin', expiresIn: 1_800 }, JWT_SECRET);
const front = () => `http://127.0.0.1:${frontPort}/graphql`;
const direct = (i: number) => `http://127.0.0.1:${gatewayPorts[i]}`;

interface Answer {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  upstream: string | null;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: Answer['body'];
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    parsed = { errors: [{ message: `not JSON (${response.status}): ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, body: parsed, upstream: response.headers.get('x-upstream') };
}

const asAdmin = (url: string, query: string, variables?: Record<string, unknown>) =>
  post(url, { query, variables }, { authorization: `Bearer ${adminToken()}` });

/** The environment of every process: nothing inherited but PATH and HOME (no NODE_ENV=test, no test database). */
function baseEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'info', INTERNAL_TOKEN_SECRET };
}

function databaseUrl(name: string): string {
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

describe.skipIf(missing.length > 0)('the fleet: two gateways behind nginx, subgraphs in their own databases, one shared Redis', () => {
  let subgraphUrls: Record<string, string>;
  let donationsPorts: number[];
  let donationsFront: number;
  let subgraphEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vg-fleet-'));
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    for (const entry of SUBGRAPHS) {
      databases[entry.name] = `${run}_${entry.name}`;
      await admin.query(`create database "${databases[entry.name]}"`);
    }
    redis = new Redis(REDIS_URL);

    // The published supergraph: composed as CI composes it; the URLs in it are overridden by the environment.
    const composed = composeSupergraph();
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    published = composed.supergraphSdl;
    publisher = createServer((req, res) => {
      const etag = `"${sha256(published).slice(0, 20)}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      fetchedAt.set(sha256(published), [...(fetchedAt.get(sha256(published)) ?? []), Date.now()]);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', etag }).end(published);
    });
    await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));

    const ports = Object.fromEntries(await Promise.all(SUBGRAPHS.map(async (s) => [s.name, await freePort()] as const)));
    donationsPorts = [ports.donations!, await freePort()];
    donationsFront = await freePort();
    subgraphUrls = Object.fromEntries(
      SUBGRAPHS.map((s) => [s.urlEnv, `http://127.0.0.1:${s.name === 'donations' ? donationsFront : ports[s.name]}/graphql`]),
    );
    subgraphEnv = { ...baseEnv(), HOST: '127.0.0.1', ...subgraphUrls };

    // Each subgraph in its own database; donations as two replicas starting together on its empty database.
    for (const entry of SUBGRAPHS) {
      const replicas = entry.name === 'donations' ? donationsPorts : [ports[entry.name]!];
      replicas.forEach((port, i) => {
        const label = replicas.length > 1 ? `${entry.name}-${i + 1}` : entry.name;
        subgraphs.set(
          label,
          new FleetProcess(
            label,
            `subgraphs/${entry.name}/main.js`,
            { ...subgraphEnv, PORT: String(port), [entry.databaseUrlEnv]: databaseUrl(databases[entry.name]!) },
            work,
          ),
        );
      });
    }
    for (const process of subgraphs.values()) process.start();
    await Promise.all(
      [...subgraphs.entries()].map(([label, process]) =>
        waitForOk(`http://127.0.0.1:${process.env.PORT}/health`, process).catch((e: Error) =>
          Promise.reject(new Error(`${label}: ${e.message}`)),
        ),
      ),
    );

    // The demo data, loaded by the compiled seed script into the four databases.
    const seed = spawnSync(process.execPath, [join(DIST, 'scripts/seed.js'), '--scale', 'demo', '--quiet'], {
      cwd: work,
      env: { ...baseEnv(), ...Object.fromEntries(SUBGRAPHS.map((s) => [s.databaseUrlEnv, databaseUrl(databases[s.name]!)])) },
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (seed.status !== 0) throw new Error(`seed failed:\n${seed.stdout}\n${seed.stderr}`);

    // nginx: the gateways' front, and the donations replicas' front.
    gatewayPorts.push(await freePort(), await freePort());
    frontPort = await freePort();
    nginx = new Nginx(join(work, 'nginx'), { [frontPort]: gatewayPorts, [donationsFront]: donationsPorts });
    await nginx.start();

    modulesFile = join(work, 'gateway-1-modules.txt');
    gatewayPorts.forEach((port, i) => {
      const env: NodeJS.ProcessEnv = {
        ...baseEnv(),
        ...subgraphUrls,
        HOST: '127.0.0.1',
        GATEWAY_PORT: String(port),
        JWT_SECRET,
        REDIS_URL,
        API_KEYS_STORE: 'redis',
        API_KEYS_REDIS_KEY: `${run}:api-keys`,
        RATE_LIMIT_KEY_PREFIX: `${run}:rl`,
        RATE_LIMIT_TIERS: `anonymous=${ANONYMOUS_LIMIT}/600,user=1000000/60,partner=1000000/60`,
        TRUST_PROXY: 'true',
        SUPERGRAPH_URL: `http://127.0.0.1:${(publisher.address() as AddressInfo).port}/supergraph.graphql`,
        SUPERGRAPH_POLL_MS: String(POLL_MS),
        SHUTDOWN_GRACE_MS: '10000',
        ...(i === 0 ? { RECORD_MODULES_FILE: modulesFile } : {}),
      };
      // Gateway 1 records the modules it loads (a preload that is plain JavaScript).
      const execArgv = i === 0 ? ['--import', join(ROOT, 'test/fleet/record-modules.mjs')] : [];
      gateways.push(new FleetProcess(`gateway-${i + 1}`, 'gateway/main.js', env, work, execArgv));
    });
    for (const gateway of gateways) gateway.start();
    await Promise.all(gateways.map((g, i) => waitForOk(`${direct(i)}/ready`, g)));
  }, 600_000);

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await nginx?.stop();
    for (const process of subgraphs.values()) await process.stop();
    await new Promise<void>((resolve) => (publisher ? publisher.close(() => resolve()) : resolve()));
    if (redis) {
      const keys = await redis.keys(`${run}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    if (admin) {
      for (const name of Object.values(databases)) await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
    // FLEET_KEEP=1 keeps the logs (nginx, every process) for a post-mortem.
    if (work && !process.env.FLEET_KEEP) rmSync(work, { recursive: true, force: true });
    else if (work) for (const p of [...gateways, ...subgraphs.values()]) writeFileSync(join(work, `${p.label}.log`), p.raw.join('\n'));
  }, 120_000);

  it('runs compiled JavaScript only, from a folder outside the repository: no TypeScript is loaded', async () => {
    // The gateway answers the README's first query…
    const { body } = await asAdmin(
      front(),
      '{ region(code: "710000000") { nameEn volunteerCount donationsTotal(year: 2026) { amount currency } missionParticipants(year: 2026) } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.region.nameEn).toBe('Astana');
    // …and what gateway 1 loaded (recorded as it exits) holds no TypeScript.
    await gateways[0]!.stop();
    const modules = readFileSync(modulesFile, 'utf8').split('\n').filter(Boolean);
    expect(modules.some((m) => m.includes('/dist/gateway/main.js'))).toBe(true);
    expect(modules.filter((m) => /\/node_modules\/(typescript|tsx|esbuild)\/|\.ts$/.test(m))).toEqual([]);
    gateways[0]!.start();
    await waitForOk(`${direct(0)}/ready`, gateways[0]!);
  });

  it('migrates once when two replicas of a subgraph start together on an empty database', async () => {
    const applied = ['donations-1', 'donations-2'].map((label) =>
      subgraphs
        .get(label)!
        .lines.filter((l) => l.start === 1 && Array.isArray(l.applied))
        .map((l) => (l.applied as string[]).length),
    );
    // One replica applied every migration, the other found nothing to apply; neither failed.
    expect(applied.map((a) => a.length)).toEqual([1, 1]);
    expect(applied.flat().sort((a, b) => a - b)[0]).toBe(0);
    expect(applied.flat().sort((a, b) => a - b)[1]).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: databaseUrl(databases.donations!) });
    await client.connect();
    const { rows } = await client
      .query<{ n: number; distinct: number }>(
        'select count(*)::int as n, count(distinct name)::int as distinct from donations.kysely_migration',
      )
      .finally(() => client.end());
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(rows[0]!.n).toBe(rows[0]!.distinct);
  });

  it('shares the rate-limit budget: requests spread over both replicas get 429 at the global limit', async () => {
    const statuses: number[] = [];
    const upstreams = new Set<string>();
    for (let i = 0; i < ANONYMOUS_LIMIT + 10; i++) {
      const answer = await post(front(), { documentId: documentId('OpenOpportunities'), variables: { first: 1 } });
      statuses.push(answer.status);
      if (answer.status === 200 && answer.upstream) upstreams.add(answer.upstream);
    }
    expect(upstreams.size).toBe(2); // both gateways served the budget
    expect(statuses.filter((s) => s === 200)).toHaveLength(ANONYMOUS_LIMIT);
    expect(statuses.slice(ANONYMOUS_LIMIT).every((s) => s === 429)).toBe(true);
    // The budget of this address is spent for ten minutes: give it back for the tests that follow.
    const keys = await redis.keys(`${run}:rl*`);
    if (keys.length) await redis.del(...keys);
  });

  it('refuses an API key on the other replica within 1 s of its revocation', async () => {
    const partners = await asAdmin(front(), '{ partners(first: 1) { nodes { id } } }');
    const partnerId = partners.body.data!.partners.nodes[0].id as string;
    const toolEnv = { ...baseEnv(), API_KEYS_STORE: 'redis', REDIS_URL, API_KEYS_REDIS_KEY: `${run}:api-keys` };
    const created = spawnSync(process.execPath, [join(DIST, 'scripts/api-key.js'), 'create', '--partner', partnerId, '--label', 'fleet'], {
      cwd: work,
      env: toolEnv,
      encoding: 'utf8',
    });
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    const keyId = /^vgk_([a-f0-9]{16})_/.exec(key)![1]!;
    const asPartner = (i: number) =>
      post(`${direct(i)}/graphql`, { documentId: documentId('PartnerMissionsAndGrants'), variables: { first: 1 } }, { 'x-api-key': key });
    for (const i of [0, 1]) {
      const answer = await asPartner(i);
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    }
    // Revoked through the first replica's store (Redis), as an operator does with `npm run api-key -- revoke`…
    const revoked = spawnSync(process.execPath, [join(DIST, 'scripts/api-key.js'), 'revoke', keyId], {
      cwd: work,
      env: toolEnv,
      encoding: 'utf8',
    });
    expect(revoked.status).toBe(0);
    const at = Date.now();
    // …and refused by the second one within a second.
    let refusedAfter = Infinity;
    while (Date.now() - at < 3_000) {
      const answer = await asPartner(1);
      if (answer.status === 401) {
        refusedAfter = Date.now() - at;
        expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.info(`fleet: a revoked API key refused by the other replica after ${refusedAfter} ms`);
    expect(refusedAfter).toBeLessThanOrEqual(1_000);
    expect((await asPartner(0)).status).toBe(401);
  });

  it('serves on one replica a persisted query registered on the other', async () => {
    const query = `query FleetApq { regions { code } } # ${run}`;
    const hash = sha256(query);
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    const headers = { authorization: `Bearer ${adminToken()}` };
    const unknown = await post(`${direct(1)}/graphql`, { extensions }, headers);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(`${direct(0)}/graphql`, { query, extensions }, headers);
    expect(registered.body.data?.regions).toHaveLength(20);
    const served = await post(`${direct(1)}/graphql`, { extensions }, headers);
    expect(served.body.errors).toBeUndefined();
    expect(served.body.data?.regions).toHaveLength(20);
  });

  it('serves a new supergraph published at the URL on both replicas within the poll interval', async () => {
    const before = published;
    const readyHash = async (i: number) =>
      ((await (await fetch(`${direct(i)}/ready`)).json()) as { supergraph?: { hash?: string } }).supergraph?.hash;
    expect([await readyHash(0), await readyHash(1)]).toEqual([sha256(before), sha256(before)]);
    // Without cooperation (and the roadmap, whose progress @requires cooperation's figures).
    const withoutCooperation = composeSupergraph(SUBGRAPHS.filter((s) => s.name !== 'cooperation' && s.name !== 'roadmap'));
    if (!withoutCooperation.ok) throw new Error(withoutCooperation.errors.join('\n'));

    const fetched: number[] = [];
    const served: number[] = [];
    for (const next of [withoutCooperation.supergraphSdl, before]) {
      const hash = sha256(next);
      fetchedAt.delete(hash);
      published = next;
      const at = Date.now();
      await Promise.all(
        [0, 1].map(async (i) => {
          for (;;) {
            if ((await readyHash(i)) === hash) return;
            if (Date.now() - at > 15 * POLL_MS) throw new Error(`gateway ${i + 1} still serves the old supergraph`);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }),
      );
      served.push(Date.now() - at);
      // Both gateways fetched the new text (once each: then their ETag matches).
      const times = fetchedAt.get(hash) ?? [];
      expect(times).toHaveLength(2);
      fetched.push(Math.max(...times) - at);
      // Served, not only loaded: a cooperation field exists only in the full supergraph.
      for (const i of [0, 1]) {
        const answer = await asAdmin(`${direct(i)}/graphql`, '{ region(code: "710000000") { missionParticipants(year: 2026) } }');
        if (next === before) expect(answer.body.errors).toBeUndefined();
        else expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      }
      const metrics = await (await fetch(`${direct(1)}/metrics`)).text();
      expect(metrics).toContain(`supergraph_info{hash="${hash}"} 1`);
    }
    console.info(
      `fleet: a new supergraph fetched by both gateways after ${fetched.join(' ms, ')} ms, served after ${served.join(' ms, ')} ms (poll ${POLL_MS} ms)`,
    );
    // Picked up within the poll interval (plus timer slack on a busy machine); loading it then takes what building the query planner takes.
    for (const ms of fetched) expect(ms).toBeLessThanOrEqual(POLL_MS + 500);
  });

  it('loses nothing under a mixed read and write load while both gateways and both donations replicas restart in turn', async () => {
    const ids = await asAdmin(front(), '{ donors(first: 1) { nodes { id } } organizations(first: 20) { nodes { id status } } }');
    expect(ids.body.errors).toBeUndefined();
    const donorId = ids.body.data!.donors.nodes[0].id as string;
    const recipientId = (ids.body.data!.organizations.nodes as { id: string; status: string }[]).find((o) => o.status === 'REGISTERED')!.id;
    const donationsDb = new pg.Client({ connectionString: databaseUrl(databases.donations!) });
    await donationsDb.connect();
    const count = async () =>
      (
        await donationsDb.query<{ n: number }>(
          'select count(*)::int as n from donations.donations where donor_id = $1 and recipient_id = $2',
          [donorId, recipientId],
        )
      ).rows[0]!.n;
    const before = await count();

    const RECORD = `mutation Record($input: RecordDonationInput!, $key: String!) { recordDonation(input: $input, idempotencyKey: $key) { id receiptNumber } }`;
    const READ = `query Dashboard { region(code: "710000000") { nameEn volunteerCount donationsTotal(year: 2026) { amount } missionParticipants(year: 2026) } }`;
    const acknowledged = new Map<string, string>(); // idempotency key → donation id
    const failures: string[] = [];
    let requests = 0;
    let clientRetries = 0;
    let done = false;

    /**
     * One request as a well-behaved client sends it: a write carries an idempotency key and is
     * retried with the same key when no answer came back (connection error, 502/503/504); nginx
     * already passes requests not yet sent to the other replica, so retries should be rare.
     */
    async function request(body: unknown): Promise<Answer | null> {
      for (let attempt = 0; attempt < 3; attempt++) {
        if (attempt > 0) clientRetries += 1;
        try {
          const answer = await post(front(), body, { authorization: `Bearer ${adminToken()}` });
          if (![502, 503, 504].includes(answer.status)) return answer;
        } catch {
          // no answer: retry
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return null;
    }

    async function worker(n: number): Promise<void> {
      for (let i = 0; !done; i++) {
        requests += 1;
        if (i % 3 === 0) {
          const key = `${run}-${n}-${i}-${randomUUID()}`;
          const answer = await request({
            query: RECORD,
            variables: {
              key,
              input: {
                donorId,
                recipientId,
                amount: { amount: `${100 + n}.${String(i % 100).padStart(2, '0')}`, currency: 'KZT' },
                date: '2026-11-25',
              },
            },
          });
          if (answer?.status === 200 && answer.body.data?.recordDonation?.id && !answer.body.errors)
            acknowledged.set(key, answer.body.data.recordDonation.id as string);
          else
            failures.push(
              `${Date.now() - t0} write ${key}: ${answer ? `${answer.status} ${JSON.stringify(answer.body.errors)}` : 'no answer'}`,
            );
        } else {
          const answer = await request({ query: READ });
          if (!(answer?.status === 200 && answer.body.data?.region?.nameEn === 'Astana' && !answer.body.errors)) {
            failures.push(`${Date.now() - t0} read: ${answer ? `${answer.status} ${JSON.stringify(answer.body.errors)}` : 'no answer'}`);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 25)); // a bounded load: four clients, a few dozen requests a second
      }
    }

    const t0 = Date.now();
    const load = Promise.all([0, 1, 2, 3].map(worker));
    const restarts: { label: string; ms: number; from: number }[] = [];
    const restart = async (process: FleetProcess, readyUrl: string) => {
      const at = Date.now();
      const code = await process.stop();
      expect(code).toBe(0); // a graceful stop
      process.start();
      await waitForOk(readyUrl, process);
      restarts.push({ label: process.label, ms: Date.now() - at, from: at - t0 });
    };
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await restart(gateways[0]!, `${direct(0)}/ready`);
      await restart(gateways[1]!, `${direct(1)}/ready`);
      for (const [i, label] of ['donations-1', 'donations-2'].entries()) {
        await restart(subgraphs.get(label)!, `http://127.0.0.1:${donationsPorts[i]}/health`);
        await waitForOk(`${direct(0)}/ready`, null, 30_000); // the gateways see donations again
      }
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      done = true;
      await load;
    }
    console.info(
      `fleet: ${requests} requests (${acknowledged.size} writes acknowledged) during restarts of ${restarts.map((r) => `${r.label} ${r.ms} ms (at ${r.from} ms)`).join(', ')}; ` +
        `${failures.length} failed, ${clientRetries} client retries`,
    );
    expect(failures).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(10);

    // Every acknowledged write is there exactly once: one donation per key, and nothing else was written.
    const keys = [...acknowledged.keys()];
    const { rows } = await donationsDb.query<{ key: string; entity_id: string }>(
      'select key, entity_id from donations.idempotency_keys where key = any($1)',
      [keys],
    );
    expect(rows).toHaveLength(keys.length);
    for (const row of rows) expect(row.entity_id).toBe(acknowledged.get(row.key));
    const stored = await donationsDb.query<{ n: number }>('select count(*)::int as n from donations.donations where id = any($1::uuid[])', [
      [...acknowledged.values()],
    ]);
    expect(stored.rows[0]!.n).toBe(acknowledged.size);
    expect(await count()).toBe(before + acknowledged.size);
    await donationsDb.end();
  }, 300_000);
});
