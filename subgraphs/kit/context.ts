import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../platform/logger.ts';
import { IDENTITY_HEADER, PUBLIC_VIEWER, REQUEST_ID_HEADER, verifyIdentity, type Viewer } from '../../platform/identity.ts';
import { Unauthenticated } from '../../platform/errors.ts';
import type { EventBus } from './events.ts';

/** What every subgraph's request context holds; each subgraph adds its db and loaders. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer;
  log: Logger;
  /** The subgraph's committed events, for its subscription fields (set when it declares a Subscription type). */
  events?: EventBus;
}

export interface IdentityPolicy {
  /** Secret the gateway signs identities with. */
  secret: Uint8Array;
  /** Refuse requests that carry no gateway-signed identity (direct calls to the subgraph port). */
  requireGateway: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The caller of one subgraph request: the gateway-signed identity, or the public. */
export async function resolveRequestContext(req: IncomingMessage, policy: IdentityPolicy, log: Logger): Promise<RequestContext> {
  const incomingId = header(req, REQUEST_ID_HEADER);
  const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
  const token = header(req, IDENTITY_HEADER);
  let viewer: Viewer = PUBLIC_VIEWER;
  if (token) {
    try {
      viewer = await verifyIdentity(token, policy.secret);
    } catch {
      throw withStatus(new Unauthenticated('The gateway identity on this request is invalid or expired'), 401);
    }
  } else if (policy.requireGateway) {
    throw withStatus(new Unauthenticated('This subgraph only answers requests that come through the gateway'), 401);
  }
  return { requestId, viewer, log: log.child({ requestId }) };
}

function withStatus<E extends Unauthenticated>(error: E, status: number): E {
  (error.extensions as Record<string, unknown>).http = { status };
  return error;
}
