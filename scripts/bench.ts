/**
 * npm run bench [-- --duration 30 --warmup 10 --connections 32 --gateways ours,ours-lean,apollo,hive,hive-rust
 *                   --profile --skip-explain --explain-only --only worst-documents]
 *
 * On the seeded national data (DATABASE_URL, default the local volunteer_graph_bench
 * database; load it with `npm run seed -- --scale national`):
 * 1. the analyst dashboards, a volunteer's book and an organization's page at
 *    the subgraphs, with EXPLAIN ANALYZE of every statement (bench/explain/);
 * 2. the four subgraphs as separate processes, and in front of them, one after
 *    the other on the same port: our gateway (features on, then off), a plain
 *    @apollo/gateway in @apollo/server, Hive Gateway, and Hive Gateway with the
 *    Rust query planner — same supergraph, same subgraphs, same mixed workload
 *    (autocannon). Per gateway: req/s, p50/p95/p99, errors, gateway CPU and
 *    peak RSS, SQL statements per operation; then our figures as ratios.
 * 3. against our gateway, the worst documents that fit MAX_TOKENS (fragment
 *    fan-out, nesting, aliases, …): time to the refusal, /health meanwhile.
 * `--only worst-documents` measures just that, on PGlite demo data in this
 * process (no PostgreSQL needed).
 * Results: bench/runs/<time>.json and .md (bench/RESULTS.md is written from a run).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEV_JWT_SECRET } from '../gateway/identity.ts';
import { prepareSupergraphForGateway } from '../gateway/supergraph.ts';
import { DEV_INTERNAL_SECRET } from '../subgraphs/kit/index.ts';
import { SUBGRAPHS, type SubgraphName } from '../subgraphs/registry.ts';
import { measureDashboards, type DashboardResult } from './lib/bench/dashboards.ts';
import { runLoad, type LoadResult } from './lib/bench/load.ts';
import { machineLoad, monitor } from './lib/bench/proc.ts';
import { summarizeProfile } from './lib/bench/profile.ts';
import { buildWorkload, MIX, OPERATIONS, type OperationName, type Workload } from './lib/bench/workload.ts';
import {
  measureWorstDocuments,
  renderWorstDocuments,
  worstDocumentsOnDemoGraph,
  type WorstDocumentResult,
} from './lib/bench/worst-documents.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    gateways: { type: 'string', default: 'ours,ours-lean,apollo,hive,hive-rust' },
    profile: { type: 'boolean', default: false },
    'skip-explain': { type: 'boolean', default: false },
    'explain-only': { type: 'boolean', default: false },
    'explain-dir': { type: 'string', default: 'bench/explain' },
    'statement-samples': { type: 'string', default: '20' },
    /** Prototype gateways to measure beside ours (comma-separated paths to a main.ts, e.g. a patched copy outside the tree). */
    proto: { type: 'string' },
    /** Rounds over all gateways (interleaved, so that a busy spell of the machine spreads over all of them). */
    rounds: { type: 'string', default: '1' },
    /** `worst-documents`: only the worst documents that fit MAX_TOKENS, on PGlite demo data. */
    only: { type: 'string' },
  },
});
const seconds = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/volunteer_graph_bench';
process.env.DATABASE_URL = databaseUrl;
const SUBGRAPH_PORT: Record<SubgraphName, number> = {
  volunteers: 4101,
  organizations: 4102,
  donations: 4103,
  cooperation: 4104,
  roadmap: 4105,
};
const GATEWAY_PORT = 4100;
const runs = join(root, 'bench', 'runs');
mkdirSync(runs, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const log = (line: string) => console.log(line);

if (values.only !== undefined) {
  if (values.only !== 'worst-documents') {
    console.error(`--only ${values.only}: unknown (known: worst-documents)`);
    process.exit(2);
  }
  log(
    'Worst documents that fit MAX_TOKENS, against our gateway (fastest and median of 9 tries; /health probed while four clients send the document)',
  );
  const results = await worstDocumentsOnDemoGraph(log);
  const report = `Run ${stamp} on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; load ${machineLoad().loadavg}.\n\n${renderWorstDocuments(results).join('\n')}\n`;
  writeFileSync(join(runs, `${stamp}-worst-documents.md`), report);
  writeFileSync(join(runs, `${stamp}-worst-documents.json`), JSON.stringify(results, null, 2));
  log(`\n${report}`);
  log(`written: bench/runs/${stamp}-worst-documents.md and .json`);
  process.exit(0);
}

// ---- preconditions --------------------------------------------------------

if (!existsSync(join(root, 'bench', 'node_modules', 'autocannon'))) {
  log('installing the benchmark dependencies (npm ci --prefix bench) …');
  execFileSync('npm', ['ci', '--prefix', 'bench', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
async function seededScale(): Promise<'national' | 'max' | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ entity_id: string }>(
      `select entity_id from volunteers.audit_log where action = 'seed.bulk-load' order by at desc limit 1`,
    );
    const scale = rows[0]?.entity_id;
    return scale === 'national' || scale === 'max' ? scale : null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}
const scale = await seededScale();
if (!scale) {
  console.error(
    `No national data set in ${databaseUrl}. Load it first:\n  createdb -h 127.0.0.1 -U postgres volunteer_graph_bench\n  DATABASE_URL=${databaseUrl} npm run seed -- --scale national`,
  );
  process.exit(1);
}

const machine = {
  cpus: `${cpus().length} × ${cpus()[0]?.model.trim()}`,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  postgres: '',
  loadBefore: machineLoad().loadavg,
  busyBefore: 0,
};
{
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  machine.postgres = (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  await client.end();
}
machine.busyBefore = await machineLoad().cpuBusy(2_000);
log(
  `machine: ${machine.cpus}, ${machine.memoryGb} GB, Node ${machine.node}, PostgreSQL ${machine.postgres}; load ${machine.loadBefore}, CPU ${(machine.busyBefore * 100).toFixed(0)}% busy before the run`,
);

// ---- 1. dashboards at the subgraphs -----------------------------------------

let dashboards: DashboardResult[] = [];
if (!values['skip-explain']) {
  log(`\n1. dashboards at the subgraphs (EXPLAIN ANALYZE in ${values['explain-dir']}/)`);
  dashboards = await measureDashboards({ outDir: join(root, values['explain-dir']), runs: 7, scale, log });
}
if (values['explain-only']) {
  writeFileSync(join(runs, `${stamp}-dashboards.json`), JSON.stringify({ machine, dashboards }, null, 2));
  process.exit(0);
}

// ---- 2. subgraphs as processes ---------------------------------------------

const children: ChildProcess[] = [];
const commonEnv = {
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  INTERNAL_TOKEN_SECRET: process.env.INTERNAL_TOKEN_SECRET ?? DEV_INTERNAL_SECRET,
  REQUIRE_GATEWAY: '1',
  APOLLO_TELEMETRY_DISABLED: '1',
};
const serviceEnv = Object.fromEntries(SUBGRAPHS.map((s) => [s.urlEnv, `http://127.0.0.1:${SUBGRAPH_PORT[s.name]}/graphql`]));

function started(child: ChildProcess, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on('message', (m: { ready?: string }) => m.ready && resolve());
    child.once('exit', (code) => reject(new Error(`${label} exited (${code}) before it was ready`)));
  });
}
async function waitForHttp(url: string, body: string, headers: Record<string, string>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      if (response.ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
process.on('SIGINT', () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(130);
});

log('\n2. subgraphs (separate processes, PostgreSQL)');
const subgraphs = new Map<SubgraphName, ChildProcess>();
for (const entry of SUBGRAPHS) {
  const child = fork(join(root, 'scripts/lib/bench/subgraph-process.ts'), [entry.name, String(SUBGRAPH_PORT[entry.name])], {
    cwd: root,
    env: { ...commonEnv, ...serviceEnv },
    // BENCH_SUBGRAPH_NODE_OPTIONS: V8 flags for the subgraphs (e.g. --cpu-prof --cpu-prof-dir=bench/runs/subgraphs).
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SUBGRAPH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  subgraphs.set(entry.name, child);
  await started(child, entry.name);
  log(`  ${entry.name} on :${SUBGRAPH_PORT[entry.name]} (pid ${child.pid})`);
}
function subgraphStats(): Promise<Record<SubgraphName, { statements: number; requests: number }>> {
  return Promise.all(
    [...subgraphs].map(
      ([name, child]) =>
        new Promise<[SubgraphName, { statements: number; requests: number }]>((resolve) => {
          const listener = (m: { type?: string; statements: number; requests: number }) => {
            if (m.type !== 'stats') return;
            child.off('message', listener);
            resolve([name, { statements: m.statements, requests: m.requests }]);
          };
          child.on('message', listener);
          child.send({ type: 'stats' });
        }),
    ),
  ).then((entries) => Object.fromEntries(entries) as Record<SubgraphName, { statements: number; requests: number }>);
}

// The peers read an equivalent copy of the supergraph: @authenticated/@requiresScopes links without `for: SECURITY`
// (as our gateway prepares it for @apollo/gateway), and the benchmark's subgraph URLs.
const supergraphPath = join(root, 'schema', 'supergraph.graphql');
let peerSdl = prepareSupergraphForGateway(readFileSync(supergraphPath, 'utf8'));
for (const s of SUBGRAPHS)
  peerSdl = peerSdl.replace(
    new RegExp(`(@join__graph\\(name: "${s.name}", url: ")[^"]*"`),
    `$1http://127.0.0.1:${SUBGRAPH_PORT[s.name]}/graphql"`,
  );
const peerSupergraph = join(runs, 'supergraph.peers.graphql');
writeFileSync(peerSupergraph, peerSdl);

// ---- 3. gateways ----------------------------------------------------------

interface GatewayVariant {
  id: string;
  label: string;
  path: string;
  credentials: 'bearer' | 'identity';
  start(profileDir?: string): ChildProcess;
}
const HIGH_TIERS = 'anonymous=100000000/60,user=100000000/60,partner=100000000/60,partner-plus=100000000/60';
const oursEnv = (lean: boolean) => ({
  ...commonEnv,
  ...serviceEnv,
  GATEWAY_PORT: String(GATEWAY_PORT),
  HOST: '127.0.0.1',
  JWT_SECRET: process.env.JWT_SECRET ?? DEV_JWT_SECRET,
  SUPERGRAPH_PATH: supergraphPath,
  TRUSTED_DOCUMENTS: lean ? 'off' : 'allow',
  ...(lean
    ? { RATE_LIMIT: 'off', CIRCUIT_BREAKER: 'off', APQ: 'off', LOG_LEVEL: 'silent', METRICS: 'off' }
    : { RATE_LIMIT: 'on', RATE_LIMIT_TIERS: HIGH_TIERS, CIRCUIT_BREAKER: 'on', LOG_LEVEL: 'info' }),
});
const ours =
  (lean: boolean, main = join(root, 'gateway/main.ts')) =>
  (profileDir?: string) =>
    fork(main, [], {
      cwd: root,
      env: oursEnv(lean),
      // BENCH_OURS_NODE_OPTIONS: V8 flags for our gateway and the prototypes (e.g. --max-semi-space-size=8).
      execArgv: [
        '--import',
        'tsx',
        ...(process.env.BENCH_OURS_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []),
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
const hive = (rust: boolean) => (_profileDir?: string) =>
  spawn(
    process.execPath,
    [
      join(root, 'bench/node_modules/@graphql-hive/gateway/dist/bin.js'),
      'supergraph',
      peerSupergraph,
      '--config-path',
      join(root, 'bench/hive-gateway.config.mjs'),
      '--port',
      String(GATEWAY_PORT),
      '--host',
      '127.0.0.1',
      '--fork',
      '1',
    ],
    {
      cwd: join(root, 'bench'),
      env: { ...commonEnv, BENCH_SUPERGRAPH: peerSupergraph, BENCH_RUST_PLANNER: rust ? '1' : '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
const VARIANTS: GatewayVariant[] = [
  { id: 'ours', label: 'our gateway (features on)', path: '/graphql', credentials: 'bearer', start: ours(false) },
  { id: 'ours-lean', label: 'our gateway (optional features off)', path: '/graphql', credentials: 'bearer', start: ours(true) },
  {
    id: 'apollo',
    label: 'plain @apollo/gateway 2.14.4 + @apollo/server 5.5.1',
    path: '/',
    credentials: 'identity',
    start: () =>
      fork(join(root, 'bench/baseline-gateway.ts'), [peerSupergraph, String(GATEWAY_PORT)], {
        cwd: root,
        env: { ...commonEnv, ...serviceEnv },
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      }),
  },
  { id: 'hive', label: 'Hive Gateway 2.15.1', path: '/graphql', credentials: 'identity', start: hive(false) },
  {
    id: 'hive-rust',
    label: 'Hive Gateway 2.15.1 + Rust query planner (router-runtime 1.4.23)',
    path: '/graphql',
    credentials: 'identity',
    start: hive(true),
  },
];
const protos = (values.proto ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
protos.forEach((main, i) =>
  VARIANTS.push({
    id: `proto${i + 1}`,
    label: `prototype ${i + 1} (${main})`,
    path: '/graphql',
    credentials: 'bearer',
    start: ours(false, main),
  }),
);
const selected = [...values.gateways.split(',').map((s) => s.trim()), ...protos.map((_, i) => `proto${i + 1}`)];

log('\n3. workload');
const workload: Workload = await buildWorkload(scale, 200);
log(
  `  mix: ${MIX.map(([op, w]) => `${op} ${w}%`).join(', ')}; ${connections} connections, ${warmup} s warm-up + ${seconds} s measured per gateway`,
);

interface GatewayResult {
  id: string;
  label: string;
  load: LoadResult;
  gateway: { cores: number; cpuMsPerRequest: number; peakRssMb: number; hwmMb: number };
  subgraphsCores: number;
  machineBusy: number;
  statements: Partial<Record<OperationName, Partial<Record<SubgraphName, number>> & { total: number; subgraphRequests: number }>>;
}
const results: GatewayResult[] = [];
let worst: WorstDocumentResult[] = [];

async function statementsPerOperation(variant: GatewayVariant, url: string): Promise<GatewayResult['statements']> {
  const samples = Number(values['statement-samples']);
  const out: GatewayResult['statements'] = {};
  for (const operation of Object.keys(OPERATIONS) as OperationName[]) {
    const before = await subgraphStats();
    for (let i = 0; i < samples; i++) {
      const prepared =
        operation === 'LogHours' || operation === 'RecordDonation'
          ? workload.nextWrite(operation, `${stamp}-${variant.id}-st`)
          : workload.pools[operation][i % workload.pools[operation].length]!;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(variant.credentials === 'bearer' ? prepared.bearer : prepared.identity) },
        body: prepared.body,
      });
      const text = await response.text();
      if (!response.ok || text.includes('"errors"')) log(`    ${operation}: ${response.status} ${text.slice(0, 300)}`);
    }
    const after = await subgraphStats();
    const entry: Partial<Record<SubgraphName, number>> & { total: number; subgraphRequests: number } = { total: 0, subgraphRequests: 0 };
    for (const s of SUBGRAPHS) {
      const n = (after[s.name].statements - before[s.name].statements) / samples;
      entry.subgraphRequests += (after[s.name].requests - before[s.name].requests) / samples;
      if (n > 0) entry[s.name] = Math.round(n * 10) / 10;
      entry.total += n;
    }
    entry.total = Math.round(entry.total * 10) / 10;
    entry.subgraphRequests = Math.round(entry.subgraphRequests * 10) / 10;
    out[operation] = entry;
  }
  return out;
}

async function measure(variant: GatewayVariant, round: number): Promise<GatewayResult> {
  const child = variant.start();
  children.push(child);
  const url = `http://127.0.0.1:${GATEWAY_PORT}${variant.path}`;
  const probe = workload.pools.RegionDashboard[0]!;
  await waitForHttp(url, probe.body, variant.credentials === 'bearer' ? probe.bearer : probe.identity);
  log(`\n  ${variant.label} (pid ${child.pid}, round ${round + 1})`);
  const statements = round === 0 ? await statementsPerOperation(variant, url) : {};
  if (variant.id === 'ours' && round === 0) {
    log('    worst documents that fit MAX_TOKENS (anonymous):');
    worst = await measureWorstDocuments({ url, log: (line) => log(`  ${line}`) });
  }
  await runLoad({ url, credentials: variant.credentials, connections, seconds: warmup, workload, runId: `${stamp}-${variant.id}-warm` });
  const gatewayMonitor = monitor(child.pid!);
  const subgraphMonitors = [...subgraphs.values()].map((c) => monitor(c.pid!));
  const busy = machineLoad().cpuBusy(seconds * 1000 - 500);
  const load = await runLoad({ url, credentials: variant.credentials, connections, seconds, workload, runId: `${stamp}-${variant.id}` });
  const g = gatewayMonitor.stop();
  const subgraphsCores = subgraphMonitors.reduce((sum, m) => sum + m.stop().cores, 0);
  const machineBusy = await busy;
  await stopChild(child);
  const result: GatewayResult = {
    id: variant.id,
    label: variant.label,
    load,
    gateway: {
      cores: g.cores,
      cpuMsPerRequest: (g.cpuSeconds * 1000) / Math.max(1, load.requests),
      peakRssMb: g.peakRssMb,
      hwmMb: g.hwmMb,
    },
    subgraphsCores,
    machineBusy,
    statements,
  };
  log(
    `    ${load.rps.toFixed(0)} req/s, p50 ${load.p50.toFixed(1)} / p95 ${load.p95.toFixed(1)} / p99 ${load.p99.toFixed(1)} ms, ${load.errors} errors; ` +
      `gateway ${(g.cores * 100).toFixed(0)}% CPU (${result.gateway.cpuMsPerRequest.toFixed(2)} ms/request), peak RSS ${g.peakRssMb.toFixed(0)} MB; subgraphs ${(subgraphsCores * 100).toFixed(0)}% CPU; machine ${(machineBusy * 100).toFixed(0)}% busy`,
  );
  for (const sample of load.errorSamples.slice(0, 3)) log(`    error: ${sample}`);
  return result;
}

try {
  const rounds: GatewayResult[][] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [i, variant] of VARIANTS.filter((v) => selected.includes(v.id)).entries())
      (rounds[i] ??= []).push(await measure(variant, round));
  }
  results.push(...rounds.map(combineRounds));

  let profile: string | null = null;
  if (values.profile) {
    const dir = join(runs, `${stamp}-profile`);
    mkdirSync(dir, { recursive: true });
    log(`\n4. CPU profile of our gateway under the same load (${dir})`);
    // The last prototype when there is one (what the recommendations lead to), else our gateway as it is.
    const variant = VARIANTS.find((v) => v.id === `proto${protos.length}`) ?? VARIANTS[0]!;
    log(`  profiling ${variant.label}`);
    const child = variant.start(dir);
    children.push(child);
    const url = `http://127.0.0.1:${GATEWAY_PORT}${variant.path}`;
    const probe = workload.pools.RegionDashboard[0]!;
    await waitForHttp(url, probe.body, probe.bearer);
    await runLoad({ url, credentials: 'bearer', connections, seconds: warmup, workload, runId: `${stamp}-profile-warm` });
    await runLoad({ url, credentials: 'bearer', connections, seconds, workload, runId: `${stamp}-profile` });
    await stopChild(child);
    profile = summarizeProfile(dir);
    writeFileSync(join(runs, `${stamp}-profile.txt`), profile);
    log(profile);
  }

  const report = renderReport({ machine, dashboards, results, connections, seconds, warmup, scale, profile });
  writeFileSync(
    join(runs, `${stamp}.json`),
    JSON.stringify({ machine, connections, seconds, warmup, scale, dashboards, results, worst }, null, 2),
  );
  writeFileSync(join(runs, `${stamp}.md`), report);
  writeFileSync(join(runs, 'latest.md'), report);
  log(`\n${report}`);
  log(`written: bench/runs/${stamp}.md and .json`);
} finally {
  for (const child of children) await stopChild(child);
}

/** Several rounds of one gateway: mean throughput and CPU, median latencies, the highest memory, the rounds' req/s kept. */
function combineRounds(list: GatewayResult[]): GatewayResult & { rounds: number[] } {
  const mean = (f: (r: GatewayResult) => number) => list.reduce((s, r) => s + f(r), 0) / list.length;
  const median = (f: (r: GatewayResult) => number) => [...list.map(f)].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  const first = list[0]!;
  return {
    ...first,
    rounds: list.map((r) => Math.round(r.load.rps)),
    load: {
      ...first.load,
      requests: list.reduce((s, r) => s + r.load.requests, 0),
      rps: mean((r) => r.load.rps),
      errors: list.reduce((s, r) => s + r.load.errors, 0),
      p50: median((r) => r.load.p50),
      p95: median((r) => r.load.p95),
      p99: median((r) => r.load.p99),
      max: Math.max(...list.map((r) => r.load.max)),
      errorSamples: list.flatMap((r) => r.load.errorSamples).slice(0, 8),
      byOperation: Object.fromEntries(
        (Object.keys(first.load.byOperation) as OperationName[]).map((op) => {
          const stats = list.map((r) => r.load.byOperation[op]).filter((x) => x !== undefined);
          const med = (f: (x: (typeof stats)[number]) => number) => [...stats.map(f)].sort((a, b) => a - b)[Math.floor(stats.length / 2)]!;
          return [
            op,
            {
              requests: stats.reduce((s, x) => s + x.requests, 0),
              errors: stats.reduce((s, x) => s + x.errors, 0),
              p50: med((x) => x.p50),
              p95: med((x) => x.p95),
              p99: med((x) => x.p99),
            },
          ];
        }),
      ),
    },
    gateway: {
      cores: mean((r) => r.gateway.cores),
      cpuMsPerRequest: mean((r) => r.gateway.cpuMsPerRequest),
      peakRssMb: Math.max(...list.map((r) => r.gateway.peakRssMb)),
      hwmMb: Math.max(...list.map((r) => r.gateway.hwmMb)),
    },
    subgraphsCores: mean((r) => r.subgraphsCores),
    machineBusy: mean((r) => r.machineBusy),
  };
}

// ---- report ---------------------------------------------------------------

function renderReport(input: {
  machine: typeof machine;
  dashboards: DashboardResult[];
  results: GatewayResult[];
  connections: number;
  seconds: number;
  warmup: number;
  scale: string;
  profile: string | null;
}): string {
  const f = (n: number, digits = 1) => n.toFixed(digits);
  const lines: string[] = [];
  lines.push(
    `Run ${stamp} on ${input.machine.cpus}, ${input.machine.memoryGb} GB RAM, Node ${input.machine.node}, PostgreSQL ${input.machine.postgres}; ${input.scale} data set.`,
  );
  lines.push(
    `Load before the run: ${input.machine.loadBefore} (CPU ${(input.machine.busyBefore * 100).toFixed(0)}% busy in the 2 s before it); after: ${machineLoad().loadavg}.`,
  );
  if (input.dashboards.length) {
    lines.push(
      '',
      '### Dashboards at the subgraphs (median of 7, server-side, ms)',
      '',
      '| dashboard | budget | subgraph times (statements) | gateway round trip |',
      '|---|---|---|---|',
    );
    for (const d of input.dashboards) {
      const parts = Object.entries(d.subgraphMs).map(([n, ms]) => `${n} ${f(ms as number)} (${d.statements[n as SubgraphName] ?? 0})`);
      lines.push(`| ${d.dashboard.title} | ${d.dashboard.budgetMs} | ${parts.join(', ')} | ${f(d.gatewayMs)} |`);
    }
  }
  if (input.results.length) {
    lines.push('', `### Mixed workload, ${input.connections} connections, ${input.seconds} s measured after ${input.warmup} s warm-up`, '');
    lines.push(
      '| gateway | req/s (rounds) | p50 ms | p95 ms | p99 ms | errors | gateway CPU | gateway CPU ms/req | gateway peak RSS MB | subgraphs CPU | machine busy |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of input.results) {
      const rounds = (r as { rounds?: number[] }).rounds;
      lines.push(
        `| ${r.label} | ${f(r.load.rps, 0)}${rounds && rounds.length > 1 ? ` (${rounds.join(', ')})` : ''} | ${f(r.load.p50)} | ${f(r.load.p95)} | ${f(r.load.p99)} | ${r.load.errors} | ${f(r.gateway.cores * 100, 0)}% | ${f(r.gateway.cpuMsPerRequest, 2)} | ${f(Math.max(r.gateway.peakRssMb, r.gateway.hwmMb), 0)} | ${f(r.subgraphsCores * 100, 0)}% | ${f(r.machineBusy * 100, 0)}% |`,
      );
    }
    const subjects = [input.results.find((r) => r.id === 'ours'), input.results.filter((r) => r.id.startsWith('proto')).pop()].filter(
      (r) => r !== undefined,
    );
    for (const subject of subjects) {
      lines.push(
        '',
        `### ${subject.label} as a ratio to each`,
        '',
        '| against | throughput | p99 latency (lower is better) | gateway CPU per request (lower is better) | peak RSS |',
        '|---|---|---|---|---|',
      );
      for (const r of input.results.filter((x) => x.id !== subject.id)) {
        const rss = (x: GatewayResult) => Math.max(x.gateway.peakRssMb, x.gateway.hwmMb);
        lines.push(
          `| ${r.label} | ${f(subject.load.rps / r.load.rps, 2)}× | ${f(subject.load.p99 / r.load.p99, 2)}× | ${f(subject.gateway.cpuMsPerRequest / r.gateway.cpuMsPerRequest, 2)}× | ${f(rss(subject) / rss(r), 2)}× |`,
        );
      }
    }
    lines.push(
      '',
      '### Per operation (p50 / p99 ms, errors)',
      '',
      `| operation | ${input.results.map((r) => r.id).join(' | ')} |`,
      `|---|${input.results.map(() => '---').join('|')}|`,
    );
    for (const operation of Object.keys(OPERATIONS) as OperationName[]) {
      lines.push(
        `| ${operation} | ${input.results
          .map((r) => {
            const s = r.load.byOperation[operation];
            return s ? `${f(s.p50)} / ${f(s.p99)}${s.errors ? ` (${s.errors} err)` : ''}` : '–';
          })
          .join(' | ')} |`,
      );
    }
    lines.push(
      '',
      '### SQL statements per operation (all subgraphs; subgraph requests in brackets)',
      '',
      `| operation | ${input.results.map((r) => r.id).join(' | ')} |`,
      `|---|${input.results.map(() => '---').join('|')}|`,
    );
    for (const operation of Object.keys(OPERATIONS) as OperationName[]) {
      lines.push(
        `| ${operation} | ${input.results
          .map((r) => {
            const s = r.statements[operation];
            return s ? `${s.total} (${s.subgraphRequests})` : '–';
          })
          .join(' | ')} |`,
      );
    }
  }
  if (worst.length) lines.push('', '### Worst documents that fit MAX_TOKENS, against our gateway (ms)', '', ...renderWorstDocuments(worst));
  if (input.profile) lines.push('', '### CPU profile of our gateway (self time)', '', '```', input.profile, '```');
  return `${lines.join('\n')}\n`;
}
