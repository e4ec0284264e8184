import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createDatabase, createLogger, dataDir, startSubgraph, type Logger } from './kit/index.ts';
import { subgraphDatabaseUrl, subgraphEntry, type SubgraphName } from './registry.ts';

export interface SubgraphProcessOptions {
  /** @default PORT, else the registry's port */
  port?: number;
  /** Runs once the subgraph serves (e.g. loading the demo data in development). */
  afterStart?(db: Kysely<any>, log: Logger): Promise<void>;
}

/**
 * One subgraph as its own process, as deployed (`node dist/subgraphs/<name>/main.js`):
 * its database (<NAME>_DATABASE_URL or DATABASE_URL, else PGlite under DATA_DIR),
 * migrations (under an advisory lock, so replicas starting together migrate once),
 * HTTP on PORT/HOST; SIGINT/SIGTERM drain in-flight requests, then close the database.
 */
export async function runSubgraphProcess(name: SubgraphName | string, options: SubgraphProcessOptions = {}): Promise<void> {
  const entry = subgraphEntry(name);
  const log = createLogger(entry.name);
  const url = subgraphDatabaseUrl(entry);
  const port = options.port ?? Number(process.env.PORT ?? entry.port);
  const database = await createDatabase({ schema: entry.dbSchema, url, dataDir: url ? undefined : join(dataDir(), entry.name) });
  const definition = await entry.load();
  const running = await startSubgraph(definition, database, { port, host: process.env.HOST ?? '127.0.0.1', logger: log });
  await options.afterStart?.(database.db, log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing in-flight requests');
    await running.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.send?.({ ready: entry.name, url: running.url });
}
