import { GraphQLScalarType, Kind } from 'graphql';
import { BadUserInput } from '../../platform/errors.ts';
import { parseDay } from './validate.ts';

function invalid(message: string): never {
  throw new BadUserInput('value', message);
}

/** A calendar day, 'YYYY-MM-DD'. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD.',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: (value) => parseDay(value, 'Date'),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? parseDay(ast.value, 'Date') : invalid('a Date is a string YYYY-MM-DD')),
});

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_DATETIME.test(value)) invalid('a DateTime is an ISO-8601 string with a time zone');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) invalid(`${value} is not a valid DateTime`);
  return date;
}

/** An instant, serialized in UTC ISO-8601. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant in UTC, ISO-8601.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? parseDateTime(ast.value) : invalid('a DateTime is a string')),
});

export const scalarResolvers = { Date: DateScalar, DateTime: DateTimeScalar };
