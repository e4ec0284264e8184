/**
 * Where open data comes from: GraphQL operations sent THROUGH THE GATEWAY
 * (never the subgraphs' tables), so that the gateway's authorization, limits
 * and the subgraphs' own checks apply to every export as to any caller.
 */
export type GraphQLSource = (document: string, variables?: Record<string, unknown>) => Promise<Record<string, any>>;

export class OpenDataError extends Error {
  constructor(
    message: string,
    readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[] = [],
  ) {
    super(message);
  }
}

export interface HttpSourceOptions {
  /** The gateway's GraphQL URL, e.g. http://127.0.0.1:4000/graphql */
  url: string;
  /** A bearer token (an analyst's: aggregates and open records, never personal data). */
  token?: string;
  headers?: Record<string, string>;
  /** @default 30_000 */
  timeoutMs?: number;
}

/** A source that POSTs to a gateway over HTTP (the export script). */
export function httpSource(options: HttpSourceOptions): GraphQLSource {
  return async (document, variables) => {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query: document, variables }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    let body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new OpenDataError(`the gateway answered ${response.status} without a GraphQL body`);
    }
    return dataOf(body);
  };
}

/** The data of a GraphQL answer; any error fails the export (a partial export would mislead its readers). */
export function dataOf(body: {
  data?: Record<string, any> | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}): Record<string, any> {
  if (body.errors?.length || !body.data) {
    const first = body.errors?.[0];
    throw new OpenDataError(
      `the gateway refused an export query: ${first ? `${first.message} (${String(first.extensions?.code ?? 'no code')})` : 'no data'}`,
      body.errors ?? [],
    );
  }
  return body.data;
}

/** Every node of a connection, page by page (the document takes `$first` and `$after`). */
export async function allNodes<T>(
  source: GraphQLSource,
  document: string,
  connection: (data: Record<string, any>) => { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } },
  variables: Record<string, unknown> = {},
  pageSize = 100,
): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const data = await source(document, { ...variables, first: pageSize, after });
    const { nodes: pageNodes, pageInfo } = connection(data);
    nodes.push(...pageNodes);
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) return nodes;
    after = pageInfo.endCursor;
  }
  throw new OpenDataError('too many pages');
}
