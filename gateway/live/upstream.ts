import { createClient, type ExecutionResult } from 'graphql-sse';
import { IDENTITY_HEADER, REQUEST_ID_HEADER } from '../../platform/index.ts';
import type { LiveRequest } from '../context.ts';

export type UpstreamEvent = ExecutionResult<Record<string, unknown>, unknown>;

/**
 * Opens the subscription field's event stream at the subgraph that owns it:
 * graphql-sse (distinct connection) to `<subgraph url>/stream`, under the
 * caller's identity signed by the gateway, as its queries are. No retry: when
 * the subgraph goes away the stream fails, and the client is told to reconnect.
 */
export function openUpstream(
  primary: NonNullable<LiveRequest['primary']>,
  identity: string | undefined,
  requestId: string,
): AsyncIterableIterator<UpstreamEvent> {
  const client = createClient({
    url: `${primary.url.replace(/\/$/, '')}/stream`,
    headers: { ...(identity ? { [IDENTITY_HEADER]: identity } : {}), [REQUEST_ID_HEADER]: requestId },
    retryAttempts: 0,
    fetchFn: fetch,
  });
  const events = client.iterate<Record<string, unknown>>({
    query: primary.query,
    variables: primary.variables,
    ...(primary.operationName ? { operationName: primary.operationName } : {}),
  });
  const stop = events.return?.bind(events);
  events.return = async (value?: unknown) => {
    const result = (await stop?.(value)) ?? { done: true as const, value: undefined };
    client.dispose();
    return result;
  };
  return events;
}
