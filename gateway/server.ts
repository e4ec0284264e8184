// This system holds personal data and runs offline: no usage telemetry to Apollo, ever.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  createLogger,
  internalSecret,
  PUBLIC_VIEWER,
  REQUEST_ID_HEADER,
  sendJson,
  serveHttp,
  signIdentity,
  IDENTITY_HEADER,
  type Logger,
  type RunningServer,
} from '../subgraphs/kit/index.ts';
import type { GatewayContext } from './context.ts';
import { maskGatewayErrors } from './errors.ts';
import { SubgraphDataSource } from './data-source.ts';
import { createIdentityVerifier, identityOptionsFromEnv, type IdentityOptions } from './identity.ts';
import { subgraphsOf, supergraphFromFile, type SubgraphOfSupergraph } from './supergraph.ts';

export interface GatewayOptions {
  /** Path of the supergraph SDL file; reloaded when it changes. */
  supergraphPath: string;
  /** @default 4000; 0 picks a free port */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Subgraph URL by name, overriding the supergraph's; names absent here use the supergraph's URL. */
  serviceUrls?: Record<string, string>;
  identity?: IdentityOptions;
  /** Secret for the identity the gateway signs for subgraphs. */
  internalSecret?: Uint8Array;
  /** Deadline of one subgraph call. @default 10_000 */
  subgraphTimeoutMs?: number;
  /** Largest request body. @default 1_000_000 */
  maxBodyBytes?: number;
  logger?: Logger;
}

export interface RunningGateway extends RunningServer {
  /** Subgraphs that do not answer now (empty when all are up). */
  unavailableSubgraphs(): Promise<string[]>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Builds and starts the gateway: Apollo Gateway in Apollo Server, over node:http. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const log = options.logger ?? createLogger('gateway');
  const secret = options.internalSecret ?? internalSecret();
  const timeoutMs = options.subgraphTimeoutMs ?? 10_000;
  const identity = await createIdentityVerifier(options.identity ?? identityOptionsFromEnv());
  let subgraphs: SubgraphOfSupergraph[] = [];
  const urlOf = (name: string, url: string) => options.serviceUrls?.[name] ?? url;

  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile(options.supergraphPath, log, (sdl) => {
      subgraphs = subgraphsOf(sdl).map((s) => ({ name: s.name, url: urlOf(s.name, s.url) }));
    }),
    buildService: ({ name, url }) => new SubgraphDataSource(name, urlOf(name, url ?? ''), secret, timeoutMs),
    logger: {
      debug: (m: unknown) => log.debug(String(m)),
      info: (m: unknown) => log.info(String(m)),
      warn: (m: unknown) => log.warn(String(m)),
      error: (m: unknown) => log.error(String(m)),
    },
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: maskGatewayErrors(log),
    includeStacktraceInErrorResponses: false,
    introspection: process.env.NODE_ENV !== 'production',
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  async function unavailableSubgraphs(): Promise<string[]> {
    const token = await signIdentity({ ...PUBLIC_VIEWER, kind: 'service', roles: ['service'], subject: 'service:gateway' }, secret);
    const results = await Promise.all(
      subgraphs.map(async ({ name, url }) => {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: token },
            body: '{"query":"{ __typename }"}',
            signal: AbortSignal.timeout(2_000),
          });
          return response.ok ? null : name;
        } catch {
          return name;
        }
      }),
    );
    return results.filter((n): n is string => n !== null);
  }

  const running = await serveHttp<GatewayContext>({
    apollo,
    port: options.port ?? 4000,
    ...(options.host ? { host: options.host } : {}),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    context: async (req) => {
      const incoming = header(req, REQUEST_ID_HEADER);
      const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      const viewer = await identity.viewerOf(header(req, 'authorization'));
      return { requestId, viewer, log: log.child({ requestId }) };
    },
    routes: {
      'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      'GET /ready': async (_req, res) => {
        if (subgraphs.length === 0) return sendJson(res, 503, { status: 'unavailable', reason: 'no supergraph loaded' });
        const unavailable = await unavailableSubgraphs();
        sendJson(res, unavailable.length ? 503 : 200, {
          status: unavailable.length ? 'degraded' : 'ready',
          subgraphs: subgraphs.map((s) => ({ name: s.name, up: !unavailable.includes(s.name) })),
          unavailable,
        });
      },
    },
  });
  log.info({ url: running.url, subgraphs }, 'gateway listening');
  return { ...running, unavailableSubgraphs };
}
