import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from '../platform/graphql.ts';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../platform/index.ts';
import type { GatewayMetrics } from './metrics.ts';
import { isProduction } from '../platform/settings.ts';

export interface ErrorMaskingOptions {
  /** Production: strip everything but message, path and code-level extensions from errors. @default NODE_ENV === 'production' */
  production?: boolean;
  metrics?: GatewayMetrics;
}

/** Extensions a caller may see; the rest (stack traces, upstream responses) stays in the logs. */
const PUBLIC_EXTENSIONS = new Set([
  'code',
  'service',
  'serviceName',
  'argumentName',
  'reason',
  'field',
  'type',
  'limit',
  'measured',
  'max',
  'retryAfterSeconds',
  'tier',
  'circuitOpen',
  'entity',
  'id',
]);

/**
 * Errors from subgraphs were already masked there and keep their code; errors of
 * the request keep theirs. A JavaScript error inside the gateway is a bug:
 * logged, and masked. In production only known extensions pass.
 */
export function maskGatewayErrors(
  log: Logger,
  options: ErrorMaskingOptions = {},
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  const production = options.production ?? isProduction();
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    let result = formatted;
    if (!(original instanceof GraphQLError) && original instanceof Error) {
      log.error({ err: original, path: formatted.path }, 'internal error');
      result = {
        message: 'Internal server error',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      };
    } else if (production) {
      const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([key]) => PUBLIC_EXTENSIONS.has(key)));
      // A subgraph's internal error (or one without a code) never shows its message: it may hold SQL or paths.
      const internal = !extensions.code || extensions.code === 'INTERNAL_SERVER_ERROR';
      if (internal)
        log.error(
          { message: formatted.message, path: formatted.path, serviceName: extensions.serviceName },
          'internal error from a subgraph',
        );
      result = {
        ...formatted,
        ...(internal ? { message: 'Internal server error' } : {}),
        extensions: { ...extensions, code: extensions.code ?? 'INTERNAL_SERVER_ERROR' },
      };
    }
    options.metrics?.countErrorCode(result.extensions?.code);
    return result;
  };
}
