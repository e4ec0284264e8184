import { readEntitiesForWrite, type RequestContext } from '../../kit/index.ts';

/**
 * Places taken on an opportunity are the volunteers subgraph's (accepted
 * applications): read through the graph at write time, an `_entities` call
 * under a service identity, never its tables. If it does not answer, the write
 * is refused and nothing is written.
 */
export async function acceptedApplicantsOf(context: Pick<RequestContext, 'requestId'>, opportunityId: string): Promise<number> {
  const [facts] = await readEntitiesForWrite<{ acceptedCount: number }>(context, {
    owner: 'volunteers',
    asking: 'organizations',
    typename: 'Opportunity',
    representations: [{ id: opportunityId }],
    selection: 'acceptedCount',
  });
  return facts?.acceptedCount ?? 0;
}
