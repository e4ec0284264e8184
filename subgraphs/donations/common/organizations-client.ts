import { BadUserInput, NotFound, readEntitiesForWrite, type RequestContext } from '../../kit/index.ts';

/**
 * Facts of organizations, read at write time from their owner through the graph
 * (an `_entities` call with a service identity), never from its tables. The
 * recipient's region is stored on each donation when it is recorded, so that
 * `Region.donationsTotal` is kept as a rollup without a call per read; an
 * organization that later moves region keeps its past donations where they were
 * received.
 */
export interface OrganizationFacts {
  id: string;
  status: string;
  bin: string | null;
  region: { code: string };
}

export async function fetchOrganizationFacts(
  context: RequestContext,
  ids: readonly string[],
): Promise<Map<string, OrganizationFacts | null>> {
  const unique = [...new Set(ids)];
  const found = await readEntitiesForWrite<OrganizationFacts>(context, {
    owner: 'organizations',
    asking: 'donations',
    typename: 'Organization',
    representations: unique.map((id) => ({ id })),
    selection: 'id status bin region { code }',
  });
  return new Map(unique.map((id, i) => [id, found[i] ?? null]));
}

/** An organization that exists (else NOT_FOUND) and is registered (else BAD_USER_INPUT naming the argument). */
export function registeredOrganization(facts: Map<string, OrganizationFacts | null>, id: string, argument: string): OrganizationFacts {
  const organization = facts.get(id);
  if (!organization) throw new NotFound('Organization', id);
  if (organization.status !== 'REGISTERED') {
    throw new BadUserInput(argument, `the organization is ${organization.status.toLowerCase()}`);
  }
  return organization;
}
