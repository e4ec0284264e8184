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
}
