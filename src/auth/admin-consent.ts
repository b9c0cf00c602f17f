// The link an organization's administrator opens to consent to the app for everyone in the organization (v2 admin consent).
// https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
import type { ChannelSettings } from '../config/config.types';
import { graphScopes } from '../tokens/token.service';

/** Graph's resource URI: scopes in an admin consent request are named in full. */
const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/**
 * `common` and `consumers` cannot grant admin consent (personal accounts have no administrator), so a multi-tenant app
 * sends the administrator to `organizations`: the consent then applies to the tenant the administrator signs in to.
 */
function consentTenant(tenantId: string): string {
  return ['common', 'consumers'].includes(tenantId.toLowerCase()) ? 'organizations' : tenantId;
}

export function adminConsentUrl(authorityHost: string, settings: ChannelSettings): string {
  const url = new URL(`${authorityHost}/${encodeURIComponent(consentTenant(settings.tenantId))}/v2.0/adminconsent`);
  const graphOnly = graphScopes(settings);
  // OpenID Connect scopes stay as they are; Graph's are named with their resource.
  const openId = settings.scopes.filter((scope) => !graphOnly.includes(scope));
  const graph = graphOnly.map((scope) => (scope.includes('://') ? scope : `${GRAPH_RESOURCE}/${scope}`));
  url.searchParams.set('client_id', settings.clientId ?? '');
  url.searchParams.set('scope', [...openId, ...graph].join(' '));
  url.searchParams.set('redirect_uri', settings.redirectUri);
  return url.toString();
}
