import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';

/**
 * Once per run of the graph tests:
 * - a PGlite template: creating a PGlite instance takes seconds, loading a dump of
 *   a fresh one a fraction of that, so every test database starts from it;
 * - Redis for the tests of shared budgets and keys: TEST_REDIS_URL, else the one on
 *   127.0.0.1:6379, else a `redis-server` started here for the run (Debian's
 *   redis-server package). Without any, those tests fail and say why.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await ensureRedis();
  project.provide('redisUrl', redis.url);
  let templateDir: string | undefined;
  if (!process.env.TEST_DATABASE_URL) {
    templateDir = mkdtempSync(join(tmpdir(), 'vg-pglite-'));
    const pglite = new PGlite();
    await pglite.waitReady;
    const dump = await pglite.dumpDataDir('none');
    await pglite.close();
    const file = join(templateDir, 'template.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    project.provide('pgliteTemplate', file);
  }
  return async () => {
    if (templateDir) rmSync(templateDir, { recursive: true, force: true });
    await redis.stop();
  };
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}

async function ensureRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { hostname, port } = new URL(url);
  const portNumber = Number(port || 6379);
  if (await reachable(hostname, portNumber)) return { url, stop: async () => {} };
  let child: ChildProcess | undefined;
  try {
    child = spawn('redis-server', ['--port', String(portNumber), '--bind', hostname, '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    child.once('error', () => {});
    for (let i = 0; i < 100 && !(await reachable(hostname, portNumber)); i++) await sleep(100);
  } catch {
    child = undefined;
  }
  if (!child || !(await reachable(hostname, portNumber))) {
    console.warn(`No Redis at ${url} and none could be started (apt-get install redis-server): the tests of shared budgets will fail.`);
  }
  return {
    url,
    stop: async () => {
      child?.kill();
    },
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    redisUrl: string;
  }
}
