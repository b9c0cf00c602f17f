// Refuses a query text over the size or token limit before GraphQL parses or validates it.
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { errors, type GatewayError } from '../errors/gateway-errors';
import { breachOf, type QueryLimitBreach, type QueryLimits } from './query-limits';

type DocumentLimits = Pick<QueryLimits, 'maxTokens' | 'maxDocumentBytes'>;

/** The first limit the text is over: its size in bytes, then its number of tokens (counted only within the size cap). */
export function documentBreach(queryText: string, limits: DocumentLimits): QueryLimitBreach | undefined {
  return (
    breachOf('size in bytes', limits.maxDocumentBytes, Buffer.byteLength(queryText, 'utf8')) ??
    breachOf('number of tokens', limits.maxTokens, countTokens(queryText))
  );
}

/** QUERY_TOO_COMPLEX for a text over a limit, else undefined. */
export function documentLimitError(queryText: string, limits: DocumentLimits): GatewayError | undefined {
  const breach = documentBreach(queryText, limits);
  return breach && errors.queryTooComplex(breach.what, breach.limit, breach.actual);
}

/**
 * Tokens as graphql-js's parser counts them for its own maxTokens option (comments are not tokens). The whole text is
 * counted, so a refusal names the real number; a lexical error ends the count early, and parsing reports it.
 */
function countTokens(queryText: string): number {
  const lexer = new Lexer(new Source(queryText));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  return count;
}
