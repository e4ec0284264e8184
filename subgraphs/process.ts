import { join } from 'node:path';
import { createDatabase, createLogger, dataDir, startSubgraph } from './kit/index.ts';
import { subgraphDatabaseUrl, subgraphEntry, type SubgraphName } from './registry.ts';
import { loadSubgraph, seedSubgraphDemo } from './servers.ts';

export interface SubgraphProcessOptions {
  /** @default PORT, else the registry's port */
  port?: number;
  /** Load the demo data when the subgraph is empty (development: `npm start`, `--seed-demo`, SEED_DEMO=1). */
  seedDemo?: boolean;
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
  const definition = await loadSubgraph(entry.name);
  const running = await startSubgraph(definition, database, { port, host: process.env.HOST ?? '127.0.0.1', logger: log });
  if (options.seedDemo ?? process.env.SEED_DEMO === '1') {
    const seeded = await seedSubgraphDemo(entry.name, database.db);
    log.info({ seeded }, seeded ? 'demo data loaded' : 'demo data already present');
  }
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
