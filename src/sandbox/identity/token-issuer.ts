// Builds token responses: RS256 access token for Graph, id token, refresh token and client_info.
// Claims: https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
import { createHash } from 'node:crypto';
import { newGuid } from '../ids';
import type { SandboxState } from '../state';
import type { SandboxApp, SandboxUser } from '../types';
import { grantedScopeString, type RequestedScopes } from './scopes';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

export interface IssueRequest {
  app: SandboxApp;
  user: SandboxUser;
  scopes: RequestedScopes;
  nonce?: string;
  /** Kept on refresh so a refreshed token keeps its original issue date. */
  refreshTokenIssuedAt?: number;
}

/** `sub` is pairwise: stable per user and app, different across apps. */
function pairwiseSubject(user: SandboxUser, clientId: string): string {
  return createHash('sha256').update(`${user.id}:${clientId}`).digest('base64url').slice(0, 43);
}

export function clientInfo(user: SandboxUser): string {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId })).toString('base64url');
}

export function issuerFor(state: SandboxState, tenantId: string): string {
  return `${state.urls.authorityHost}/${tenantId}/v2.0`;
}

function accessToken(state: SandboxState, request: IssueRequest, issuedAt: number, lifetime: number): string {
  const { user, app, scopes } = request;
  const tokenId = newGuid();
  state.grants.recordAccessToken(tokenId, user.id, (issuedAt + lifetime) * 1000);
  // Graph tokens are v1.0-format and opaque to clients; only the sandbox's Graph reads these claims.
  return state.keys.sign({
    aud: GRAPH_AUDIENCE, iss: `https://sts.windows.net/${user.tenantId}/`, iat: issuedAt, nbf: issuedAt, exp: issuedAt + lifetime,
    appid: app.clientId, appidacr: '1', idtyp: 'user', name: user.displayName, given_name: user.givenName, family_name: user.surname,
    oid: user.id, sub: pairwiseSubject(user, GRAPH_AUDIENCE), tid: user.tenantId, upn: user.email, unique_name: user.email,
    scp: scopes.graph.join(' '), uti: tokenId, ver: '1.0',
  });
}

function idToken(state: SandboxState, request: IssueRequest, issuedAt: number): string {
  const { user, app, scopes, nonce } = request;
  const hasProfile = scopes.oidc.includes('profile');
  return state.keys.sign({
    aud: app.clientId, iss: issuerFor(state, user.tenantId), iat: issuedAt, nbf: issuedAt, exp: issuedAt + 3600,
    ...(hasProfile ? { name: user.displayName, preferred_username: user.email, oid: user.id } : {}),
    ...(scopes.oidc.includes('email') ? { email: user.email } : {}),
    ...(nonce ? { nonce } : {}),
    sub: pairwiseSubject(user, app.clientId), tid: user.tenantId, uti: newGuid(), ver: '2.0',
  });
}

/** The JSON body of a successful /token response. */
export function issueTokens(state: SandboxState, request: IssueRequest): Record<string, unknown> {
  const issuedAt = Math.floor(state.now() / 1000);
  const lifetime = state.accessTokenLifetimeSeconds;
  const { app, user, scopes } = request;
  const hasOfflineAccess = scopes.oidc.includes('offline_access');
  return {
    token_type: 'Bearer',
    scope: grantedScopeString(scopes),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken(state, request, issuedAt, lifetime),
    ...(hasOfflineAccess ? { refresh_token: state.grants.issueRefreshToken(app.clientId, user.id, scopes, request.refreshTokenIssuedAt) } : {}),
    ...(scopes.oidc.includes('openid') ? { id_token: idToken(state, request, issuedAt) } : {}),
    client_info: clientInfo(user),
  };
}
