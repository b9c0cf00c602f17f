// The DateTime scalar: ISO 8601 instants with an explicit offset, in and out; anything else is refused while coercing.
import { GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { InvalidValueError } from './invalid-value';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const EXPECTED = 'must be a real ISO 8601 date-time with an offset, e.g. 2026-11-24T09:30:00Z';

/** The instant an ISO 8601 date-time with offset names; InvalidValueError for anything else (2026-02-30, "yesterday", numbers). */
export function parseInstant(value: unknown, node?: ValueNode): Date {
  const shown = node ? print(node) : JSON.stringify(value) ?? String(value);
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) throw new InvalidValueError('DateTime', `${EXPECTED}; got ${shown}.`, node);
  const date = new Date(value);
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  // Date() rolls 2026-02-30 over to March; a real instant keeps its calendar date (offsets up to ±14 h aside).
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(date.getTime()) || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new InvalidValueError('DateTime', `${EXPECTED}; ${shown} does not exist.`, node);
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO 8601 instant with an offset, e.g. 2026-11-24T09:30:00Z.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: (value) => parseInstant(value),
  parseLiteral: (ast) => parseInstant(ast.kind === Kind.STRING ? ast.value : undefined, ast),
});
