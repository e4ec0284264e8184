import { GraphQLError } from 'graphql';
import { internalSecret, IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity, type Viewer } from '../../platform/identity.ts';
import { invariant } from '../../platform/invariant.ts';
import { subgraphEntry, subgraphUrl, type SubgraphName } from '../registry.ts';
import type { RequestContext } from './context.ts';

/**
 * Service-to-service reads through the graph: a subgraph asks the owner of an
 * entity for its facts with an `_entities` call, under a service identity
 * signed like the gateway's. Used at write time for rules that need another
 * subgraph's data (e.g. an opportunity's minimum age), never its tables.
 */
export interface EntityFetchOptions {
  /** URL of the owning subgraph (from the registry). */
  url: string;
  typename: string;
  representations: readonly Record<string, unknown>[];
  /** The selection on the entity, e.g. `id status minimumAge`. */
  selection: string;
  requestId: string;
  /** Which service is asking (shown in the owner's logs). */
  service: string;
  timeoutMs?: number;
}

const SERVICE_VIEWER = (service: string): Viewer => ({
  kind: 'service',
  roles: ['service'],
  subject: `service:${service}`,
  volunteerId: null,
  organizationIds: [],
  regionCode: null,
  partnerId: null,
  scopes: [],
});

export class ServiceUnavailable extends Error {}

async function fetchEntities<T>(options: EntityFetchOptions): Promise<(T | null)[]> {
  if (options.representations.length === 0) return [];
  const token = await signIdentity(SERVICE_VIEWER(options.service), internalSecret());
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: token, [REQUEST_ID_HEADER]: options.requestId },
      body: JSON.stringify({
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${options.typename} { ${options.selection} } } }`,
        variables: { r: options.representations.map((r) => ({ __typename: options.typename, ...r })) },
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
  } catch (error) {
    throw new ServiceUnavailable(`${options.url} did not answer: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as { data?: { _entities?: (T | null)[] }; errors?: { message: string }[] } | null;
  if (!body?.data?._entities) {
    throw new ServiceUnavailable(
      `${options.url} answered ${response.status}: ${body?.errors?.map((e) => e.message).join('; ') ?? 'no data'}`,
    );
  }
  invariant(body.data._entities.length === options.representations.length, 'an _entities answer has one item per representation');
  return body.data._entities;
}

/**
 * `fetchEntities` for a rule checked at write time: when the owner does not
 * answer, the write is refused with SERVICE_UNAVAILABLE naming it (nothing was
 * written) rather than failing as an internal error. A GraphQLError without an
 * original error reaches the caller as it is.
 */
export async function fetchEntitiesForWrite<T>(owner: string, options: EntityFetchOptions): Promise<(T | null)[]> {
  try {
    return await fetchEntities<T>(options);
  } catch (error) {
    if (error instanceof ServiceUnavailable) {
      throw new GraphQLError(`The ${owner} service did not answer; nothing was written, try again`, {
        extensions: { code: 'SERVICE_UNAVAILABLE', service: owner },
      });
    }
    throw error;
  }
}

export interface OwnerRead {
  /** The subgraph that owns the entity, asked at its registry URL (e.g. ORGANIZATIONS_URL) at call time. */
  owner: SubgraphName;
  /** The subgraph asking (shown in the owner's logs as the service identity). */
  asking: SubgraphName;
  typename: string;
  representations: readonly Record<string, unknown>[];
  /** The selection on the entity, e.g. `id status minimumAge`. */
  selection: string;
}

/**
 * The one way a subgraph reads another subgraph's facts at write time: an
 * `_entities` call to the owner under a service identity, one call for all the
 * representations, answered in their order (null where the owner knows none).
 * If the owner does not answer, the write is refused with SERVICE_UNAVAILABLE.
 */
export function readEntitiesForWrite<T>(context: Pick<RequestContext, 'requestId'>, read: OwnerRead): Promise<(T | null)[]> {
  return fetchEntitiesForWrite<T>(read.owner, {
    url: subgraphUrl(subgraphEntry(read.owner)),
    typename: read.typename,
    representations: read.representations,
    selection: read.selection,
    requestId: context.requestId,
    service: read.asking,
  });
}
