import { GraphQLError } from 'graphql';
import { fetchEntities, ServiceUnavailable, type RequestContext } from '../../kit/index.ts';
import { subgraphEntry, subgraphUrl } from '../../registry.ts';

/**
 * Places taken on an opportunity are the volunteers subgraph's (accepted
 * applications): read through the graph at write time, an `_entities` call
 * under a service identity, never its tables. If it does not answer, the write
 * is refused and nothing is written.
 */
export async function acceptedApplicantsOf(context: Pick<RequestContext, 'requestId'>, opportunityId: string): Promise<number> {
  try {
    const [facts] = await fetchEntities<{ acceptedCount: number }>({
      url: subgraphUrl(subgraphEntry('volunteers')),
      typename: 'Opportunity',
      representations: [{ id: opportunityId }],
      selection: 'acceptedCount',
      requestId: context.requestId,
      service: 'organizations',
    });
    return facts?.acceptedCount ?? 0;
  } catch (error) {
    if (error instanceof ServiceUnavailable) {
      throw new GraphQLError('The volunteers service did not answer; nothing was written, try again', {
        extensions: { code: 'SERVICE_UNAVAILABLE', service: 'volunteers' },
      });
    }
    throw error;
  }
}
