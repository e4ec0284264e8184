/**
 * One subgraph for the benchmark, as its own process (like `npm run
 * start:subgraph`), that also reports over IPC how many SQL statements it has
 * run and how many GraphQL requests it has served — the bench reads these
 * between operations to count statements per operation.
 *
 *   node --import tsx scripts/lib/bench/subgraph-process.ts <name> <port>
 */
import { createDatabase, createLogger, startSubgraph } from '../../../subgraphs/kit/index.ts';
import { subgraphDatabaseUrl, subgraphEntry } from '../../../subgraphs/registry.ts';
import { loadSubgraph } from '../../../subgraphs/servers.ts';

const [name, port] = process.argv.slice(2);
if (!name || !port) throw new Error('usage: subgraph-process.ts <name> <port>');
const entry = subgraphEntry(name);
const url = subgraphDatabaseUrl(entry);
if (!url) throw new Error('the benchmark runs on PostgreSQL: set DATABASE_URL');
const database = await createDatabase({ schema: entry.dbSchema, url, poolSize: Number(process.env.BENCH_POOL_SIZE ?? 10) });
const running = await startSubgraph(await loadSubgraph(entry.name), database, { port: Number(port), host: '127.0.0.1', logger: createLogger(entry.name) });
let requests = 0;
running.server.on('request', (req: { url?: string }) => {
  if (req.url?.startsWith('/graphql')) requests += 1;
});
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', statements: database.statements.count, requests });
});
const stop = async () => {
  await running.close();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.send?.({ ready: entry.name, url: running.url });
