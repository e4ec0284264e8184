import { setTimeout as sleep } from 'node:timers/promises';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received {
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** A subscription as a portal opens it, with everything it received. */
export interface Subscriber {
  readonly results: Received[];
  /** Set when the stream failed (the error the client library reported). */
  readonly failure: unknown;
  readonly completed: boolean;
  close(): void;
}

export interface SubscribeOptions {
  token?: string;
  headers?: Record<string, string>;
  variables?: Record<string, unknown>;
}

/** Waits until `condition` holds (polling), or fails with `what`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function collector() {
  const state = { results: [] as Received[], failure: undefined as unknown, completed: false };
  return {
    state,
    sink: {
      next: (value: unknown) => void state.results.push(value as Received),
      error: (error: unknown) => void (state.failure = error ?? new Error('stream failed')),
      complete: () => void (state.completed = true),
    },
  };
}

/** graphql-sse's own client, distinct-connection mode, against the gateway's /graphql/stream. */
export function sseSubscribe(gatewayUrl: string, query: string, options: SubscribeOptions = {}): Subscriber {
  const client = createSseClient({
    url: `${gatewayUrl}/stream`,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    retryAttempts: 0,
  });
  const { state, sink } = collector();
  const unsubscribe = client.subscribe({ query, ...(options.variables ? { variables: options.variables } : {}) }, sink);
  return {
    get results() {
      return state.results;
    },
    get failure() {
      return state.failure;
    },
    get completed() {
      return state.completed;
    },
    close() {
      unsubscribe();
      client.dispose();
    },
  };
}

/** graphql-ws's own client over `ws`, the credential in connection_init. */
export function wsSubscribe(
  gatewayUrl: string,
  query: string,
  options: SubscribeOptions = {},
): Subscriber & { client: WsClient; closeCodes: number[] } {
  const closes: number[] = [];
  const client = createWsClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => void closes.push((event as { code: number }).code) },
  });
  const { state, sink } = collector();
  const unsubscribe = client.subscribe({ query, ...(options.variables ? { variables: options.variables } : {}) }, sink);
  return {
    client,
    get results() {
      return state.results;
    },
    get failure() {
      return state.failure;
    },
    get completed() {
      return state.completed;
    },
    close() {
      unsubscribe();
      void client.dispose();
    },
    get closeCodes() {
      return closes;
    },
  };
}
