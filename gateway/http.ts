import { wantsExplorer } from './explorer/index.ts';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, HTTPGraphQLRequest } from '@apollo/server';
import {
  HttpError,
  PUBLIC_VIEWER,
  REQUEST_ID_HEADER,
  sendJson,
  toGraphQLRequest,
  writeGraphQLResponse,
  type Logger,
  type RouteHandler,
  type RunningServer,
} from '../platform/index.ts';
import { wantsEventStream } from '../platform/sse.ts';
import { extractTraceContext, inSpan } from '../platform/telemetry.ts';
import type { Caller, GatewayContext } from './context.ts';
import { clientAddress, type CallerResolver } from './identity.ts';
import type { GatewayMetrics } from './metrics.ts';
import { HttpRefusal, normaliseDocumentId, type GatewayPlugin, type GraphQLRequestParams } from './plugin.ts';

export interface GatewayHttpOptions {
  apollo: ApolloServer<GatewayContext>;
  callers: CallerResolver;
  plugins: readonly GatewayPlugin[];
  metrics: GatewayMetrics;
  log: Logger;
  port: number;
  host: string;
  /** @default '/graphql' */
  path?: string;
  /** Largest request body. @default 1_000_000 */
  maxBodyBytes: number;
  /** Operations per batched request (1: batching off). @default 10 */
  maxBatchSize: number;
  /** Origins allowed to call from a browser (`*` for any); empty: no cross-origin access. @default [] */
  corsOrigins: readonly string[];
  /** Client address from X-Forwarded-For. @default false */
  trustProxy?: boolean;
  /** Time in-flight requests get to finish on shutdown before connections are cut. @default 10_000 */
  shutdownGraceMs: number;
  /** Routes by `METHOD /path`, each under the plugins' `onRoute` (the rate limit) like /graphql. */
  routes: Record<string, RouteHandler>;
  /** Probes (`GET /health`, `/ready`, `/metrics`): answered before anything else, never limited. */
  probes?: Record<string, RouteHandler>;
  /**
   * Live transports: graphql-sse at `<path>/stream` (and at `<path>` for `accept: text/event-stream`),
   * graphql-ws on WebSocket upgrades of `<path>`. Each admits its operations itself (caller, plugins).
   */
  live?: {
    sse: { handle(req: IncomingMessage, res: ServerResponse): Promise<void> };
    ws: { attach(server: import('node:http').Server, path: string, admit: (req: IncomingMessage) => boolean): void };
  };
}

export interface GatewayHttpServer extends RunningServer {
  /** True once shutdown began: /ready answers 503, new connections are refused. */
  readonly draining: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const ALLOWED_HEADERS =
  'content-type, authorization, x-api-key, x-request-id, apollo-require-preflight, x-apollo-operation-name, x-query-plan, traceparent, tracestate';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A refusal as GraphQL over HTTP wants it: the negotiated media type, an `errors` list, the status. */
function sendRefusal(req: IncomingMessage, res: ServerResponse, refusal: HttpRefusal): void {
  const accept = header(req, 'accept') ?? '';
  const graphqlResponse = accept.includes('application/graphql-response+json') && !accept.includes('application/json');
  const body = { errors: [{ message: refusal.message, extensions: { ...refusal.extensions, code: refusal.code } }] };
  sendJson(res, refusal.status, body, {
    ...refusal.headers,
    'content-type': `${graphqlResponse ? 'application/graphql-response+json' : 'application/json'}; charset=utf-8`,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The operations of a request, as mutable objects: the POST body (or each
 * element of a batch), or the GET query string. Malformed input is left for
 * Apollo Server to refuse with its own message.
 */
function operationsOf(request: HTTPGraphQLRequest): GraphQLRequestParams[] {
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    const operation: GraphQLRequestParams & { documentId?: unknown } = {};
    for (const key of ['query', 'operationName', 'documentId'] as const) {
      const value = params.get(key);
      if (value !== null) operation[key] = value;
    }
    const extensions = params.get('extensions');
    if (extensions !== null) {
      try {
        const parsed: unknown = JSON.parse(extensions);
        if (isRecord(parsed)) operation.extensions = parsed;
      } catch {
        // Apollo Server answers a 400 for it
      }
    }
    return [operation];
  }
  const body = request.body;
  if (Array.isArray(body)) return body.filter(isRecord) as GraphQLRequestParams[];
  return isRecord(body) ? [body as GraphQLRequestParams] : [];
}

/** Writes a GET operation changed by the plugins back into the query string. */
function writeBackGet(request: HTTPGraphQLRequest, operation: GraphQLRequestParams | undefined): void {
  if (request.method !== 'GET' || !operation) return;
  const params = new URLSearchParams(request.search);
  params.delete('documentId');
  if (typeof operation.query === 'string') params.set('query', operation.query);
  if (operation.extensions && Object.keys(operation.extensions).length) params.set('extensions', JSON.stringify(operation.extensions));
  else params.delete('extensions');
  request.search = `?${params.toString()}`;
}

/**
 * The gateway's HTTP front: request ids, CORS, probes, body and batch
 * limits, the caller's credential and the rate limit — all before Apollo
 * Server parses anything — then GraphQL over HTTP by Apollo Server. Every
 * other route (open data, explorer) is under the same caller check and rate
 * limit before it answers.
 */
export async function serveGateway(options: GatewayHttpOptions): Promise<GatewayHttpServer> {
  const path = options.path ?? '/graphql';
  const { log, metrics } = options;
  let draining = false;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'request failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  options.live?.ws.attach(server, path, () => !draining);

  const cors = (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = header(req, 'origin');
    if (!origin) return false;
    const allowed = options.corsOrigins.includes('*') || options.corsOrigins.includes(origin);
    res.setHeader('vary', 'Origin');
    if (allowed) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
    }
    if (req.method !== 'OPTIONS') return false;
    if (!allowed) sendJson(res, 403, { error: `origin ${origin} is not allowed` });
    else {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '600',
      });
      res.end();
    }
    return true;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const incoming = header(req, REQUEST_ID_HEADER);
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    if (draining) {
      res.setHeader('connection', 'close');
      res.once('finish', () => server.closeIdleConnections());
    }
    if (cors(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const key = `${req.method ?? 'GET'} ${url.pathname}`;
    const probe = options.probes?.[key];
    if (probe) return probe(req, res);
    if (options.live && (url.pathname === `${path}/stream` || (url.pathname === path && wantsEventStream(req)))) {
      if (draining)
        return sendJson(res, 503, {
          errors: [{ message: 'The gateway is restarting: reconnect', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
        });
      return options.live.sse.handle(req, res);
    }
    const route = options.routes[key];
    // A browser opening the endpoint gets the explorer, when one is served.
    const toExplorer = !route && url.pathname === path && options.routes['GET /explorer'] !== undefined && wantsExplorer(req);
    if (route || toExplorer) {
      try {
        await admit(req, key);
      } catch (error) {
        if (!(error instanceof HttpRefusal)) throw error;
        metrics.countErrorCode(error.code);
        return sendRefusal(req, res, error);
      }
      if (route) return route(req, res);
      res.writeHead(302, { location: `/explorer${url.search}` });
      res.end();
      return;
    }
    if (url.pathname !== path) return sendJson(res, 404, { error: 'not found' });
    if (req.method !== 'GET' && req.method !== 'POST') {
      return sendJson(
        res,
        405,
        { errors: [{ message: 'Use GET (queries) or POST', extensions: { code: 'BAD_REQUEST' } }] },
        { allow: 'GET, POST' },
      );
    }
    await graphql(req, res, requestId);
  }

  async function callerOf(req: IncomingMessage): Promise<Caller> {
    try {
      return await options.callers.callerOf(req);
    } catch (error) {
      // Guessing keys or tokens spends the address's anonymous budget.
      const anonymous: Caller = {
        viewer: PUBLIC_VIEWER,
        credential: 'none',
        apiKeyId: null,
        tier: 'anonymous',
        ip: clientAddress(req, options.trustProxy ?? false),
      };
      if (error instanceof HttpRefusal) for (const plugin of options.plugins) await plugin.onRefusedCredential?.(anonymous);
      throw error;
    }
  }

  /** Every route but the probes is under the same limits as /graphql: the caller, then the plugins' `onRoute`. */
  async function admit(req: IncomingMessage, route: string): Promise<void> {
    const caller = await callerOf(req);
    for (const plugin of options.plugins) await plugin.onRoute?.({ req, caller, route });
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const started = performance.now();
    const requestLog = log.child({ requestId });
    let context: GatewayContext | undefined;
    let status = 500;
    await inSpan(
      `gateway ${req.method} ${path}`,
      'server',
      { 'http.request.method': req.method ?? 'GET', 'request.id': requestId },
      async (span) => {
        try {
          const httpGraphQLRequest = await toGraphQLRequest(req, options.maxBodyBytes);
          const operations = operationsOf(httpGraphQLRequest);
          for (const operation of operations) normaliseDocumentId(operation);
          const batch = Array.isArray(httpGraphQLRequest.body) ? httpGraphQLRequest.body.length : 1;
          if (batch > options.maxBatchSize) {
            throw new HttpRefusal(
              400,
              'BAD_REQUEST',
              `A batch may hold at most ${options.maxBatchSize} operations; this one holds ${batch}`,
              {
                limit: 'batchSize',
                measured: batch,
                max: options.maxBatchSize,
              },
            );
          }
          const caller = await callerOf(req);
          context = {
            requestId,
            viewer: caller.viewer,
            caller,
            log: requestLog.child({ caller: caller.viewer.kind }),
            observed: { operationName: null },
          };
          for (const plugin of options.plugins) await plugin.onRequest?.({ req, caller, operations });
          writeBackGet(httpGraphQLRequest, operations[0]);
          const created = context;
          const result = await options.apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => created });
          status = result.status ?? 200;
          if (draining) result.headers.set('connection', 'close');
          await writeGraphQLResponse(res, result);
        } catch (error) {
          const refusal = error instanceof HttpError ? new HttpRefusal(error.status, error.code, error.message) : error;
          if (!(refusal instanceof HttpRefusal)) throw error;
          status = refusal.status;
          metrics.countErrorCode(refusal.code);
          sendRefusal(req, res, refusal);
        } finally {
          span.setAttribute('http.response.status_code', status);
        }
      },
      extractTraceContext(req.headers),
    );
    const seconds = (performance.now() - started) / 1000;
    const operation = metrics.operationLabel(context?.observed.operationName);
    const callerKind = context?.viewer.kind ?? 'unknown';
    metrics.requests.inc({ operation, caller_kind: callerKind, status: String(status) });
    metrics.requestDuration.observe({ operation, caller_kind: callerKind }, seconds);
    requestLog.info(
      { operation: context?.observed.operationName ?? null, caller: callerKind, status, ms: Math.round(seconds * 1000) },
      'graphql request',
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host}:${port}${path}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Stop accepting, let in-flight requests finish (their connections close after the
      // answer), drop idle keep-alive sockets; cut what is left after the grace period.
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs);
      await closed;
      clearTimeout(force);
    })());
  return {
    url,
    port,
    server,
    close,
    [Symbol.asyncDispose]: close,
    get draining() {
      return draining;
    },
  };
}
