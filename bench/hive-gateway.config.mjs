// Hive Gateway for the benchmark: defaults, plus what these subgraphs need — the caller's
// identity header passed through (the client presents it pre-signed; Hive verifies nothing).
// BENCH_RUST_PLANNER=1 plans with the Rust query planner (@graphql-hive/router-runtime).
import { defineConfig } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';

export const gatewayConfig = defineConfig({
  supergraph: process.env.BENCH_SUPERGRAPH,
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => {
      const identity = request.headers.get('x-internal-identity');
      return identity ? { 'x-internal-identity': identity } : {};
    },
  },
  ...(process.env.BENCH_RUST_PLANNER === '1' ? { unifiedGraphHandler } : {}),
});
