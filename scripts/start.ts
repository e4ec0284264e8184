/**
 * npm start — the whole graph on this machine: the five subgraphs (each its own
 * process, PGlite under .data/ unless DATABASE_URL is set), migrated, with the demo
 * data on first start, and the gateway at http://127.0.0.1:4000/graphql.
 * Ctrl-C stops everything; a restart keeps the data.
 *
 * Built (`npm run build`, then `npm run start:prod` = `node dist/scripts/start.js`) it
 * starts the compiled processes with plain node: no tsx, no TypeScript at run time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDir } from '../platform/paths.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
// Running from dist/ (compiled): the children are .js files run by plain node; from the sources, tsx runs .ts.
const compiled = import.meta.url.endsWith('.js');
const script = (path: string) => join(root, `${path}.${compiled ? 'js' : 'ts'}`);
const children: ChildProcess[] = [];
let stopping = false;

function start(label: string, file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = fork(file, args, { env, execArgv: compiled ? [] : ['--import', 'tsx'], stdio: 'inherit' });
    children.push(child);
    child.on('message', (message: { ready?: string; url?: string }) => {
      if (message.ready) resolve(message.url ?? '');
    });
    child.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(`${label} exited (${signal ?? code}); stopping the graph`);
        void stopAll(1);
      }
      reject(new Error(`${label} exited before it was ready`));
    });
  });
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // The gateway first, so it stops taking requests before the subgraphs go.
  for (const child of [...children].reverse()) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

if (!existsSync(`${root}/schema/supergraph.graphql`)) {
  console.error('schema/supergraph.graphql is missing: run `npm run compose`');
  process.exit(1);
}
const env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
const urls = await Promise.all(SUBGRAPHS.map((s) => start(s.name, script('scripts/start-subgraph'), [s.name, '--seed-demo'], env)));
const serviceEnv = Object.fromEntries(SUBGRAPHS.map((s, i) => [s.urlEnv, process.env[s.urlEnv] ?? urls[i]]));
const gatewayUrl = await start('gateway', script('gateway/main'), [], { ...env, ...serviceEnv });
console.log(`\nVolunteer Graph is up: ${gatewayUrl}`);
for (const [i, s] of SUBGRAPHS.entries()) console.log(`  ${s.name.padEnd(14)} ${urls[i]}`);
console.log(`Database: ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite under ${dataDir()}/`}. Ctrl-C stops.`);
