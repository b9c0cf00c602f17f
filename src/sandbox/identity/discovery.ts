// OpenID Connect discovery document and JWKS for any tenant segment (common, organizations, consumers, a GUID).
// https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
import type { Request, Response } from 'express';
import type { SandboxState } from '../state';

/**
 * Like Microsoft's, the issuer of the multi-tenant documents carries a '{tenantid}' placeholder; the
 * authorization endpoint points at the plain-HTTP browser server so people sign in without a certificate warning.
 */
export function openIdConfiguration(state: SandboxState, tenant: string): Record<string, unknown> {
  const { authorityHost, browserBaseUrl, graphBaseUrl } = state.urls;
  const isMultiTenant = ['common', 'organizations', 'consumers'].includes(tenant.toLowerCase());
  const issuerTenant = isMultiTenant ? '{tenantid}' : tenant;
  return {
    token_endpoint: `${authorityHost}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${authorityHost}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${authorityHost}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${graphBaseUrl}/oidc/userinfo`,
    authorization_endpoint: `${browserBaseUrl}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authorityHost}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${browserBaseUrl}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${authorityHost}/${tenant}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(graphBaseUrl).host,
    rbac_url: 'https://pas.windows.net',
  };
}

export function openIdConfigurationEndpoint(state: SandboxState) {
  return (req: Request, res: Response): void => {
    res.json(openIdConfiguration(state, String(req.params.tenant)));
  };
}

export function keysEndpoint(state: SandboxState) {
  return (_req: Request, res: Response): void => {
    res.json(state.keys.jwks());
  };
}

/** GET /{tenant}/oauth2/v2.0/logout: the sandbox keeps no browser session, so it only returns to the app. */
export function logoutEndpoint(state: SandboxState) {
  return (req: Request, res: Response): void => {
    const target = typeof req.query.post_logout_redirect_uri === 'string' ? req.query.post_logout_redirect_uri : undefined;
    const isRegistered = target !== undefined && state.directory.hasRedirectUri(target);
    if (isRegistered) return res.redirect(302, target);
    res.type('html').send('<!doctype html><title>Signed out</title><p>You signed out of your account.</p>');
  };
}
