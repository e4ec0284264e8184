/**
 * The baseline of the benchmark: a plain @apollo/gateway inside @apollo/server
 * (standalone HTTP server), every setting at its default, one process — what
 * our gateway is built on. The only additions are what any deployment of it
 * needs to talk to these subgraphs: their URLs, and the caller's identity
 * header passed through to them (the client presents it pre-signed, since this
 * gateway verifies nothing).
 *
 *   node --import tsx bench/baseline-gateway.ts <supergraph file> <port>
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const [supergraphPath, port = '4100'] = process.argv.slice(2);
if (!supergraphPath) throw new Error('usage: baseline-gateway.ts <supergraph file> <port>');
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const IDENTITY_HEADER = 'x-internal-identity';
const urls: Record<string, string | undefined> = {
  volunteers: process.env.VOLUNTEERS_URL,
  organizations: process.env.ORGANIZATIONS_URL,
  donations: process.env.DONATIONS_URL,
  cooperation: process.env.COOPERATION_URL,
};

interface Context {
  identity?: string;
}

const gateway = new ApolloGateway<Context>({
  supergraphSdl: readFileSync(supergraphPath, 'utf8'),
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource<Context>({
      url: urls[name] ?? url,
      willSendRequest({ request, context }) {
        if (context.identity) request.http?.headers.set(IDENTITY_HEADER, context.identity);
      },
    }),
});

const server = new ApolloServer<Context>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(port), host: '127.0.0.1' },
  context: async ({ req }) => {
    const identity = req.headers[IDENTITY_HEADER];
    return typeof identity === 'string' ? { identity } : {};
  },
});
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
process.on('SIGINT', () => void server.stop().then(() => process.exit(0)));
console.log(`baseline @apollo/gateway at ${url}`);
process.send?.({ ready: 'baseline', url });
