import { GraphQLError } from 'graphql';
import { fetchEntities, ServiceUnavailable, type RequestContext } from '../../kit/index.ts';
import { subgraphEntry, subgraphUrl } from '../../registry.ts';

/**
 * Facts owned by the organizations subgraph, read at write time through the
 * graph: an `_entities` call to the organizations subgraph under a service
 * identity (kit `fetchEntities`), never its tables. The URL is read from the
 * registry (ORGANIZATIONS_URL) at call time. A replicated read model would
 * survive an outage of that service, but would let a rule pass on stale facts
 * (an opportunity closed a second ago); a register prefers to refuse the write.
 */
export interface OpportunityFacts {
  id: string;
  status: 'DRAFT' | 'OPEN' | 'CLOSED' | 'CANCELLED';
  minimumAge: number;
  minorRestricted: boolean;
  placesAvailable: number;
  organization: { id: string };
}

export const OPPORTUNITY_FACTS_SELECTION = 'id status minimumAge minorRestricted placesAvailable organization { id }';

async function ask<T>(context: Pick<RequestContext, 'requestId'>, typename: string, representations: Record<string, unknown>[], selection: string): Promise<(T | null)[]> {
  try {
    return await fetchEntities<T>({
      url: subgraphUrl(subgraphEntry('organizations')),
      typename,
      representations,
      selection,
      requestId: context.requestId,
      service: 'volunteers',
    });
  } catch (error) {
    if (error instanceof ServiceUnavailable) {
      // A GraphQLError without an original error reaches the caller as it is (not masked).
      throw new GraphQLError('The organizations service did not answer; nothing was written, try again', {
        extensions: { code: 'SERVICE_UNAVAILABLE', service: 'organizations' },
      });
    }
    throw error;
  }
}

export async function fetchOpportunityFacts(context: Pick<RequestContext, 'requestId'>, id: string): Promise<OpportunityFacts | null> {
  const [facts] = await ask<OpportunityFacts>(context, 'Opportunity', [{ id }], OPPORTUNITY_FACTS_SELECTION);
  return facts ?? null;
}

export async function organizationExists(context: Pick<RequestContext, 'requestId'>, id: string): Promise<boolean> {
  const [organization] = await ask<{ id: string }>(context, 'Organization', [{ id }], 'id');
  return !!organization;
}

/** Names for a printed certificate; ids without an answer are left out. */
export async function fetchOrganizationNames(context: Pick<RequestContext, 'requestId'>, ids: readonly string[]): Promise<({ id: string; name: string } | null)[]> {
  return ask<{ id: string; name: string }>(context, 'Organization', ids.map((id) => ({ id })), 'id name');
}

export async function fetchOpportunityTitles(context: Pick<RequestContext, 'requestId'>, ids: readonly string[]): Promise<({ id: string; title: string } | null)[]> {
  return ask<{ id: string; title: string }>(context, 'Opportunity', ids.map((id) => ({ id })), 'id title');
}
