// Which request an error belongs to, for the formatter that masks it: Apollo's formatError is given no context.
import { GraphQLError } from 'graphql';

const requestIds = new WeakMap<object, string>();

/** Remembers the request an error was raised in; returns the error, for `throw tagWithRequestId(error, id)`. */
export function tagWithRequestId<T>(error: T, requestId: string): T {
  if (typeof error === 'object' && error !== null) requestIds.set(error, requestId);
  return error;
}

/** The request id of the error or of the errors it wraps (graphql-js and Apollo wrap resolver and context errors). */
export function requestIdOfError(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const requestId = requestIds.get(current);
    if (requestId) return requestId;
    current = current instanceof GraphQLError ? current.originalError : undefined;
  }
  return undefined;
}
