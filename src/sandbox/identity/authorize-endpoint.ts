// GET/POST /{tenant}/oauth2/v2.0/authorize: validates the app, shows the account picker, redirects with a code or an error.
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
import type { Request, Response } from 'express';
import { newGuid } from '../ids';
import type { SandboxState } from '../state';
import type { SandboxApp } from '../types';
import { readParams, redirectError, respondToApp, sendErrorPage, type Params } from './browser-responses';
import { parseScopes } from './scopes';
import { accountPickerPage } from './sign-in-pages';
import { clientInfo } from './token-issuer';

function issueCode(state: SandboxState, res: Response, app: SandboxApp, params: Params, email: string): void {
  const user = state.directory.userByEmail(email)!;
  // The user's organization lets only an administrator consent to apps, and none has for this one.
  if (state.directory.needsAdminConsent(user.tenantId, app.clientId)) {
    return redirectError(state, res, params, 'consent_required', 90094, 'The grant requires admin permission.');
  }
  const method = params.code_challenge_method === 'S256' ? 'S256' : 'plain';
  const code = state.grants.issueCode({
    clientId: app.clientId, redirectUri: params.redirect_uri, userId: user.id, scopes: parseScopes(params.scope),
    nonce: params.nonce, codeChallenge: params.code_challenge || undefined, codeChallengeMethod: params.code_challenge ? method : undefined,
  });
  const fields: Params = { code };
  if (params.client_info === '1') fields.client_info = clientInfo(user);
  respondToApp(res, params, { ...fields, session_state: newGuid() });
}

export function authorizeEndpoint(state: SandboxState) {
  return (req: Request, res: Response): void => {
    const params = readParams(req);
    const app = params.client_id ? state.directory.app(params.client_id) : undefined;
    if (!params.client_id) return sendErrorPage(state, res, "AADSTS900144: The request body must contain the following parameter: 'client_id'.");
    if (!app) return sendErrorPage(state, res, `AADSTS700016: Application with identifier '${params.client_id}' was not found in the directory '${String(req.params.tenant)}'.`);
    if (!params.redirect_uri || !app.redirectUris.includes(params.redirect_uri)) {
      return sendErrorPage(state, res, `AADSTS50011: The redirect URI '${params.redirect_uri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`);
    }
    if (!(params.response_type ?? '').split(' ').includes('code')) {
      return redirectError(state, res, params, 'unsupported_response_type', 70005, `response_type '${params.response_type ?? ''}' is not supported.`);
    }
    if (!params.scope) return redirectError(state, res, params, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
    if (params.code_challenge_method && !['S256', 'plain'].includes(params.code_challenge_method)) {
      return redirectError(state, res, params, 'invalid_request', 50148, `The code_challenge_method '${params.code_challenge_method}' is not supported.`);
    }
    if (params.sandbox_decline) {
      return redirectError(state, res, params, 'access_denied', 65004, 'User declined to consent to access the app.');
    }
    if (params.login_hint && state.directory.userByEmail(params.login_hint)) return issueCode(state, res, app, params, params.login_hint);
    if (params.prompt === 'none') {
      return redirectError(state, res, params, 'login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
    }
    res.status(200).type('html').send(accountPickerPage(app.clientId, params, state.directory.users));
  };
}
