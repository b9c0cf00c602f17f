// POST /{tenant}/oauth2/v2.0/token: authorization_code (with PKCE) and refresh_token grants for confidential clients (secret or certificate).
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { SandboxState } from '../state';
import type { SandboxApp } from '../types';
import { aad, sendAadError, type AadError } from './aad-errors';
import { checkClientAssertion, JWT_BEARER_ASSERTION } from './client-assertion';
import { parseScopes } from './scopes';
import { issueTokens } from './token-issuer';

type Form = Record<string, string | undefined>;

class TokenFailure extends Error {
  constructor(readonly failure: AadError) {
    super(failure.message);
  }
}

const fail = (failure: AadError): never => {
  throw new TokenFailure(failure);
};

const sameSecret = (given: string, expected: string) =>
  given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));

/** client_secret from the body, or HTTP Basic (RFC 6749 §2.3.1: both parts form-url-encoded). */
function clientCredentials(req: Request, form: Form): { clientId?: string; clientSecret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(req.get('authorization') ?? '');
  if (basic) {
    const [id, secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
    return { clientId: decode(id), clientSecret: decode(secret) };
  }
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

/** A client secret, or a client assertion signed with the app's registered certificate. */
function authenticateClient(state: SandboxState, req: Request, form: Form): SandboxApp {
  const { clientId, clientSecret } = clientCredentials(req, form);
  if (!clientId) fail(aad.missingParameter('client_id'));
  const app = state.directory.app(clientId!) ?? fail(aad.unknownClient(clientId!, String(req.params.tenant)));
  if (form.client_assertion !== undefined || form.client_assertion_type !== undefined) {
    if (form.client_assertion_type !== JWT_BEARER_ASSERTION) fail(aad.malformedAssertion(`client_assertion_type must be '${JWT_BEARER_ASSERTION}'.`));
    if (!form.client_assertion) fail(aad.missingParameter('client_assertion'));
    const refusal = checkClientAssertion({
      assertion: form.client_assertion!,
      clientId: clientId!,
      app,
      tokenEndpoint: `${state.urls.authorityHost}/${String(req.params.tenant)}/oauth2/v2.0/token`,
      nowSeconds: Math.floor(state.now() / 1000),
      usedIds: state.usedAssertionIds,
    });
    if (refusal) fail(refusal);
    return app;
  }
  if (!clientSecret) fail(aad.missingClientSecret());
  if (!sameSecret(clientSecret!, app.clientSecret)) fail(aad.invalidClientSecret(app.clientId));
  return app;
}

function verifyPkce(challenge: string | undefined, method: 'S256' | 'plain' | undefined, verifier: string | undefined): void {
  if (!challenge) return;
  if (!verifier) fail(aad.pkceMismatch());
  const computed = method === 'plain' ? verifier! : createHash('sha256').update(verifier!).digest('base64url');
  if (computed !== challenge) fail(aad.pkceMismatch());
}

function redeemCode(state: SandboxState, app: SandboxApp, form: Form): Record<string, unknown> {
  if (!form.code) fail(aad.missingParameter('code'));
  if (!form.redirect_uri) fail(aad.missingParameter('redirect_uri'));
  const grant = state.grants.code(form.code!) ?? fail(aad.invalidCode());
  if (grant.clientId !== app.clientId) fail(aad.invalidCode());
  if (grant.isRedeemed) fail(aad.codeRedeemed());
  if (grant.expiresAt <= state.now()) fail(aad.expiredGrant());
  if (grant.redirectUri !== form.redirect_uri) fail(aad.redirectMismatch(form.redirect_uri!, grant.redirectUri));
  verifyPkce(grant.codeChallenge, grant.codeChallengeMethod, form.code_verifier);
  grant.isRedeemed = true;
  const user = state.directory.userById(grant.userId)!;
  if (state.directory.needsAdminConsent(user.tenantId, app.clientId)) fail(aad.consentRequired(app.clientId));
  state.counters.tokenGrant('authorization_code', user.email);
  return issueTokens(state, { app, user, scopes: grant.scopes, nonce: grant.nonce });
}

/** Refresh tokens replace themselves on use; the old one is not revoked (https://learn.microsoft.com/entra/identity-platform/refresh-tokens). */
function redeemRefreshToken(state: SandboxState, app: SandboxApp, form: Form): Record<string, unknown> {
  if (!form.refresh_token) fail(aad.missingParameter('refresh_token'));
  const grant = state.grants.refreshToken(form.refresh_token!) ?? fail(aad.invalidRefreshToken());
  if (grant.clientId !== app.clientId) fail(aad.refreshTokenOtherClient());
  if (grant.isRevoked) fail(aad.refreshTokenRevoked());
  if (state.now() - grant.lastUsedAt > state.refreshTokenMaxInactiveMs) fail(aad.refreshTokenInactive(new Date(grant.issuedAt)));
  grant.lastUsedAt = state.now();
  const requested = parseScopes(form.scope);
  const scopes = {
    oidc: requested.oidc.length > 0 ? requested.oidc : grant.scopes.oidc,
    graph: requested.graph.length > 0 ? requested.graph : grant.scopes.graph,
  };
  const user = state.directory.userById(grant.userId)!;
  state.counters.tokenGrant('refresh_token', user.email);
  return issueTokens(state, { app, user, scopes, refreshTokenIssuedAt: grant.issuedAt });
}

export function tokenEndpoint(state: SandboxState) {
  return (req: Request, res: Response): void => {
    const form = (req.body ?? {}) as Form;
    try {
      if (!form.grant_type) fail(aad.missingParameter('grant_type'));
      const app = authenticateClient(state, req, form);
      let body: Record<string, unknown>;
      if (form.grant_type === 'authorization_code') body = redeemCode(state, app, form);
      else if (form.grant_type === 'refresh_token') body = redeemRefreshToken(state, app, form);
      else body = fail(aad.unsupportedGrantType(form.grant_type!));
      res.status(200).set({ 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' }).json(body);
    } catch (error) {
      if (!(error instanceof TokenFailure)) throw error;
      sendAadError(res, error.failure, new Date(state.now()));
    }
  };
}
