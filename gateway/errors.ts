import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../subgraphs/kit/index.ts';

/**
 * Errors from subgraphs were already masked there and keep their code; errors of
 * the request keep theirs. A JavaScript error inside the gateway is a bug:
 * logged, and masked.
 */
export function maskGatewayErrors(log: Logger): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError || !(original instanceof Error)) return formatted;
    log.error({ err: original, path: formatted.path }, 'internal error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
