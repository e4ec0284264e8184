import { fetchEntitiesForWrite, type RequestContext } from '../../kit/index.ts';
import { subgraphEntry, subgraphUrl } from '../../registry.ts';

/**
 * Places taken on an opportunity are the volunteers subgraph's (accepted
 * applications): read through the graph at write time, an `_entities` call
 * under a service identity, never its tables. If it does not answer, the write
 * is refused and nothing is written.
 */
export async function acceptedApplicantsOf(context: Pick<RequestContext, 'requestId'>, opportunityId: string): Promise<number> {
  const [facts] = await fetchEntitiesForWrite<{ acceptedCount: number }>('volunteers', {
    url: subgraphUrl(subgraphEntry('volunteers')),
    typename: 'Opportunity',
    representations: [{ id: opportunityId }],
    selection: 'acceptedCount',
    requestId: context.requestId,
    service: 'organizations',
  });
  return facts?.acceptedCount ?? 0;
}
