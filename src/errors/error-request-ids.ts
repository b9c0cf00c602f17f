// Which request an error belongs to, for the formatter that masks it: Apollo's formatError is given no context.
import { errorChain } from './error-chain';

const requestIds = new WeakMap<object, string>();

/** Remembers the request an error was raised in; returns the error, for `throw tagWithRequestId(error, id)`. */
export function tagWithRequestId<T>(error: T, requestId: string): T {
  if (typeof error === 'object' && error !== null) requestIds.set(error, requestId);
  return error;
}

/** The request id of the error or of the errors it wraps (graphql-js and Apollo wrap resolver and context errors). */
export function requestIdOfError(error: unknown): string | undefined {
  for (const link of errorChain(error)) {
    const requestId = requestIds.get(link);
    if (requestId) return requestId;
  }
  return undefined;
}
