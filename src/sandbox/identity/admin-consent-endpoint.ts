// GET/POST /{tenant}/v2.0/adminconsent: an administrator signs in and consents to an app for their whole tenant.
// https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
import type { Request, Response } from 'express';
import type { SandboxState } from '../state';
import type { SandboxUser } from '../types';
import { readParams, redirectError, respondToApp, sendErrorPage, type Params } from './browser-responses';
import { accountPickerPage } from './sign-in-pages';

const MULTI_TENANT_SEGMENTS = new Set(['common', 'organizations', 'consumers']);

/** An administrator of the tenant the URL names (any tenant's for `organizations`) may consent. */
function mayConsent(user: SandboxUser, tenantSegment: string): boolean {
  const isTenantOfUrl = MULTI_TENANT_SEGMENTS.has(tenantSegment.toLowerCase()) || tenantSegment.toLowerCase() === user.tenantId;
  return Boolean(user.isTenantAdmin) && isTenantOfUrl;
}

function consentAs(state: SandboxState, res: Response, params: Params, clientId: string, tenantSegment: string, user: SandboxUser): void {
  if (!mayConsent(user, tenantSegment)) {
    return redirectError(state, res, params, 'access_denied', 90094, `The grant requires admin permission: ${user.email} is not an administrator of the tenant.`);
  }
  state.directory.grantAdminConsent(user.tenantId, clientId);
  state.log(`${user.email} consented to ${clientId} for tenant ${user.tenantId}`);
  // Microsoft answers admin_consent=True, the tenant that consented and the scopes: the app knows which organization to enable.
  respondToApp(res, { ...params, response_mode: 'query' }, { admin_consent: 'True', tenant: user.tenantId, ...(params.scope ? { scope: params.scope } : {}) });
}

export function adminConsentEndpoint(state: SandboxState) {
  return (req: Request, res: Response): void => {
    const params = readParams(req);
    const tenantSegment = String(req.params.tenant);
    const app = params.client_id ? state.directory.app(params.client_id) : undefined;
    if (!params.client_id) return sendErrorPage(state, res, "AADSTS900144: The request body must contain the following parameter: 'client_id'.");
    if (!app) return sendErrorPage(state, res, `AADSTS700016: Application with identifier '${params.client_id}' was not found in the directory '${tenantSegment}'.`);
    if (!params.redirect_uri || !app.redirectUris.includes(params.redirect_uri)) {
      return sendErrorPage(state, res, `AADSTS50011: The redirect URI '${params.redirect_uri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`);
    }
    if (params.sandbox_decline) return redirectError(state, res, params, 'access_denied', 65004, 'User declined to consent to access the app.');
    const user = params.login_hint ? state.directory.userByEmail(params.login_hint) : undefined;
    if (user) return consentAs(state, res, params, app.clientId, tenantSegment, user);
    res.status(200).type('html').send(accountPickerPage(app.clientId, params, state.directory.users.filter((candidate) => candidate.isTenantAdmin)));
  };
}
