// The DateTime scalar: ISO 8601 instants with an explicit offset, in and out.
import { GraphQLScalarType, Kind } from 'graphql';
import { errors } from '../errors/gateway-errors';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(value: unknown, field = 'DateTime'): Date {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) {
    throw errors.badUserInput(field, 'Expected an ISO 8601 date-time with an offset, e.g. 2026-11-24T09:30:00Z.');
  }
  const date = new Date(value);
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  // Date() rolls 2026-02-30 over to March; a real instant keeps its calendar date (offsets up to ±14 h aside).
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(date.getTime()) || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw errors.badUserInput(field, 'Expected a real date-time; this one does not exist.');
  }
  return date;
}

function parseInstantOrInvalid(value: unknown): Date {
  try {
    return parseInstant(value);
  } catch {
    return new Date(Number.NaN);
  }
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO 8601 instant with an offset, e.g. 2026-11-24T09:30:00Z.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  // A malformed value reaches the resolver as an Invalid Date rather than failing here, because only the
  // resolver knows the argument's name, which BAD_USER_INPUT must report in `field` (errors.md).
  // Every DateTime argument is therefore checked where it is used (see checkWindow in src/calendar).
  parseValue: (value) => parseInstantOrInvalid(value),
  parseLiteral: (ast) => parseInstantOrInvalid(ast.kind === Kind.STRING ? ast.value : undefined),
});
