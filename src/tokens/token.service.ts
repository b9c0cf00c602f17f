// Hands out Microsoft access tokens per user and channel: from memory, else msal-node's silent refresh, one refresh at a time.
//
// For other capabilities (reachable as services.tokenService):
//   getAccessToken(userId: string, channel: Channel, options?: { forceRefresh?: boolean }): Promise<string>
//   throws errors.microsoftNotConnected / errors.reconnectRequired / errors.upstreamUnavailable (and CHANNEL_DISABLED).
import type { AuthenticationResult } from '@azure/msal-node';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { ChannelResolver } from '../channels/channel-resolver';
import type { Channel } from '../config/channels';
import type { ChannelSettings } from '../config/config.types';
import { DecryptionError } from '../crypto/token-cipher';
import type { TokenEventKind } from '../db/schema.sqlite';
import { errors, type GatewayError } from '../errors/gateway-errors';
import type { MsalClients } from '../microsoft/msal-clients';
import { classifyTokenError } from './classify-token-error';
import { LastUsedRecorder } from './last-used-recorder';
import { SingleFlight } from './single-flight';
import type { TokenVault } from './token-vault';
import type { ConnectionWrite, StoredConnection, TokensRepository } from './tokens.repository';

/** msal-node renews a token expiring within 5 minutes (its default tokenRenewalOffsetSeconds); memory does the same. */
export const RENEWAL_MARGIN_MS = 5 * 60_000;
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface TokenServiceDependencies {
  tokens: TokensRepository;
  vault: TokenVault;
  clients: MsalClients;
  channels: ChannelResolver;
  logger: Logger;
  now?: () => number;
  lastUsedFlushMs?: number;
}

export interface SignedInConnection extends Omit<ConnectionWrite, 'tokenCacheEncrypted'> {
  /** msal-node's serialized cache holding exactly this user's tokens; encrypted before it is stored. */
  serializedCache: string;
  accessToken: string;
}

interface MemoryToken {
  accessToken: string;
  expiresAt: number;
}

export class TokenService {
  private readonly memory = new LRUCache<string, MemoryToken>({ max: 10_000 });
  private readonly refreshSingleFlight = new SingleFlight<string>();
  private readonly lastUsed: LastUsedRecorder;
  private readonly now: () => number;

  constructor(private readonly deps: TokenServiceDependencies) {
    this.now = deps.now ?? Date.now;
    this.lastUsed = new LastUsedRecorder(deps.tokens, deps.lastUsedFlushMs, (error) =>
      deps.logger.warn({ err: { type: (error as Error)?.name } }, 'could not record when connections were last used'),
    );
  }

  async getAccessToken(userId: string, channel: Channel, options: { forceRefresh?: boolean } = {}): Promise<string> {
    const settings = this.deps.channels.resolve(channel);
    const key = memoryKey(channel, userId);
    const cached = this.memory.get(key);
    if (!options.forceRefresh && cached && cached.expiresAt - this.now() > RENEWAL_MARGIN_MS) {
      this.lastUsed.mark(channel, userId, new Date(this.now()));
      return cached.accessToken;
    }
    const flightKey = options.forceRefresh ? `${key}:force` : key;
    const accessToken = await this.refreshSingleFlight.run(flightKey, () => this.acquire(settings, userId, options.forceRefresh === true));
    this.lastUsed.mark(channel, userId, new Date(this.now()));
    return accessToken;
  }

  /** Stores a completed sign-in (clearing any reconnect flags) and starts serving its access token from memory. */
  async saveSignIn(userId: string, channel: Channel, connection: SignedInConnection): Promise<void> {
    const { serializedCache, accessToken, ...values } = connection;
    await this.deps.tokens.saveSignIn(channel, userId, {
      ...values,
      tokenCacheEncrypted: this.deps.vault.seal(channel, userId, serializedCache),
    });
    this.deps.clients.forgetUser(channel, userId);
    if (values.accessTokenExpiresAt) {
      this.memory.set(memoryKey(channel, userId), { accessToken, expiresAt: values.accessTokenExpiresAt.getTime() });
    }
    await this.recordEvent(channel, userId, 'signed_in');
  }

  /** The caller's stored connection, with a last-used time that may not have reached the database yet. */
  async connection(userId: string, channel: Channel): Promise<StoredConnection | undefined> {
    const stored = await this.deps.tokens.findByUser(channel, userId);
    if (!stored) return undefined;
    return { ...stored, lastUsedAt: this.lastUsed.peek(channel, userId) ?? stored.lastUsedAt };
  }

  /** Removes the account from the user's msal-node cache and deletes the stored connection. */
  async disconnect(userId: string, channel: Channel): Promise<boolean> {
    const stored = await this.deps.tokens.findByUser(channel, userId);
    if (!stored) return false;
    try {
      const cache = this.deps.clients.userApp(channel, userId).getTokenCache();
      const account = await cache.getAccountByHomeId(stored.homeAccountId);
      if (account) await cache.removeAccount(account);
    } catch {
      // An unreadable cache is deleted with the row below all the same.
    }
    const wasDeleted = await this.deps.tokens.delete(channel, userId);
    this.forget(channel, userId);
    this.lastUsed.forget(channel, userId);
    if (wasDeleted) await this.recordEvent(channel, userId, 'disconnected');
    return wasDeleted;
  }

  stop(): Promise<void> {
    return this.lastUsed.stop();
  }

  private async acquire(settings: ChannelSettings, userId: string, forceRefresh: boolean): Promise<string> {
    const { channel } = settings;
    const stored = await this.deps.tokens.findByUser(channel, userId);
    if (!stored) throw errors.microsoftNotConnected(channel);
    if (stored.needsReconnect || !stored.isActive) throw errors.reconnectRequired(channel);
    const app = this.deps.clients.userApp(channel, userId);
    let result: AuthenticationResult | null;
    try {
      const account = await app.getTokenCache().getAccountByHomeId(stored.homeAccountId);
      if (!account) throw Object.assign(new Error('no account in the stored cache'), { errorCode: 'no_account_in_silent_request' });
      result = await app.acquireTokenSilent({ account, scopes: graphScopes(settings), forceRefresh });
    } catch (error) {
      throw await this.failed(channel, userId, error);
    }
    if (!result?.accessToken) throw await this.failed(channel, userId, Object.assign(new Error('empty result'), { errorCode: 'no_tokens_found' }));
    const expiresAt = result.expiresOn?.getTime() ?? this.now() + RENEWAL_MARGIN_MS;
    this.memory.set(memoryKey(channel, userId), { accessToken: result.accessToken, expiresAt });
    if (!result.fromCache) await this.recordEvent(channel, userId, 'refreshed');
    return result.accessToken;
  }

  /** Records the failure and turns it into the contract's error; never echoes Microsoft's message. */
  private async failed(channel: Channel, userId: string, error: unknown): Promise<GatewayError> {
    this.forget(channel, userId);
    if (error instanceof DecryptionError) {
      // Logged once: the row is marked, so later calls stop before decrypting again.
      this.deps.logger.error(
        { channel, userId, reason: 'token_cache_unreadable' },
        'A stored Microsoft token cache cannot be decrypted (SECRET_KEY or TOKEN_ENCRYPTION_KEY changed?); the user must sign in again',
      );
      await this.deps.tokens.recordRefreshFailure(channel, userId, 'token_cache_unreadable', true);
      await this.recordEvent(channel, userId, 'reconnect_required', 'token_cache_unreadable');
      return errors.reconnectRequired(channel);
    }
    const { kind, code } = classifyTokenError(error);
    await this.deps.tokens.recordRefreshFailure(channel, userId, code, kind === 'reconnect');
    await this.recordEvent(channel, userId, 'refresh_failed', code);
    if (kind === 'reconnect') {
      await this.recordEvent(channel, userId, 'reconnect_required', code);
      this.deps.logger.warn({ channel, userId, errorCode: code }, 'Microsoft refused the refresh token; the connection needs a new sign-in');
      return errors.reconnectRequired(channel);
    }
    const level = kind === 'configuration' ? 'error' : 'warn';
    this.deps.logger[level]({ channel, userId, errorCode: code, kind }, 'Token refresh failed; the next call tries again');
    return errors.upstreamUnavailable();
  }

  /** msal-node may keep a 429/5xx answer in its application and replay it (ThrottlingUtils); a fresh application really asks again. */
  private forget(channel: Channel, userId: string): void {
    this.memory.delete(memoryKey(channel, userId));
    this.deps.clients.forgetUser(channel, userId);
  }

  private async recordEvent(channel: Channel, userId: string, kind: TokenEventKind, errorCode?: string): Promise<void> {
    try {
      await this.deps.tokens.recordEvent(channel, userId, kind, errorCode ?? null);
    } catch (error) {
      // Statistics must not fail a user's call (e.g. the user was deleted meanwhile).
      this.deps.logger.warn({ channel, kind, err: { type: (error as Error)?.name } }, 'could not record a token event');
    }
  }
}

function memoryKey(channel: Channel, userId: string): string {
  return `${channel}:${userId}`;
}

/** The Graph scopes of the channel: msal-node adds the OpenID ones itself. */
export function graphScopes(settings: ChannelSettings): string[] {
  const scopes = settings.scopes.filter((scope) => !OIDC_SCOPES.has(scope.toLowerCase()));
  return scopes.length > 0 ? scopes : ['User.Read'];
}
