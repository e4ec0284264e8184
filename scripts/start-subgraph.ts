/**
 * Starts one subgraph as its own process, as it is deployed:
 *   npm run start:subgraph -- organizations [--port 4002] [--seed-demo]
 * Database: <NAME>_DATABASE_URL or DATABASE_URL (PostgreSQL), else PGlite under DATA_DIR (default .data/).
 */
import { parseArgs } from 'node:util';
import { runSubgraphProcess } from '../subgraphs/process.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string' }, 'seed-demo': { type: 'boolean', default: false } },
});
const name = positionals[0] ?? process.env.SUBGRAPH;
if (!name) {
  console.error('usage: npm run start:subgraph -- <volunteers|organizations|donations|cooperation|roadmap> [--port N] [--seed-demo]');
  process.exit(2);
}
await runSubgraphProcess(name, {
  ...(values.port ? { port: Number(values.port) } : {}),
  seedDemo: values['seed-demo'] || process.env.SEED_DEMO === '1',
});
