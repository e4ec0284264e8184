/**
 * The gateway process:
 *   npm run start:gateway -- [--supergraph schema/supergraph.graphql] [--port 4000] [--host 127.0.0.1]
 * Every setting is an environment variable (see gateway/config.ts and the README);
 * subgraph URLs come from VOLUNTEERS_URL, … else from the supergraph file.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../platform/index.ts';
import { startTelemetry, stopTelemetry } from '../platform/telemetry.ts';
import { gatewayOptionsFromEnv } from './config.ts';
import { startGateway } from './server.ts';

const { values } = parseArgs({
  options: { supergraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
});
const log = createLogger('gateway');
if (await startTelemetry('gateway')) log.info({ endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT }, 'OpenTelemetry tracing on');
const fromEnv = gatewayOptionsFromEnv();
const gateway = await startGateway({
  ...fromEnv,
  ...(values.supergraph ? { supergraphPath: values.supergraph } : {}),
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(values.host ? { host: values.host } : {}),
  logger: log,
});
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing in-flight requests');
    void gateway
      .close()
      .then(() => stopTelemetry())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'unclean shutdown');
        process.exit(1);
      });
  });
}
process.send?.({ ready: 'gateway', url: gateway.url });
