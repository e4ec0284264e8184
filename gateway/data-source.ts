import { GraphQLError } from 'graphql';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity } from '../subgraphs/kit/index.ts';
import type { GatewayContext } from './context.ts';

/** Calls one subgraph, carrying the caller's identity (signed by the gateway) and the request id. */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    url: string,
    private readonly secret: Uint8Array,
    private readonly timeoutMs: number,
  ) {
    super({ url });
    // Node's fetch keeps connections to the subgraph alive and pooled; each call has a deadline.
    this.fetcher = (async (input: string, init?: RequestInit) => {
      try {
        return await fetch(input, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        throw subgraphUnavailable(name, error, this.timeoutMs);
      }
    }) as unknown as typeof this.fetcher;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers || !context?.viewer) return;
    context.identityToken ??= signIdentity(context.viewer, this.secret);
    headers.set(IDENTITY_HEADER, await context.identityToken);
    headers.set(REQUEST_ID_HEADER, context.requestId);
  }

}

/** A subgraph that did not answer: named, without its address, with the reason. */
export function subgraphUnavailable(serviceName: string, error: unknown, timeoutMs: number): GraphQLError {
  const timedOut = (error as { name?: string }).name === 'TimeoutError';
  return new GraphQLError(
    timedOut ? `The ${serviceName} service did not answer within ${timeoutMs} ms` : `The ${serviceName} service is unavailable`,
    { extensions: { code: timedOut ? 'SUBGRAPH_TIMEOUT' : 'SUBGRAPH_UNAVAILABLE', serviceName } },
  );
}
