// Admin-only fields: the x-admin-token header must equal ADMIN_TOKEN, compared in constant time.
import { constantTimeEquals } from '../crypto/secrets';
import { errors } from '../errors/gateway-errors';

/** Throws FORBIDDEN unless an admin token is configured and the caller sent exactly it. */
export function requireAdmin(sentToken: string | undefined, configuredToken: string | undefined): void {
  if (!configuredToken) {
    throw errors.forbidden('Admin-only fields are turned off: this gateway has no ADMIN_TOKEN configured.');
  }
  if (!sentToken || !constantTimeEquals(sentToken, configuredToken)) {
    throw errors.forbidden('This field needs a valid x-admin-token header.');
  }
}
