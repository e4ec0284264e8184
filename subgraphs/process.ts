import { join } from 'node:path';
import { createDatabase, createLogger, startSubgraph } from './kit/index.ts';
import { subgraphDatabaseUrl, subgraphEntry } from './registry.ts';
import { loadSubgraph, seedSubgraphDemo } from './servers.ts';

export interface SubgraphProcessOptions {
  port?: number;
  seedDemo?: boolean;
}

/** One subgraph process: database, migrations, optional demo data, HTTP; stops on SIGINT/SIGTERM. */
export async function runSubgraphProcess(name: string, options: SubgraphProcessOptions = {}): Promise<void> {
  const entry = subgraphEntry(name);
  const log = createLogger(entry.name);
  const url = subgraphDatabaseUrl(entry);
  const port = options.port ?? Number(process.env.PORT ?? entry.port);
  const database = await createDatabase({
    schema: entry.dbSchema,
    url,
    dataDir: url ? undefined : join(process.env.DATA_DIR ?? '.data', entry.name),
  });
  const definition = await loadSubgraph(entry.name);
  const running = await startSubgraph(definition, database, { port, host: process.env.HOST ?? '127.0.0.1', logger: log });
  if (options.seedDemo) {
    const seeded = await seedSubgraphDemo(entry.name, database.db);
    log.info({ seeded }, seeded ? 'demo data loaded' : 'demo data already present');
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await running.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.send?.({ ready: entry.name, url: running.url });
}
