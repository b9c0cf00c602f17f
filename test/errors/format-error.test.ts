// The error formatter: contract errors pass, the unexpected is masked and logged without its message.
import { GraphQLError } from 'graphql';
import { createErrorFormatter, describeUnexpected } from '../../src/errors/format-error';
import { errors } from '../../src/errors/gateway-errors';

function drizzleStyleError(): Error {
  // drizzle's query errors: the statement and its parameters on the message's lines, the driver error as cause.
  const error = new Error('Failed query: select * from sessions where token_hash = $1\nparams: 9f86d081884c7d659a2feaa0c55ad015');
  return Object.assign(error, { query: 'select …', params: ['9f86d081884c7d659a2feaa0c55ad015'], cause: { code: '57014' } });
}

describe('describeUnexpected', () => {
  it('logs a database error by kind, code and frames, never its statement or parameters', () => {
    const described = describeUnexpected(drizzleStyleError());
    expect(described).toEqual(expect.objectContaining({ type: 'DatabaseQueryError', code: '57014' }));
    expect(JSON.stringify(described)).not.toMatch(/9f86d081|token_hash|Failed query/);
    expect(String(described.stack)).toMatch(/^\s+at /);
  });

  it('logs any other error by name and frames, not by message', () => {
    const described = describeUnexpected(new TypeError('upstream said: secret body'));
    expect(described.type).toBe('TypeError');
    expect(JSON.stringify(described)).not.toContain('secret body');
  });
});

describe('createErrorFormatter', () => {
  const lines: unknown[] = [];
  const logger = { error: (entry: unknown) => lines.push(entry) } as never;
  const format = createErrorFormatter(logger);

  it('passes contract errors with their extensions', () => {
    const error = errors.badUserInput('start', 'start must be …');
    expect(format({ message: error.message, extensions: { code: 'X' } }, error, 'req-1')).toEqual(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'start', fields: [{ field: 'start', message: 'start must be …' }] } }),
    );
  });

  it('masks the unexpected with the request id and logs it without the message', () => {
    const wrapped = new GraphQLError('Failed query: … params: 9f86d081', { originalError: drizzleStyleError() });
    const formatted = format({ message: wrapped.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, wrapped, 'req-2');
    expect(formatted).toEqual(expect.objectContaining({ extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-2' } }));
    expect(formatted.message).not.toContain('9f86d081');
    expect(JSON.stringify(lines)).not.toContain('9f86d081');
  });
});

describe('createErrorFormatter with hideSuggestions', () => {
  const format = createErrorFormatter({ error: () => undefined } as never, { hideSuggestions: true });
  const validationError = (message: string) => ({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

  it.each([
    ['Cannot query field "helth" on type "Query". Did you mean "health"?', 'Cannot query field "helth" on type "Query".'],
    ['Unknown type "Chanel". Did you mean "Channel" or "Health"?', 'Unknown type "Chanel".'],
    ['Value "MIAN" does not exist in "Channel" enum. Did you mean the enum value "MAIN"?', 'Value "MIAN" does not exist in "Channel" enum.'],
    ['Cannot query field "x" on type "Query".', 'Cannot query field "x" on type "Query".'],
  ])('drops the guess from %s', (message, expected) => {
    expect(format(validationError(message), new GraphQLError(message)).message).toBe(expected);
  });
});
