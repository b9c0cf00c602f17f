// An error and the errors it wraps: graphql-js and Apollo wrap resolver, scalar and context errors in GraphQLErrors.
import { GraphQLError } from 'graphql';

/** The error, then each `originalError` below it, at most `maxDepth` in all. */
export function* errorChain(error: unknown, maxDepth = 4): Generator<object> {
  let current: unknown = error;
  for (let depth = 0; depth < maxDepth && typeof current === 'object' && current !== null; depth += 1) {
    yield current;
    current = current instanceof GraphQLError ? current.originalError : undefined;
  }
}
