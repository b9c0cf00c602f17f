// @CurrentSession(): the caller's session, for resolvers behind @Authorized().
import { createParameterDecorator } from 'type-graphql';
import { errors } from '../errors/gateway-errors';
import type { AuthenticatedContext, RequestContext } from './context';

export type CurrentSessionValue = AuthenticatedContext['session'];

/** The session, or UNAUTHENTICATED; also for a subscription's `subscribe`, which parameter decorators do not reach. */
export function currentSession(context: RequestContext): CurrentSessionValue {
  // @Authorized() has already refused a request without one; this only keeps the type honest.
  if (!context.session) throw errors.unauthenticated();
  return context.session;
}

export function CurrentSession() {
  return createParameterDecorator<RequestContext>(({ context }) => currentSession(context));
}
