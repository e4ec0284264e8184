/**
 * Startup time and peak memory, from the TypeScript sources through tsx against the compiled
 * JavaScript of `npm run build` (bench/RESULTS.md, "Compiled build"):
 *   npm run build && npx tsx scripts/lib/bench/startup.ts [--rounds 5]
 * Each round starts a process and measures the time from spawn to its first 200 on /ready (the
 * gateway, with the four subgraphs up) or /health (a subgraph, PGlite, already migrated), and its
 * peak resident memory (VmHWM of /proc/<pid>/status, every thread included) when it is stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SUBGRAPHS } from '../../../subgraphs/registry.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'vg-startup-'));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface Started {
  child: ChildProcess;
  ms: number;
}

async function startAndWait(args: string[], env: NodeJS.ProcessEnv, url: string): Promise<Started> {
  const at = performance.now();
  const child = spawn(process.execPath, args, { cwd: tmpdir(), env: { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...env }, stdio: 'ignore' });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited (${child.exitCode})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return { child, ms: performance.now() - at };
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function peakRssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const variants = {
  tsx: (source: string) => ['--import', import.meta.resolve('tsx'), join(root, `${source}.ts`)],
  compiled: (source: string) => [join(root, 'dist', `${source}.js`)],
};

async function measure(label: string, source: string, env: NodeJS.ProcessEnv, url: string): Promise<void> {
  for (const [variant, args] of Object.entries(variants)) {
    const times: number[] = [];
    const peaks: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const { child, ms } = await startAndWait(args(source), env, url);
      await new Promise((resolve) => setTimeout(resolve, 300)); // settle
      peaks.push(peakRssMb(child));
      times.push(ms);
      await stop(child);
    }
    console.log(
      `${label.padEnd(14)} ${variant.padEnd(9)} start→ready median ${Math.round(median(times))} ms (min ${Math.round(Math.min(...times))}, max ${Math.round(Math.max(...times))}); peak RSS median ${Math.round(median(peaks))} MB (max ${Math.round(Math.max(...peaks))})`,
    );
  }
}

try {
  // The four subgraphs, compiled, on PGlite (migrated by their first start).
  const ports = await Promise.all(SUBGRAPHS.map(() => freePort()));
  const urls = Object.fromEntries(SUBGRAPHS.map((s, i) => [s.urlEnv, `http://127.0.0.1:${ports[i]}/graphql`]));
  const subgraphs = await Promise.all(
    SUBGRAPHS.map((s, i) => startAndWait([join(root, 'dist/subgraphs', s.name, 'main.js')], { PORT: String(ports[i]), ...urls }, `http://127.0.0.1:${ports[i]}/health`)),
  );
  // A subgraph alone (organizations, on its now migrated PGlite data), then the gateway in front of the four.
  await stop(subgraphs[1]!.child);
  await measure('organizations', 'subgraphs/organizations/main', { PORT: String(ports[1]), ...urls }, `http://127.0.0.1:${ports[1]}/health`);
  const organizations = await startAndWait([join(root, 'dist/subgraphs/organizations/main.js')], { PORT: String(ports[1]), ...urls }, `http://127.0.0.1:${ports[1]}/health`);
  const gatewayPort = await freePort();
  await measure('gateway', 'gateway/main', { GATEWAY_PORT: String(gatewayPort), ...urls }, `http://127.0.0.1:${gatewayPort}/ready`);
  for (const s of [...subgraphs.filter((_, i) => i !== 1), organizations]) await stop(s.child);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
