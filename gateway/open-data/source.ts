import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { PUBLIC_VIEWER, type Logger, type Viewer } from '../../platform/index.ts';
import { dataOf, type GraphQLSource } from './graphql-source.ts';
import type { GatewayContext } from '../context.ts';
import { withRoleScopes } from '../scopes.ts';

/**
 * Who the gateway's open-data routes query as: an analyst (aggregates and open
 * records of every organization; never personal data, which analysts may not
 * read), named so that the logs and audit show the exports for what they are.
 */
export const OPEN_DATA_VIEWER: Viewer = withRoleScopes({
  ...PUBLIC_VIEWER,
  kind: 'analyst',
  roles: ['analyst'],
  subject: 'service:open-data',
});

/**
 * Open-data queries executed by the gateway's own Apollo Server (planning,
 * authorization, limits and subgraph calls as for any request), without a
 * network hop and without a credential to keep.
 */
export function apolloSource(apollo: ApolloServer<GatewayContext>, log: Logger, viewer: Viewer = OPEN_DATA_VIEWER): GraphQLSource {
  return async (query, variables) => {
    const requestId = `open-data-${randomUUID()}`;
    const contextValue: GatewayContext = {
      requestId,
      viewer,
      caller: { viewer, credential: 'none', apiKeyId: null, tier: 'internal', ip: '127.0.0.1' },
      log: log.child({ requestId, caller: 'open-data' }),
      observed: { operationName: null },
    };
    const response = await apollo.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('open-data queries are not incremental');
    return dataOf(response.body.singleResult as Parameters<typeof dataOf>[0]);
  };
}
