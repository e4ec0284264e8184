import { GraphQLError } from 'graphql';

/**
 * Every `extensions.code` the graph answers with, gateway and subgraphs alike.
 * The first group is caused by the caller; the second by the state of the
 * services (the caller may retry); INTERNAL_SERVER_ERROR is masked and logged.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'OPERATION_TOO_COMPLEX',
  'PERSISTED_QUERY_NOT_FOUND',
  'SERVICE_UNAVAILABLE',
  'SERVICE_TIMEOUT',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * An error the caller caused. It is a GraphQLError so that its code and
 * extensions travel unchanged through the subgraph and the gateway.
 */
export class DomainError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

/** Bad input: names the argument (a dotted path such as `input.iin`) and the reason. */
export class BadUserInput extends DomainError {
  constructor(argument: string, reason: string) {
    super('BAD_USER_INPUT', `Invalid ${argument}: ${reason}`, { argumentName: argument, reason });
  }
}

export class NotFound extends DomainError {
  constructor(entity: string, id: string) {
    super('NOT_FOUND', `${entity} ${id} not found`, { entity, id });
  }
}

export class Conflict extends DomainError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super('CONFLICT', message, extensions);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'You may not do this') {
    super('FORBIDDEN', message);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = 'Sign in first') {
    super('UNAUTHENTICATED', message);
  }
}

/** PostgreSQL's unique_violation, to turn a race on a unique key into a CONFLICT. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  if (!e || e.code !== '23505') return false;
  if (!constraint) return true;
  return e.constraint === constraint || (e.message ?? '').includes(constraint);
}
