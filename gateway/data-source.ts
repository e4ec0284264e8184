import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { GraphQLError } from '../platform/graphql.ts';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER, PUBLIC_VIEWER, REQUEST_ID_HEADER, signIdentity, type Logger, type Viewer } from '../platform/index.ts';
import { injectTraceContext, inSpan } from '../platform/telemetry.ts';
import type { GatewayContext } from './context.ts';
import type { GatewayMetrics } from './metrics.ts';
import { CircuitOpen, SubgraphFailure, type SubgraphBreaker } from './plugins/useCircuitBreaker.ts';

type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** Secret of the identity token signed for the subgraph; none for a subgraph not trusted with the caller's identity (it gets no identity header). */
  secret: Uint8Array | undefined;
  /** Deadline of one call, retry included. @default 10_000 */
  timeoutMs: number;
  /** Retry a query once after a connection error (never a mutation). @default true */
  retryQueries: boolean;
  breaker: SubgraphBreaker;
  metrics?: GatewayMetrics;
  log?: Logger;
}

// One signed identity per viewer, reused for 30 s of its 60 s life: signing (HMAC through WebCrypto, a thread-pool job) is per viewer, not per request.
const identityCache = new Map<string, { token: Promise<string>; until: number }>();
function cachedIdentity(viewer: Viewer, secret: Uint8Array): Promise<string> {
  const key = JSON.stringify(viewer);
  const now = Date.now();
  const hit = identityCache.get(key);
  if (hit && hit.until > now) return hit.token;
  if (identityCache.size > 10_000) identityCache.clear();
  const token = signIdentity(viewer, secret);
  token.catch(() => identityCache.delete(key));
  identityCache.set(key, { token, until: now + 30_000 });
  return token;
}

export const SERVICE_VIEWER: Viewer = { ...PUBLIC_VIEWER, kind: 'service', roles: ['service'], subject: 'service:gateway' };

/** Errors of the connection itself (the request may not have reached the subgraph): safe to retry for a query. */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: string; cause?: { code?: string; cause?: { code?: string } } };
  return e.code ?? e.cause?.code ?? e.cause?.cause?.code;
}

const isTimeout = (error: unknown) => ['TimeoutError', 'AbortError'].includes((error as { name?: string }).name ?? '');

/**
 * Calls one subgraph: keep-alive fetch with a deadline, one retry of a query
 * after a connection error, a circuit breaker, and the caller's identity
 * (signed by the gateway), the request id and the trace context on every call.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    super({ url: options.url });
    this.name = options.name;
  }

  override async process(request: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    const { name, metrics } = this.options;
    const query = request.request.query ?? '';
    const context = 'context' in request ? (request.context as GatewayContext | undefined) : undefined;
    const mutation = /^\s*mutation\b/.test(query);
    const body = JSON.stringify({ query, variables: request.request.variables, operationName: request.request.operationName });
    const started = performance.now();
    return inSpan(
      `subgraph ${name}`,
      'client',
      { 'graphql.subgraph': name, 'graphql.operation.type': mutation ? 'mutation' : 'query' },
      async () => {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(this.options.secret ? { [IDENTITY_HEADER]: await this.identity(context, this.options.secret) } : {}),
          ...(context?.requestId ? { [REQUEST_ID_HEADER]: context.requestId } : {}),
        };
        injectTraceContext(headers);
        try {
          const response = await this.options.breaker.run(() => this.send(body, headers, !mutation));
          metrics?.subgraphDuration.observe({ subgraph: name }, (performance.now() - started) / 1000);
          return response;
        } catch (error) {
          metrics?.subgraphDuration.observe({ subgraph: name }, (performance.now() - started) / 1000);
          const reason = error instanceof CircuitOpen ? 'circuit_open' : error instanceof SubgraphFailure ? error.reason : 'error';
          metrics?.subgraphFailures.inc({ subgraph: name, reason });
          context?.log.warn({ subgraph: name, reason, err: error }, 'subgraph call failed');
          throw subgraphError(name, error, this.options.timeoutMs);
        }
      },
    );
  }

  private identity(context: GatewayContext | undefined, secret: Uint8Array): Promise<string> {
    const viewer = context?.viewer ?? SERVICE_VIEWER;
    if (!context) return cachedIdentity(viewer, secret);
    context.identityToken ??= cachedIdentity(viewer, secret);
    return context.identityToken;
  }

  // node:http with a keep-alive agent per subgraph instead of fetch: no Request/Response objects, web streams or AbortSignal per call.
  private target?: URL;
  private agent?: Agent;
  private post(body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; text: string }> {
    const target = (this.target ??= new URL(this.options.url));
    const secure = target.protocol === 'https:';
    // Subgraphs behind TLS (any supergraph may name them) get an https agent with the same pooling.
    this.agent ??= secure
      ? new HttpsAgent({ keepAlive: true, maxSockets: 128, scheduling: 'lifo' })
      : new Agent({ keepAlive: true, maxSockets: 128, scheduling: 'lifo' });
    const send = secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        {
          hostname: target.hostname.replace(/^\[|\]$/g, ''),
          port: target.port,
          path: target.pathname + target.search,
          method: 'POST',
          agent: this.agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(Math.max(1, timeoutMs), () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** One POST (and at most one retry for a query), within one deadline. */
  private async send(body: string, headers: Record<string, string>, retryable: boolean): Promise<SubgraphResponse> {
    const { name, timeoutMs } = this.options;
    const deadline = Date.now() + timeoutMs;
    let response: { status: number; text: string };
    for (let attempt = 0; ; attempt++) {
      try {
        response = await this.post(body, headers, deadline - Date.now());
        break;
      } catch (error) {
        if (isTimeout(error)) throw new SubgraphFailure(name, 'timeout', `no answer within ${timeoutMs} ms`, { cause: error });
        const code = errorCode(error);
        if (retryable && attempt === 0 && code && CONNECTION_ERRORS.has(code)) {
          this.options.metrics?.subgraphRetries.inc({ subgraph: name });
          this.options.log?.debug({ subgraph: name, code }, 'retrying a query after a connection error');
          continue;
        }
        throw new SubgraphFailure(name, 'unavailable', `connection failed (${code ?? 'unknown'})`, { cause: error });
      }
    }
    const text = response.text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SubgraphFailure(name, 'status', `answered ${response.status} without a GraphQL body`);
    }
    const answer = parsed as SubgraphResponse;
    if (response.status >= 500 && !answer.data) throw new SubgraphFailure(name, 'status', `answered ${response.status}`);
    if (!answer || typeof answer !== 'object' || (!('data' in answer) && !('errors' in answer))) {
      throw new SubgraphFailure(name, 'status', `answered ${response.status} without a GraphQL body`);
    }
    return answer;
  }
}

/** A subgraph that did not answer: named, without its address, with the reason. */
export function subgraphError(serviceName: string, error: unknown, timeoutMs: number): GraphQLError {
  if (error instanceof CircuitOpen) {
    return new GraphQLError(`The ${serviceName} service is unavailable (circuit open)`, {
      extensions: { code: 'SERVICE_UNAVAILABLE', service: serviceName, circuitOpen: true },
    });
  }
  if (error instanceof SubgraphFailure && error.reason === 'timeout') {
    return new GraphQLError(`The ${serviceName} service did not answer within ${timeoutMs} ms`, {
      extensions: { code: 'SERVICE_TIMEOUT', service: serviceName },
    });
  }
  return new GraphQLError(`The ${serviceName} service is unavailable`, {
    extensions: { code: 'SERVICE_UNAVAILABLE', service: serviceName },
  });
}
