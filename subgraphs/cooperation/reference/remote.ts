import { fetchEntities, type RequestContext } from '../../kit/index.ts';
import { subgraphEntry, subgraphUrl } from '../../registry.ts';

/**
 * Facts this subgraph needs at write time from the owners of other entities,
 * asked through their `_entities` with a service identity (never their tables).
 * The owner's URL is read from the registry at call time.
 */
const SERVICE = 'cooperation';

/** What a mission participant's or a UN Volunteer's eligibility rests on, as the volunteers subgraph reports it. */
export interface VolunteerFacts {
  id: string;
  isAdult: boolean;
  approvedMinutes: number;
  region: { code: string } | null;
}

export async function fetchVolunteerFacts(context: RequestContext, ids: readonly string[]): Promise<(VolunteerFacts | null)[]> {
  return fetchEntities<VolunteerFacts>({
    url: subgraphUrl(subgraphEntry('volunteers')),
    typename: 'Volunteer',
    representations: ids.map((id) => ({ id })),
    selection: 'id isAdult approvedMinutes region { code }',
    requestId: context.requestId,
    service: SERVICE,
  });
}

export interface OrganizationFacts {
  id: string;
  name: string;
  status: string;
}

export async function fetchOrganizationFacts(context: RequestContext, ids: readonly string[]): Promise<(OrganizationFacts | null)[]> {
  return fetchEntities<OrganizationFacts>({
    url: subgraphUrl(subgraphEntry('organizations')),
    typename: 'Organization',
    representations: ids.map((id) => ({ id })),
    selection: 'id name status',
    requestId: context.requestId,
    service: SERVICE,
  });
}

/** That a grant exists in the donations subgraph. */
export async function fetchGrantIds(context: RequestContext, ids: readonly string[]): Promise<({ id: string } | null)[]> {
  return fetchEntities<{ id: string }>({
    url: subgraphUrl(subgraphEntry('donations')),
    typename: 'Grant',
    representations: ids.map((id) => ({ id })),
    selection: 'id',
    requestId: context.requestId,
    service: SERVICE,
  });
}
