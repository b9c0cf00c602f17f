// The DateTime scalar refuses what is not a real instant with an offset, for literals and variables alike.
import { Kind, type ValueNode } from 'graphql';
import { DateTimeScalar } from '../../src/graphql/date-time.scalar';
import { InvalidValueError } from '../../src/graphql/invalid-value';

const refusal = (parse: () => unknown): InvalidValueError | undefined => {
  try {
    parse();
  } catch (error) {
    if (error instanceof InvalidValueError) return error;
    throw error;
  }
  return undefined;
};

describe('DateTime', () => {
  it.each([
    ['2026-11-24T09:30:00Z', '2026-11-24T09:30:00.000Z'],
    ['2026-11-24T09:30Z', '2026-11-24T09:30:00.000Z'],
    ['2026-11-24T10:30:00+01:00', '2026-11-24T09:30:00.000Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['2026-11-24T09:30:00.123456789Z', '2026-11-24T09:30:00.123Z'],
  ])('reads %s as %s', (text, instant) => {
    expect((DateTimeScalar.parseValue(text) as Date).toISOString()).toBe(instant);
    expect((DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: text }) as Date).toISOString()).toBe(instant);
  });

  it.each<[string, unknown]>([
    ['30 February', '2026-02-30T00:00:00Z'],
    ['29 February in a common year', '2027-02-29T00:00:00Z'],
    ['a word', 'yesterday'],
    ['no offset', '2026-11-24T09:30:00'],
    ['a date alone', '2026-11-24'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 25', '2026-11-24T25:00:00Z'],
    ['an empty string', ''],
    ['a number', 1_764_000_000_000],
    ['null inside a list', [null]],
    ['an object', { at: '2026-11-24T09:30:00Z' }],
  ])('refuses %s as a variable', (_name, value) => {
    const error = refusal(() => DateTimeScalar.parseValue(value));
    expect(error).toBeInstanceOf(InvalidValueError);
    expect(error!.extensions.code).toBe('BAD_USER_INPUT');
    expect(error!.message).toMatch(/^DateTime must be a real ISO 8601 date-time with an offset, e\.g\. 2026-11-24T09:30:00Z; /);
  });

  it.each<[string, ValueNode]>([
    ['30 February', { kind: Kind.STRING, value: '2026-02-30T00:00:00Z' }],
    ['a word', { kind: Kind.STRING, value: 'yesterday' }],
    ['a number', { kind: Kind.INT, value: '1764000000000' }],
    ['a boolean', { kind: Kind.BOOLEAN, value: true }],
  ])('refuses %s as a literal, showing it', (_name, node) => {
    const error = refusal(() => DateTimeScalar.parseLiteral(node));
    expect(error).toBeInstanceOf(InvalidValueError);
    expect(error!.message).toContain(node.kind === Kind.STRING ? `"${node.value}"` : String((node as { value: unknown }).value));
  });

  it('names the input a refusal belongs to once it is known', () => {
    const error = refusal(() => DateTimeScalar.parseValue('yesterday'))!;
    expect(error.at('start').extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'start',
      fields: [{ field: 'start', message: 'start must be a real ISO 8601 date-time with an offset, e.g. 2026-11-24T09:30:00Z; got "yesterday".' }],
    });
  });
});
