// Server-side state of the identity platform: one-time authorization codes, refresh tokens, issued access tokens.
import { opaqueToken } from '../ids';
import type { RequestedScopes } from './scopes';

/** Codes live about 10 minutes: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow */
export const CODE_LIFETIME_MS = 10 * 60_000;
/** Refresh tokens expire after 90 days of inactivity: https://learn.microsoft.com/entra/identity-platform/refresh-tokens */
export const REFRESH_TOKEN_MAX_INACTIVE_MS = 90 * 86_400_000;

export interface AuthorizationCodeGrant {
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: RequestedScopes;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  expiresAt: number;
  isRedeemed: boolean;
}

export interface RefreshTokenGrant {
  clientId: string;
  userId: string;
  scopes: RequestedScopes;
  issuedAt: number;
  lastUsedAt: number;
  isRevoked: boolean;
}

export interface AccessTokenRecord {
  userId: string;
  expiresAt: number;
  isExpiredByServer: boolean;
}

/** What a restarted sandbox needs to go on honouring the codes and tokens it issued. */
export interface GrantSnapshot {
  codes: Array<[string, AuthorizationCodeGrant]>;
  refreshTokens: Array<[string, RefreshTokenGrant]>;
  accessTokens: Array<[string, AccessTokenRecord]>;
}

export class GrantStore {
  private readonly codes = new Map<string, AuthorizationCodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshTokenGrant>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();

  constructor(private readonly now: () => number, snapshot?: GrantSnapshot) {
    for (const [code, grant] of snapshot?.codes ?? []) this.codes.set(code, grant);
    for (const [token, grant] of snapshot?.refreshTokens ?? []) this.refreshTokens.set(token, grant);
    for (const [id, record] of snapshot?.accessTokens ?? []) this.accessTokens.set(id, record);
  }

  snapshot(): GrantSnapshot {
    this.pruneExpired();
    return { codes: [...this.codes], refreshTokens: [...this.refreshTokens], accessTokens: [...this.accessTokens] };
  }

  issueCode(grant: Omit<AuthorizationCodeGrant, 'expiresAt' | 'isRedeemed'>): string {
    this.pruneExpired();
    const code = opaqueToken('1.AXEA', 96);
    this.codes.set(code, { ...grant, expiresAt: this.now() + CODE_LIFETIME_MS, isRedeemed: false });
    return code;
  }

  code(code: string): AuthorizationCodeGrant | undefined {
    return this.codes.get(code);
  }

  issueRefreshToken(clientId: string, userId: string, scopes: RequestedScopes, issuedAt = this.now()): string {
    const token = opaqueToken('1.AXEA', 160);
    this.refreshTokens.set(token, { clientId, userId, scopes, issuedAt, lastUsedAt: this.now(), isRevoked: false });
    return token;
  }

  refreshToken(token: string): RefreshTokenGrant | undefined {
    return this.refreshTokens.get(token);
  }

  recordAccessToken(tokenId: string, userId: string, expiresAt: number): void {
    this.accessTokens.set(tokenId, { userId, expiresAt, isExpiredByServer: false });
  }

  accessToken(tokenId: string): AccessTokenRecord | undefined {
    return this.accessTokens.get(tokenId);
  }

  expireAccessTokens(userId: string): void {
    for (const record of this.accessTokens.values()) if (record.userId === userId) record.isExpiredByServer = true;
  }

  revokeRefreshTokens(userId: string): void {
    for (const grant of this.refreshTokens.values()) if (grant.userId === userId) grant.isRevoked = true;
  }

  private pruneExpired(): void {
    const now = this.now();
    for (const [code, grant] of this.codes) if (grant.expiresAt < now - CODE_LIFETIME_MS) this.codes.delete(code);
    for (const [id, record] of this.accessTokens) if (record.expiresAt < now) this.accessTokens.delete(id);
  }
}
