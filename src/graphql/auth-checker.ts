// type-graphql's @Authorized() seam: a field marked with it needs a live session.
import type { AuthChecker } from 'type-graphql';
import { errors } from '../errors/gateway-errors';
import type { AuthenticatedContext, RequestContext } from './context';

export const sessionAuthChecker: AuthChecker<RequestContext> = ({ context }) => {
  if (!context.session) {
    throw errors.unauthenticated(
      context.hasBearerToken
        ? 'Your session token is unknown, expired or revoked; sign in with Microsoft again.'
        : undefined,
    );
  }
  return true;
};

/** For resolvers behind @Authorized(): the session is there. */
export function requireSession(context: RequestContext): AuthenticatedContext['session'] {
  if (!context.session) throw errors.unauthenticated();
  return context.session;
}
