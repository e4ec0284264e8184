import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { random, seedOf } from '../seed/random.ts';
import { cumulative } from '../seed/random.ts';
import { MIX, type OperationName, type PreparedRequest, type Workload } from './workload.ts';

/** autocannon, from the bench's own dependency tree (bench/package.json). */
const benchRequire = createRequire(fileURLToPath(new URL('../../../bench/package.json', import.meta.url)));

export interface LoadOptions {
  url: string;
  /** Our gateway takes a bearer JWT; the peers a pre-signed identity header. */
  credentials: 'bearer' | 'identity';
  connections: number;
  seconds: number;
  workload: Workload;
  /** Names the writes' idempotency keys and log lines (unique per run). */
  runId: string;
  /** Only these operations (e.g. one at a time); default: the mix. */
  mix?: readonly [OperationName, number][];
}

export interface OperationStats {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  byOperation: Partial<Record<OperationName, OperationStats>>;
  errorSamples: string[];
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Context {
  operation?: OperationName;
  started?: number;
}

/**
 * Drives the mixed workload with autocannon (keep-alive connections, one
 * request in flight per connection): each request picks an operation by the
 * mix's shares from a seeded sequence, reads use a fixed pool of prepared
 * requests, writes are fresh (new idempotency key, new day). Latency is
 * measured per request; a response is an error when its status is not 2xx or
 * its body carries GraphQL errors.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const autocannon = benchRequire('autocannon') as (opts: unknown, cb: (err: Error | null, result: any) => void) => { on(event: string, listener: (...args: any[]) => void): void };
  const mix = options.mix ?? MIX;
  const shares = cumulative(mix.map(([, w]) => w));
  const r = random(seedOf(`load-${options.runId}`));
  const cursor = new Map<OperationName, number>();
  const latencies: number[] = [];
  const perOperation = new Map<OperationName, { latencies: number[]; errors: number }>();
  const errorSamples: string[] = [];
  let errors = 0;

  const next = (): PreparedRequest => {
    const operation = mix[r.weighted(shares)]![0];
    if (operation === 'LogHours' || operation === 'RecordDonation') return options.workload.nextWrite(operation, options.runId);
    const pool = options.workload.pools[operation];
    const i = cursor.get(operation) ?? 0;
    cursor.set(operation, i + 1);
    return pool[i % pool.length]!;
  };
  const path = new URL(options.url).pathname || '/';

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        pipelining: 1,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path,
            setupRequest: (req: Record<string, unknown>, context: Context) => {
              const prepared = next();
              context.operation = prepared.operation;
              context.started = performance.now();
              return {
                ...req,
                path,
                headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(options.credentials === 'bearer' ? prepared.bearer : prepared.identity) },
                body: prepared.body,
              };
            },
            onResponse: (status: number, body: string, context: Context) => {
              const ms = performance.now() - (context.started ?? performance.now());
              const operation = context.operation!;
              const failed = status < 200 || status >= 300 || body.includes('"errors"');
              latencies.push(ms);
              const entry = perOperation.get(operation) ?? { latencies: [], errors: 0 };
              entry.latencies.push(ms);
              if (failed) {
                entry.errors += 1;
                errors += 1;
                if (errorSamples.length < 8) errorSamples.push(`${operation} ${status}: ${body.slice(0, 400)}`);
              }
              perOperation.set(operation, entry);
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = [...latencies].sort((a, b) => a - b);
        const byOperation: LoadResult['byOperation'] = {};
        for (const [operation, entry] of perOperation) {
          const s = entry.latencies.sort((a, b) => a - b);
          byOperation[operation] = { requests: s.length, errors: entry.errors, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
        }
        resolve({
          requests: sorted.length,
          seconds: options.seconds,
          rps: sorted.length / options.seconds,
          errors: errors + (result.timeouts ?? 0),
          non2xx: result.non2xx ?? 0,
          timeouts: result.timeouts ?? 0,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          max: sorted[sorted.length - 1] ?? 0,
          byOperation,
          errorSamples,
        });
      },
    );
    instance.on('error', reject);
  });
}
