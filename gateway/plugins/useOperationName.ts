import type { GatewayPlugin } from '../plugin.ts';

/** Records the resolved operation name on the request context, for metrics labels and the access log. */
export function useOperationName(): GatewayPlugin {
  return {
    name: 'operation-name',
    apollo: {
      async requestDidStart() {
        return {
          async didResolveOperation({ operationName, contextValue }) {
            contextValue.observed.operationName = operationName;
          },
        };
      },
    },
  };
}
