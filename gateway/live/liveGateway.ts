import type { IncomingMessage } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { ExecutionResult } from 'graphql';
import { signIdentity, type Logger } from '../../platform/index.ts';
import type { Caller, GatewayContext, LiveRequest } from '../context.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { HttpRefusal, normaliseDocumentId, type GatewayPlugin, type GraphQLRequestParams } from '../plugin.ts';
import { openUpstream, type UpstreamEvent } from './upstream.ts';

export interface LiveOptions {
  /** Open subscriptions one caller (user, API key, or anonymous address) may hold on this replica. @default 20 */
  maxPerCaller?: number;
  /** Open subscriptions on this replica. @default 10_000 */
  maxPerReplica?: number;
  /** WebSocket ping interval; a socket that misses one is closed. (SSE streams get graphql-sse's comment every 12 s.) @default 12_000 */
  heartbeatMs?: number;
}

export type Transport = 'sse' | 'ws';

/** What opening an operation on a live transport gives: a refusal, one result, or a stream of results. */
export type LiveOpening =
  | { kind: 'refused'; refusal: HttpRefusal }
  | { kind: 'result'; result: ExecutionResult }
  | { kind: 'stream'; results: AsyncGenerator<ExecutionResult> };

/** Thrown into a stream when the gateway shuts down: the transport tells the client to reconnect. */
export class ServiceRestart extends Error {
  constructor() {
    super('The gateway is restarting: reconnect');
  }
}

interface Deps {
  apollo: () => ApolloServer<GatewayContext>;
  plugins: readonly GatewayPlugin[];
  /** The identity secret for a subgraph trusted with it; undefined for any other (it then gets no identity). */
  secretFor: (service: string) => Uint8Array | undefined;
  metrics: GatewayMetrics;
  log: Logger;
}

const callerKey = (caller: Caller) =>
  caller.apiKeyId ? `key:${caller.apiKeyId}` : caller.viewer.subject ? `sub:${caller.viewer.subject}` : `ip:${caller.ip}`;

/**
 * Subscriptions at the gateway, over any transport: the same admission as a
 * GraphQL request (rate limit, trusted documents, static limits: the plugins'
 * `onRequest`), then Apollo Server's pipeline (parse, validation against the
 * caller's contract, introspection policy, cost, authorization, error masking)
 * once when the subscription opens and again for every event — so an event
 * is shaped and withheld exactly as the same selection in a query would be.
 */
export class LiveGateway {
  readonly maxPerCaller: number;
  readonly maxPerReplica: number;
  readonly heartbeatMs: number;
  private readonly perCaller = new Map<string, number>();
  private readonly sessions = new Set<{ stop(): void }>();
  private open = 0;
  private closing = false;

  constructor(
    private readonly deps: Deps,
    options: LiveOptions = {},
  ) {
    this.maxPerCaller = options.maxPerCaller ?? 20;
    this.maxPerReplica = options.maxPerReplica ?? 10_000;
    this.heartbeatMs = options.heartbeatMs ?? 12_000;
  }

  /** Subscriptions open on this replica now. */
  get size(): number {
    return this.open;
  }

  get draining(): boolean {
    return this.closing;
  }

  /** Opens one operation of a live transport for a caller whose credential was already verified. */
  async openOperation(
    req: IncomingMessage,
    caller: Caller,
    params: GraphQLRequestParams,
    requestId: string,
    transport: Transport,
  ): Promise<LiveOpening> {
    const { metrics, log } = this.deps;
    if (this.closing)
      return { kind: 'refused', refusal: new HttpRefusal(503, 'SERVICE_UNAVAILABLE', 'The gateway is restarting: reconnect') };
    const operation: GraphQLRequestParams & { documentId?: unknown } = { ...params };
    normaliseDocumentId(operation);
    try {
      for (const plugin of this.deps.plugins) await plugin.onRequest?.({ req, caller, operations: [operation] });
    } catch (error) {
      if (error instanceof HttpRefusal) {
        metrics.countErrorCode(error.code);
        return { kind: 'refused', refusal: error };
      }
      throw error;
    }
    const key = callerKey(caller);
    const held = this.perCaller.get(key) ?? 0;
    const over =
      held >= this.maxPerCaller
        ? { limit: 'subscriptionsPerCaller', max: this.maxPerCaller }
        : this.open >= this.maxPerReplica
          ? { limit: 'subscriptionsPerReplica', max: this.maxPerReplica }
          : null;

    const live: LiveRequest = {};
    const requestLog = log.child({ requestId, caller: caller.viewer.kind, transport });
    const contextOf = (request: LiveRequest): GatewayContext => ({
      requestId,
      viewer: caller.viewer,
      caller,
      log: requestLog,
      observed: { operationName: null },
      live: request,
    });
    const execute = async (request: LiveRequest): Promise<ExecutionResult> => {
      const response = await this.deps.apollo().executeOperation(
        {
          ...(typeof operation.query === 'string' ? { query: operation.query } : {}),
          ...(typeof operation.operationName === 'string' ? { operationName: operation.operationName } : {}),
          ...(operation.variables && typeof operation.variables === 'object'
            ? { variables: operation.variables as Record<string, unknown> }
            : {}),
          ...(operation.extensions ? { extensions: operation.extensions } : {}),
        },
        { contextValue: contextOf(request) },
      );
      if (response.body.kind !== 'single')
        return {
          errors: [{ message: 'Incremental delivery is not served on live transports', extensions: { code: 'BAD_REQUEST' } }],
        } as never;
      return response.body.singleResult as ExecutionResult;
    };

    if (over) {
      // A query or mutation sent over the transport is not a subscription to count; refuse only subscriptions.
      const looksLikeSubscription =
        typeof operation.query !== 'string' || /^\s*subscription\b/m.test(operation.query.replace(/#[^\n]*/g, ''));
      if (looksLikeSubscription) {
        metrics.liveRefused.inc({ limit: over.limit });
        const refusal = new HttpRefusal(
          429,
          'RATE_LIMITED',
          `At most ${over.max} open subscriptions ${over.limit === 'subscriptionsPerCaller' ? 'per caller' : 'on this gateway'}; close one first`,
          over,
        );
        return { kind: 'refused', refusal };
      }
    }

    const opened = await execute(live);
    const primary = live.primary;
    if (!primary) return { kind: 'result', result: opened };
    if (over) {
      metrics.liveRefused.inc({ limit: over.limit });
      return {
        kind: 'refused',
        refusal: new HttpRefusal(429, 'RATE_LIMITED', `At most ${over.max} open subscriptions; close one first`, over),
      };
    }

    this.perCaller.set(key, held + 1);
    this.open += 1;
    metrics.liveOpen.inc({ transport });
    const secret = this.deps.secretFor(primary.serviceName);
    const identity = secret ? await signIdentity(caller.viewer, secret) : undefined;
    const upstream = openUpstream(primary, identity, requestId);
    let stopped = false;
    let cancelled = false;
    const session = {
      stop: () => {
        stopped = true;
        void upstream.return?.();
      },
    };
    this.sessions.add(session);
    const release = () => {
      this.sessions.delete(session);
      const left = (this.perCaller.get(key) ?? 1) - 1;
      if (left > 0) this.perCaller.set(key, left);
      else this.perCaller.delete(key);
      this.open -= 1;
      metrics.liveOpen.dec({ transport });
    };

    const results = async function* (): AsyncGenerator<ExecutionResult> {
      try {
        for (;;) {
          let next: IteratorResult<UpstreamEvent>;
          try {
            next = await upstream.next();
          } catch (error) {
            if (stopped || cancelled) break;
            requestLog.warn({ err: error, service: primary.serviceName }, 'subscription stream of a subgraph failed');
            yield {
              errors: [
                {
                  message: `The ${primary.serviceName} subgraph stopped the event stream: reconnect`,
                  extensions: { code: 'SERVICE_UNAVAILABLE', service: primary.serviceName },
                },
              ],
            } as never;
            return;
          }
          if (next.done || stopped || cancelled) break;
          metrics.liveEvents.inc({ service: primary.serviceName });
          yield await execute({ event: { data: next.value.data ?? null, ...(next.value.errors ? { errors: next.value.errors } : {}) } });
        }
        if (stopped && !cancelled) throw new ServiceRestart();
      } finally {
        release();
        await upstream.return?.();
      }
    };
    // The client went away (or completed): end the subgraph stream at once. A generator's own
    // `return` would wait behind the `next` pending on the stream, until the next event.
    const stream = results();
    const finish = stream.return.bind(stream);
    stream.return = (value) => {
      cancelled = true;
      void upstream.return?.();
      return finish(value);
    };
    return { kind: 'stream', results: stream };
  }

  /** Ends every open subscription: each stream fails with ServiceRestart, and its transport tells the client to reconnect. */
  close(): void {
    this.closing = true;
    for (const session of [...this.sessions]) session.stop();
  }
}
