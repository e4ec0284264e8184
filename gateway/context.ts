import type { Logger, Viewer } from '../subgraphs/kit/index.ts';

/** Per-request state of the gateway. */
export interface GatewayContext {
  requestId: string;
  viewer: Viewer;
  log: Logger;
  /** The identity token for subgraphs, signed once per request. */
  identityToken?: Promise<string>;
}
