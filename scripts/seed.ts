/**
 * npm run seed [-- --scale demo]   — loads the demo data set into every subgraph's database
 * (DATABASE_URL / <NAME>_DATABASE_URL, else PGlite under DATA_DIR), through each subgraph's own
 * repositories. A subgraph that already holds data is left as it is: nothing is loaded twice.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, migrateToLatest } from '../subgraphs/kit/index.ts';
import { SUBGRAPHS, subgraphDatabaseUrl } from '../subgraphs/registry.ts';
import { seedSubgraphDemo } from './lib/demo.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: 'demo' } } });
if (values.scale !== 'demo') {
  console.error(`--scale ${values.scale} is not available yet; only "demo" is.`);
  process.exit(2);
}
for (const entry of SUBGRAPHS) {
  const url = subgraphDatabaseUrl(entry);
  const database = await createDatabase({ schema: entry.dbSchema, url, dataDir: url ? undefined : join(process.env.DATA_DIR ?? '.data', entry.name) });
  try {
    await migrateToLatest(database.db, entry.dbSchema, (await entry.load()).migrations);
    const loaded = await seedSubgraphDemo(entry.name, database.db);
    console.log(`${entry.name}: ${loaded ? 'demo data loaded' : 'already has data; left as it is'}`);
  } finally {
    await database.close();
  }
}
