import type { IncomingMessage } from 'node:http';
import type { ApolloServerOptionsWithGateway, ApolloServerPlugin } from '@apollo/server';
import type { Caller, GatewayContext } from './context.ts';
import type { SupergraphMetadata } from './supergraph-metadata.ts';

/** The gateway interface Apollo Server drives (load the supergraph, execute operations). */
export type GatewayInterface = NonNullable<ApolloServerOptionsWithGateway<GatewayContext>['gateway']>;
/** Plans and executes one operation across the subgraphs. */
export type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
export type GatewayRequestContext = Parameters<GatewayExecutor>[0];
export type GatewayResult = Awaited<ReturnType<GatewayExecutor>>;

/** The parameters of one operation as sent (POST body or GET query string), before any parsing. */
export interface GraphQLRequestParams {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: Record<string, unknown>;
}

/** A persisted-document id (GraphQL-over-HTTP proposal) as the APQ extension Apollo Server reads. */
export function normaliseDocumentId(operation: GraphQLRequestParams & { documentId?: unknown }): void {
  if (typeof operation.documentId !== 'string') return;
  const sha256Hash = operation.documentId.replace(/^sha256:/, '');
  delete operation.documentId;
  operation.extensions = { ...operation.extensions, persistedQuery: { version: 1, sha256Hash } };
}

/** One GraphQL HTTP request, once the caller is known and before Apollo Server reads it. */
export interface IncomingGraphQLRequest {
  req: IncomingMessage;
  caller: Caller;
  /**
   * The operations of the request (more than one when batched). Plugins may
   * change them (e.g. put a trusted document's text in place of its id).
   */
  operations: GraphQLRequestParams[];
}

/**
 * A refusal at the HTTP level (rate limit, bad credential): the status, the
 * GraphQL error code and message, and extra response headers.
 */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * A gateway feature, in the manner of Hive Gateway's `useX` plugins: each hooks
 * in where it must and nowhere else.
 */
export interface GatewayPlugin {
  name: string;
  /** Hooks into Apollo Server's request pipeline (source, parse, validation, operation, response). */
  apollo?: ApolloServerPlugin<GatewayContext>;
  /** Runs for every GraphQL HTTP request before Apollo Server; throw an HttpRefusal to answer it. */
  onRequest?(request: IncomingGraphQLRequest): void | Promise<void>;
  /**
   * Runs for every request of another HTTP route (open data, explorer and its
   * assets, routes given to `startGateway`), once the caller is known and
   * before the route answers; throw an HttpRefusal to answer it. Probes
   * (/health, /ready, /metrics) skip it.
   */
  onRoute?(request: { req: IncomingMessage; caller: Caller; route: string }): void | Promise<void>;
  /** A request whose credential was refused (401), from this anonymous caller; throw to answer otherwise. */
  onRefusedCredential?(caller: Caller): void | Promise<void>;
  /** Wraps planning and execution; the first plugin listed is the outermost. */
  wrapExecutor?(next: GatewayExecutor): GatewayExecutor;
  /** A supergraph was loaded (at start and on every hot reload). */
  onSupergraph?(supergraph: SupergraphMetadata): void;
  close?(): Promise<void>;
}
