// The query limits and the cost model: what one request may ask for before anything parses, validates or executes.

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDocumentBytes: number;
  maxFragmentSpreads: number;
}

/**
 * Our deepest legitimate query is about 4 levels; a Graph-bound field costs 10 and everything else 1, so one request
 * can reach Microsoft at most about 20 times however it is written. Our largest example operation has about 70 tokens
 * and the full introspection query about 190; the token cap bounds what parsing and validation can be made to do (the
 * comparison of same-named fields in validation grows with the square of their number). Event bodies belong in
 * variables, but a 64 KiB body written inline still fits the size cap.
 */
export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = Object.freeze({
  maxDepth: 10,
  maxAliases: 20,
  maxCost: 200,
  maxTokens: 2000,
  maxDocumentBytes: 128 * 1024,
  // Generated clients spread a handful of fragments per operation; 50 keeps validation's pairwise fragment work small.
  maxFragmentSpreads: 50,
});

/** The cost of a field that calls Microsoft (the identity platform or Graph) each time it resolves (@CallsMicrosoft). */
export const MICROSOFT_FIELD_COST = 10;

/** What a refusal names: it reads "The query's <what> is <actual>, over the limit of <limit>." */
export type QueryMeasure = 'depth' | 'number of aliases' | 'cost' | 'number of tokens' | 'number of fragment spreads' | 'size in bytes';

export interface QueryLimitBreach {
  what: QueryMeasure;
  limit: number;
  actual: number;
}

/** The breach when `actual` is over `limit`. */
export function breachOf(what: QueryMeasure, limit: number, actual: number): QueryLimitBreach | undefined {
  return actual > limit ? { what, limit, actual } : undefined;
}
