// Refuses a query text over the size, token or fragment-spread limit before GraphQL parses or validates it.
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { errors, type GatewayError } from '../errors/gateway-errors';
import { breachOf, type QueryLimitBreach, type QueryLimits } from './query-limits';

type DocumentLimits = Pick<QueryLimits, 'maxTokens' | 'maxDocumentBytes' | 'maxFragmentSpreads'>;

/** The first limit the text is over: its size in bytes, then its tokens and named fragment spreads (counted only within the size cap). */
export function documentBreach(queryText: string, limits: DocumentLimits): QueryLimitBreach | undefined {
  const sizeBreach = breachOf('size in bytes', limits.maxDocumentBytes, Buffer.byteLength(queryText, 'utf8'));
  if (sizeBreach) return sizeBreach;
  const counts = countTokens(queryText);
  return breachOf('number of tokens', limits.maxTokens, counts.tokens) ?? breachOf('number of fragment spreads', limits.maxFragmentSpreads, counts.fragmentSpreads);
}

/** QUERY_TOO_COMPLEX for a text over a limit, else undefined. */
export function documentLimitError(queryText: string, limits: DocumentLimits): GatewayError | undefined {
  const breach = documentBreach(queryText, limits);
  return breach && errors.queryTooComplex(breach.what, breach.limit, breach.actual);
}

/**
 * Tokens as graphql-js's parser counts them for its own maxTokens option (comments are not tokens), and named
 * fragment spreads (`...Name`, not `... on Type`): validation compares fragments pairwise, so a long chain of small
 * fragments costs it the square of their number within the token cap. The whole text is counted, so a refusal names
 * the real numbers; a lexical error ends the count early, and parsing reports it.
 */
function countTokens(queryText: string): { tokens: number; fragmentSpreads: number } {
  const lexer = new Lexer(new Source(queryText));
  let tokens = 0;
  let fragmentSpreads = 0;
  try {
    let previous = TokenKind.SOF as TokenKind;
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      tokens += 1;
      if (previous === TokenKind.SPREAD && token.kind === TokenKind.NAME && token.value !== 'on') fragmentSpreads += 1;
      previous = token.kind;
    }
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  return { tokens, fragmentSpreads };
}
