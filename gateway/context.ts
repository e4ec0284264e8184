import type { Logger, Viewer } from '../platform/index.ts';

/** How the caller proved who they are. */
export type Credential = 'none' | 'jwt' | 'api-key';

/** The caller of one request: who, by which credential, and under which rate-limit tier. */
export interface Caller {
  viewer: Viewer;
  credential: Credential;
  /** Set for partner API keys: the key's id (never the key). */
  apiKeyId: string | null;
  /** Rate-limit tier, e.g. `anonymous`, `user`, `partner`. */
  tier: string;
  /** The client's address (after TRUST_PROXY). */
  ip: string;
}

/**
 * A subscription on its way through the executor (gateway/live): when it opens,
 * the subscription executor fills `primary` (the subgraph stream to open);
 * for each event, `event` is the subgraph's answer to the primary fetch.
 */
export interface LiveRequest {
  primary?: {
    serviceName: string;
    url: string;
    query: string;
    operationName: string | undefined;
    variables: Record<string, unknown>;
  };
  event?: { data?: Record<string, unknown> | null; errors?: readonly unknown[] };
}

/** Per-request state of the gateway. */
export interface GatewayContext {
  requestId: string;
  viewer: Viewer;
  caller: Caller;
  log: Logger;
  /** The identity token for subgraphs, signed once per request. */
  identityToken?: Promise<string>;
  /**
   * Filled in while the request runs, for metrics and the access log. An object,
   * because Apollo Server hands each operation a shallow copy of the context.
   */
  observed: { operationName: string | null };
  /** Set for the operations of a subscription (gateway/live). */
  live?: LiveRequest;
}
