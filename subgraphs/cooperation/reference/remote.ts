import { readEntitiesForWrite, type RequestContext } from '../../kit/index.ts';

/**
 * Facts this subgraph needs at write time from the owners of other entities,
 * asked through their `_entities` with a service identity (never their tables).
 * The owner's URL is read from the registry at call time; when the owner does
 * not answer, the write is refused with SERVICE_UNAVAILABLE.
 */

/** What a mission participant's or a UN Volunteer's eligibility rests on, as the volunteers subgraph reports it. */
export interface VolunteerFacts {
  id: string;
  isAdult: boolean;
  approvedMinutes: number;
  region: { code: string } | null;
}

export async function fetchVolunteerFacts(context: RequestContext, ids: readonly string[]): Promise<(VolunteerFacts | null)[]> {
  return readEntitiesForWrite<VolunteerFacts>(context, {
    owner: 'volunteers',
    asking: 'cooperation',
    typename: 'Volunteer',
    representations: ids.map((id) => ({ id })),
    selection: 'id isAdult approvedMinutes region { code }',
  });
}

export interface OrganizationFacts {
  id: string;
  name: string;
  status: string;
}

export async function fetchOrganizationFacts(context: RequestContext, ids: readonly string[]): Promise<(OrganizationFacts | null)[]> {
  return readEntitiesForWrite<OrganizationFacts>(context, {
    owner: 'organizations',
    asking: 'cooperation',
    typename: 'Organization',
    representations: ids.map((id) => ({ id })),
    selection: 'id name status',
  });
}

/** That a grant exists in the donations subgraph. */
export async function fetchGrantIds(context: RequestContext, ids: readonly string[]): Promise<({ id: string } | null)[]> {
  return readEntitiesForWrite<{ id: string }>(context, {
    owner: 'donations',
    asking: 'cooperation',
    typename: 'Grant',
    representations: ids.map((id) => ({ id })),
    selection: 'id',
  });
}
