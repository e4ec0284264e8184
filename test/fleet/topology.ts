/**
 * The production topology on one machine, from the compiled JavaScript (dist/):
 * processes started with plain `node`, a generated nginx in front, throwaway
 * PostgreSQL databases. Used by fleet.test.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(ROOT, 'dist');

/** Why the fleet cannot run here (nothing when it can). */
export function missingPrerequisites(databaseUrl: string, redisUrl: string): string[] {
  const missing: string[] = [];
  if (!existsSync(join(DIST, 'gateway/main.js'))) missing.push('dist/ (run `npm run build` first; `npm run test:fleet` does)');
  if (!nginxBinary()) missing.push('nginx (Debian package nginx-light or nginx)');
  const pg = spawnSync('pg_isready', ['-d', databaseUrl, '-q'], { timeout: 5_000 });
  if (pg.status !== 0) missing.push(`PostgreSQL at ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
  const redis = new URL(redisUrl);
  const ping = spawnSync('redis-cli', ['-h', redis.hostname, '-p', redis.port || '6379', 'ping'], { timeout: 5_000, encoding: 'utf8' });
  if (ping.stdout?.trim() !== 'PONG') missing.push(`Redis at ${redisUrl}`);
  return missing;
}

export function nginxBinary(): string | null {
  for (const candidate of [process.env.NGINX_BIN, '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One process of the fleet, with its JSON log lines kept. */
export class FleetProcess {
  child: ChildProcess | null = null;
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  starts = 0;

  constructor(
    readonly label: string,
    readonly script: string,
    readonly env: NodeJS.ProcessEnv,
    readonly cwd: string,
    readonly execArgv: string[] = [],
  ) {}

  start(): void {
    this.starts += 1;
    const child = spawn(process.execPath, [...this.execArgv, join(DIST, this.script)], {
      cwd: this.cwd,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        this.raw.push(line);
        try {
          this.lines.push({ ...(JSON.parse(line) as Record<string, unknown>), start: this.starts });
        } catch {
          // not JSON (a stack trace, a warning): kept in raw
        }
      }
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.child = child;
  }

  /** SIGTERM (graceful drain), and the exit. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(n = 20): string {
    return this.raw.slice(-n).join('\n');
  }
}

/** Waits until `url` answers 200 (the process may still be starting); fails with the process's last lines. */
export async function waitForOk(url: string, process: FleetProcess | null, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process && !process.running) throw new Error(`${process.label} exited while starting:\n${process.tail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms${process ? `:\n${process.tail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface NginxUpstreams {
  /** Listen port → the servers behind it. */
  [listenPort: number]: number[];
}

/**
 * nginx in front of each group of replicas. No keep-alive to the upstreams: a
 * replica that drains stops accepting, and nginx passes the next request to
 * the other one (`proxy_next_upstream error timeout`: a request not yet sent,
 * even a POST, goes to the next server; a sent POST is never sent twice).
 * `max_fails=0`: a refused connection never takes a replica out for a while —
 * when the first replica has just come back and the second one stops, "no live
 * upstreams" (502) would follow; a refused connect on loopback costs nothing.
 */
export class Nginx {
  private child: ChildProcess | null = null;
  readonly dir: string;
  readonly errors: string[] = [];

  constructor(
    dir: string,
    readonly upstreams: NginxUpstreams,
  ) {
    this.dir = dir;
  }

  config(): string {
    const d = this.dir;
    const user = process.getuid?.() === 0 ? 'user root root;\n' : '';
    const blocks = (Object.entries(this.upstreams) as [string, number[]][]).map(
      ([listen, servers]) => `
  upstream u${listen} {
${servers.map((port) => `    server 127.0.0.1:${port} max_fails=0;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${listen};
    location / {
      proxy_pass http://u${listen};
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
      add_header X-Upstream $upstream_addr always;
    }
  }`,
    );
    return `${user}worker_processes 1;
daemon off;
pid ${d}/nginx.pid;
error_log ${d}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${d}/body;
  proxy_temp_path ${d}/proxy;
  fastcgi_temp_path ${d}/fastcgi;
  uwsgi_temp_path ${d}/uwsgi;
  scgi_temp_path ${d}/scgi;
${blocks.join('\n')}
}
`;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    chmodSync(this.dir, 0o777);
    const file = join(this.dir, 'nginx.conf');
    writeFileSync(file, this.config());
    const binary = nginxBinary()!;
    const check = spawnSync(binary, ['-t', '-c', file, '-p', this.dir], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`nginx refused its configuration:\n${check.stderr}`);
    this.child = spawn(binary, ['-c', file, '-p', this.dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => this.errors.push(chunk.toString('utf8')));
    for (const port of Object.keys(this.upstreams)) await waitForListening(Number(port));
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGQUIT'); // graceful
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function waitForListening(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      return; // anything from nginx (even a 502) means it listens
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx is not listening on ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
