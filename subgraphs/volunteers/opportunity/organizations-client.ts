import { readEntitiesForWrite, type RequestContext } from '../../kit/index.ts';

/**
 * Facts owned by the organizations subgraph, read at write time through the
 * graph: an `_entities` call to the organizations subgraph under a service
 * identity (kit `readEntitiesForWrite`), never its tables. The URL is read from the
 * registry (ORGANIZATIONS_URL) at call time. A replicated read model would
 * survive an outage of that service, but would let a rule pass on stale facts
 * (an opportunity closed a second ago); a register prefers to refuse the write.
 */
export interface OpportunityFacts {
  id: string;
  status: 'DRAFT' | 'OPEN' | 'CLOSED' | 'CANCELLED';
  startsOn: string;
  endsOn: string;
  /** The owner's own verdict (OPEN, not ended, organization REGISTERED): the rule lives there once. */
  acceptingApplications: boolean;
  minimumAge: number;
  minorRestricted: boolean;
  placesAvailable: number;
  organization: OrganizationFacts;
}

export type RegistryStatus = 'REGISTERED' | 'SUSPENDED' | 'EXCLUDED';

/** An organization's entry in the register, as `addMembership` and the opportunity facts need it. */
export interface OrganizationFacts {
  id: string;
  status: RegistryStatus;
}

export const OPPORTUNITY_FACTS_SELECTION =
  'id status startsOn endsOn acceptingApplications minimumAge minorRestricted placesAvailable organization { id status }';

async function ask<T>(
  context: Pick<RequestContext, 'requestId'>,
  typename: string,
  representations: Record<string, unknown>[],
  selection: string,
): Promise<(T | null)[]> {
  return readEntitiesForWrite<T>(context, { owner: 'organizations', asking: 'volunteers', typename, representations, selection });
}

export async function fetchOpportunityFacts(context: Pick<RequestContext, 'requestId'>, id: string): Promise<OpportunityFacts | null> {
  const [facts] = await ask<OpportunityFacts>(context, 'Opportunity', [{ id }], OPPORTUNITY_FACTS_SELECTION);
  return facts ?? null;
}

/** The organization's registry status; null when there is no such organization. */
export async function fetchOrganizationFacts(context: Pick<RequestContext, 'requestId'>, id: string): Promise<OrganizationFacts | null> {
  const [organization] = await ask<OrganizationFacts>(context, 'Organization', [{ id }], 'id status');
  return organization ?? null;
}

/** Names for a printed certificate; ids without an answer are left out. */
export async function fetchOrganizationNames(
  context: Pick<RequestContext, 'requestId'>,
  ids: readonly string[],
): Promise<({ id: string; name: string } | null)[]> {
  return ask<{ id: string; name: string }>(
    context,
    'Organization',
    ids.map((id) => ({ id })),
    'id name',
  );
}

export async function fetchOpportunityTitles(
  context: Pick<RequestContext, 'requestId'>,
  ids: readonly string[],
): Promise<({ id: string; title: string } | null)[]> {
  return ask<{ id: string; title: string }>(
    context,
    'Opportunity',
    ids.map((id) => ({ id })),
    'id title',
  );
}
