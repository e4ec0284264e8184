import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import { extractTraceContext, inSpan } from './telemetry.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Builds the per-request context; throwing a GraphQLError answers it as an error. */
  context: (req: IncomingMessage) => Promise<TContext>;
  /** The path GraphQL is served at. @default '/graphql' */
  path?: string;
  /** Other routes, by `METHOD /path` (e.g. `GET /health`). */
  routes?: Record<string, RouteHandler>;
  /** Largest request body accepted. @default 1_000_000 */
  maxBodyBytes?: number;
  port: number;
  host?: string;
  /** The service's name, for trace spans. @default 'graphql' */
  name?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reads the body up to a limit; refuses larger ones without reading them whole. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new HttpError(413, `request body of ${declared} bytes exceeds the limit of ${maxBytes}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, `request body exceeds the limit of ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The request as Apollo Server reads it; JSON bodies parsed, others passed as text. */
export async function toGraphQLRequest(req: IncomingMessage, maxBodyBytes: number): Promise<HTTPGraphQLRequest> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  let body: unknown = undefined;
  if (method === 'POST') {
    const text = await readBody(req, maxBodyBytes);
    const contentType = headers.get('content-type') ?? '';
    if (/^application\/(graphql-response\+)?json/i.test(contentType) || /\+json/i.test(contentType)) {
      try {
        body = text.length ? JSON.parse(text) : undefined;
      } catch {
        throw new HttpError(400, 'request body is not valid JSON');
      }
    } else {
      body = text;
    }
  }
  return { method, headers, search: url.search, body };
}

export async function writeGraphQLResponse(
  res: ServerResponse,
  result: Awaited<ReturnType<ApolloServer<BaseContext>['executeHTTPGraphQLRequest']>>,
): Promise<void> {
  res.statusCode = result.status ?? 200;
  for (const [key, value] of result.headers) res.setHeader(key, value);
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Serves an Apollo Server (subgraph or gateway) and a few plain routes over node:http. */
export async function serveHttp<TContext extends BaseContext>(options: HttpServerOptions<TContext>): Promise<RunningServer> {
  const path = options.path ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  const routes = options.routes ?? {};
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
      } else {
        sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      }
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes[`${req.method ?? 'GET'} ${url.pathname}`];
    if (route) return route(req, res);
    if (url.pathname !== path) return sendJson(res, 404, { error: 'not found' });
    // A server span in the trace the caller (the gateway) started, when tracing is on.
    await inSpan(
      `${options.name ?? 'graphql'} ${req.method} ${path}`,
      'server',
      { 'http.request.method': req.method ?? 'GET' },
      async (span) => {
        const httpGraphQLRequest = await toGraphQLRequest(req, maxBodyBytes);
        const result = await options.apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => options.context(req) });
        span.setAttribute('http.response.status_code', result.status ?? 200);
        await writeGraphQLResponse(res, result);
      },
      extractTraceContext(req.headers),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}${path}`;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Stop accepting, let in-flight requests finish, then drop idle keep-alive sockets.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(force);
      await options.apollo.stop();
    })());
  return { url, port, server, close, [Symbol.asyncDispose]: close };
}
