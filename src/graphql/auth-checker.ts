// type-graphql's @Authorized() seam: @Authorized() needs a live session, @Authorized('ADMIN') the x-admin-token header.
import type { AuthChecker } from 'type-graphql';
import { errors } from '../errors/gateway-errors';
import { requireAdmin } from '../guards/admin-guard';
import type { RequestContext } from './context';

export const ADMIN = 'ADMIN';

/** `adminToken`: ADMIN_TOKEN, without which admin-only fields are refused. */
export function gatewayAuthChecker(adminToken: string | undefined): AuthChecker<RequestContext> {
  return ({ context }, roles) => {
    if (roles.includes(ADMIN)) {
      requireAdmin(context.adminToken, adminToken);
      return true;
    }
    if (!context.session) {
      throw errors.unauthenticated(
        context.hasBearerToken ? 'Your session token is unknown, expired or revoked; sign in with Microsoft again.' : undefined,
      );
    }
    return true;
  };
}
