/**
 * The gateway process:
 *   npm run start:gateway -- [--supergraph schema/supergraph.graphql] [--port 4000]
 * Subgraph URLs come from the registry's environment variables (VOLUNTEERS_URL, …),
 * else from the supergraph file.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../subgraphs/kit/index.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';
import { startGateway } from './server.ts';

const { values } = parseArgs({
  options: { supergraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
});
const log = createLogger('gateway');
const serviceUrls = Object.fromEntries(
  SUBGRAPHS.flatMap((s) => (process.env[s.urlEnv] ? [[s.name, process.env[s.urlEnv] as string]] : [])),
);
const gateway = await startGateway({
  supergraphPath: values.supergraph ?? process.env.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql',
  port: Number(values.port ?? process.env.GATEWAY_PORT ?? 4000),
  host: values.host ?? process.env.HOST ?? '127.0.0.1',
  serviceUrls,
  subgraphTimeoutMs: Number(process.env.SUBGRAPH_TIMEOUT_MS ?? 10_000),
  logger: log,
});
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing in-flight requests');
    void gateway.close().then(() => process.exit(0));
  });
}
process.send?.({ ready: 'gateway', url: gateway.url });
