// Checks msal-node leaves to us on the id token: audience, tenant (configured and allowed) and expiry (it checks only the nonce).
// https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
// The token comes straight from the token endpoint over TLS in answer to our own code redemption; msal-node's account
// object is built from this same token, so comparing the two would prove nothing and is not done.
export interface IdTokenExpectations {
  clientId: string;
  /** The channel's configured tenant: a GUID, a domain, or common / organizations / consumers. */
  configuredTenant: string;
  /** Lower-case tenant GUIDs whose users may sign in (MICROSOFT_ALLOWED_TENANTS); empty allows any. */
  allowedTenants: readonly string[];
  nowSeconds: number;
}

export interface VerifiedIdentity {
  tenantId: string;
  objectId: string;
  email: string | null;
  displayName: string | null;
}

/** The personal-accounts tenant: https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference#payload-claims */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLOCK_SKEW_SECONDS = 300;

export type IdTokenProblem = 'audience' | 'tenant' | 'tenant_not_allowed' | 'object_id' | 'expired' | 'missing';

export function checkIdTokenClaims(
  claims: Record<string, unknown> | undefined,
  expected: IdTokenExpectations,
): { ok: true; identity: VerifiedIdentity } | { ok: false; problem: IdTokenProblem } {
  if (!claims) return { ok: false, problem: 'missing' };
  const audience = claims.aud;
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (!audiences.includes(expected.clientId)) return { ok: false, problem: 'audience' };
  const tenantId = typeof claims.tid === 'string' ? claims.tid : '';
  if (!isConfiguredTenant(tenantId, expected.configuredTenant)) return { ok: false, problem: 'tenant' };
  if (expected.allowedTenants.length > 0 && !expected.allowedTenants.includes(tenantId.toLowerCase())) return { ok: false, problem: 'tenant_not_allowed' };
  const objectId = typeof claims.oid === 'string' ? claims.oid : '';
  if (!objectId) return { ok: false, problem: 'object_id' };
  if (typeof claims.exp === 'number' && claims.exp + CLOCK_SKEW_SECONDS < expected.nowSeconds) return { ok: false, problem: 'expired' };
  return {
    ok: true,
    identity: {
      tenantId,
      objectId,
      email: stringClaim(claims.email) ?? stringClaim(claims.preferred_username),
      displayName: stringClaim(claims.name),
    },
  };
}

function isConfiguredTenant(tenantId: string, configuredTenant: string): boolean {
  if (!GUID.test(tenantId)) return false;
  const configured = configuredTenant.toLowerCase();
  if (configured === 'common') return true;
  if (configured === 'organizations') return tenantId.toLowerCase() !== CONSUMERS_TENANT_ID;
  if (configured === 'consumers') return tenantId.toLowerCase() === CONSUMERS_TENANT_ID;
  // A domain name cannot be compared with tid offline; the authority already pinned the sign-in to it.
  if (!GUID.test(configured)) return true;
  return tenantId.toLowerCase() === configured;
}

function stringClaim(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
