/**
 * npm run migrate [-- <subgraph>] [--down]   — migrates each subgraph's schema (or reverts it to zero)
 * on DATABASE_URL / <NAME>_DATABASE_URL, or on the PGlite data under DATA_DIR (default .data/).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, dataDir, migrateToLatest, migrateToZero } from '../subgraphs/kit/index.ts';
import { SUBGRAPHS, subgraphDatabaseUrl, subgraphEntry } from '../subgraphs/registry.ts';
import { loadSubgraph } from '../subgraphs/servers.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { down: { type: 'boolean', default: false } } });
const entries = positionals.length ? positionals.map(subgraphEntry) : SUBGRAPHS;
for (const entry of entries) {
  const url = subgraphDatabaseUrl(entry);
  const database = await createDatabase({ schema: entry.dbSchema, url, dataDir: url ? undefined : join(dataDir(), entry.name) });
  try {
    const { migrations } = await loadSubgraph(entry.name);
    const names = values.down
      ? await migrateToZero(database.db, entry.dbSchema, migrations)
      : await migrateToLatest(database.db, entry.dbSchema, migrations);
    console.log(`${entry.name}: ${values.down ? 'reverted' : 'applied'} ${names.length ? names.join(', ') : 'nothing (up to date)'}`);
  } finally {
    await database.close();
  }
}
