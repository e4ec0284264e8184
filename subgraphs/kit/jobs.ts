import type { Kysely } from 'kysely';
import type { Logger } from '../../platform/logger.ts';
import type { Mailer } from './mail.ts';

/** What a scheduled job is given: the subgraph's database, its mailer, its log and the clock. */
export interface JobRuntime<DB = any> {
  db: Kysely<DB>;
  mailer: Mailer;
  log: Logger;
  /** The current instant; injectable so that tests move time. */
  now(): Date;
}

/**
 * A job a subgraph runs in-process every few minutes. It must be idempotent:
 * replicas run it too, and a run may be repeated after a failure; its rows
 * (claimed with `for update skip locked`, or unique keys) make it run once per item.
 */
export interface Job<DB = any> {
  name: string;
  /** Runs once; returns how many items it handled (for the log and tests). */
  run(runtime: JobRuntime<DB>): Promise<number>;
}

export const DEFAULT_JOBS_INTERVAL_MS = 300_000;

/** The jobs of a subgraph process, run one after another every `intervalMs` (0: never by timer). */
export class JobRunner<DB = any> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<Record<string, number>> | null = null;
  private closed = false;

  constructor(
    private readonly jobs: readonly Job<DB>[],
    private readonly runtime: JobRuntime<DB>,
    intervalMs: number,
  ) {
    if (intervalMs > 0 && jobs.length > 0) {
      this.timer = setInterval(() => void this.runAll().catch(() => {}), intervalMs);
      this.timer.unref();
    }
  }

  /** Runs every job once (waits for a run under way first): items handled per job. A failing job is logged and retried next time. */
  async runAll(): Promise<Record<string, number>> {
    while (this.running) await this.running.catch(() => {});
    if (this.closed) return {};
    this.running = (async () => {
      const handled: Record<string, number> = {};
      for (const job of this.jobs) {
        try {
          handled[job.name] = await job.run(this.runtime);
        } catch (error) {
          this.runtime.log.warn({ err: error, job: job.name }, 'job failed; retried on its next run');
          handled[job.name] = 0;
        }
      }
      return handled;
    })();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => {});
    this.runtime.mailer.close();
  }
}
