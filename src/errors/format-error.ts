// The one place errors become GraphQL responses: contract errors pass, the unexpected is masked.
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { errorChain } from './error-chain';
import { InvalidValueError } from '../graphql/invalid-value';
import { GatewayError } from './gateway-errors';

/** Codes Apollo Server and graphql-js produce for requests that are malformed, not for failures of ours. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** graphql-js ends a message with its guess at what was meant: `Did you mean "health"?`, `Did you mean the enum value "MAIN"?`. */
const SUGGESTION = / ?Did you mean [^?]*\?$/;

export interface ErrorFormatterOptions {
  /** Drops graphql-js's "Did you mean …" guesses: in production, where introspection is off, they would map the schema. */
  hideSuggestions?: boolean;
}

export function createErrorFormatter(logger: Logger, options: ErrorFormatterOptions = {}) {
  return (formatted: GraphQLFormattedError, error: unknown, requestId?: string): GraphQLFormattedError => {
    const gatewayError = findGatewayError(error) ?? findRefusedVariable(error, formatted.message);
    if (gatewayError) {
      return { message: gatewayError.message, locations: formatted.locations, path: formatted.path, extensions: gatewayError.extensions };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      const message = options.hideSuggestions ? formatted.message.replace(SUGGESTION, '') : formatted.message;
      return { message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    logger.error({ err: describeUnexpected(unwrapResolverError(error)), requestId, path: formatted.path }, 'unexpected error masked');
    return masked(formatted, requestId);
  };
}

function masked(formatted: GraphQLFormattedError, requestId: string | undefined): GraphQLFormattedError {
  return {
    message: `Something went wrong on our side. Quote request id ${requestId ?? 'unknown'} when reporting it.`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
  };
}

/**
 * Masked errors formatted without their request id (raised outside Apollo's request pipeline: a plugin failing, a
 * request during shutdown) get it here; undefined when every error already had one.
 */
export function stampRequestId(errors: readonly GraphQLFormattedError[], requestId: string): GraphQLFormattedError[] | undefined {
  const isUnstamped = (error: GraphQLFormattedError) => error.extensions?.code === 'INTERNAL_SERVER_ERROR' && !error.extensions.requestId;
  if (!errors.some(isUnstamped)) return undefined;
  return errors.map((error) => (isUnstamped(error) ? masked(error, requestId) : error));
}

/** Our errors arrive thrown by resolvers and argument validation, or as a literal a scalar refused (input-paths.rule.ts). */
function findGatewayError(error: unknown): GatewayError | undefined {
  for (const link of errorChain(error)) if (link instanceof GatewayError) return link;
  return undefined;
}

// graphql-js: `Variable "$input" got invalid value "x" at "input.start"; …` (no "at" when the variable itself is the value).
const REFUSED_VARIABLE = /^Variable "\$([^"]+)" got invalid value .*?(?: at "([^"]+)")?; /s;

/** A variable's value a scalar refused, as BAD_USER_INPUT naming the path inside the variable (e.g. `input.start`). */
function findRefusedVariable(error: unknown, message: string): GatewayError | undefined {
  const refusal = [...errorChain(error)].find((link): link is InvalidValueError => link instanceof InvalidValueError);
  if (!refusal) return undefined;
  const [, variable, pathInside] = REFUSED_VARIABLE.exec(message) ?? [];
  return refusal.at(pathInside ?? variable);
}

/**
 * Logs the kind and call frames of an unexpected error, never its message: messages may echo upstream data, and
 * drizzle's query errors carry the whole statement and its parameters on a second message line.
 */
export function describeUnexpected(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = error.stack?.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 7).join('\n');
  if ('params' in error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    return { type: 'DatabaseQueryError', code: typeof cause?.code === 'string' ? cause.code : undefined, stack: frames };
  }
  return { type: error.name, stack: frames };
}
