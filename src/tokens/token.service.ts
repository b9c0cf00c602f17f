// Hands out Microsoft access tokens per user and channel: from memory, else msal-node's silent refresh, one refresh at a time.
//
// For other capabilities (reachable as services.tokenService):
//   getAccessToken(userId: string, channel: Channel, options?: { forceRefresh?: boolean }): Promise<string>
//   refreshIdleConnection(userId: string, channel: Channel): Promise<void>   (the background sweep)
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
import type { TokenRefreshObservation } from '../metrics/gateway-metrics';
import type { MsalClients } from '../microsoft/msal-clients';
import { tokenInvalidation, type InvalidationPublisher } from '../scale/invalidations';
import type { RefreshLock } from '../scale/refresh-lock';
import { classifyTokenError } from './classify-token-error';
import { LastUsedRecorder } from './last-used-recorder';
import { ReadGenerations } from './read-generations';
import { SingleFlight } from './single-flight';
import type { TokenVault } from './token-vault';
import type { ConnectionWrite, RefreshFailure, StoredConnection, TokensRepository } from './tokens.repository';
import { ConnectionStatus } from '../lifecycle/connection-status';

/** msal-node renews a token expiring within 5 minutes (its default tokenRenewalOffsetSeconds); memory does the same. */
export const RENEWAL_MARGIN_MS = 5 * 60_000;
/**
 * How long an access token is served from memory before the stored connection is read again. Invalidations from other
 * instances (Redis) drop it at once; this bounds how long a disconnect elsewhere goes unnoticed when none arrives.
 */
export const MEMORY_TTL_MS = 60_000;
/**
 * How long `viewer` shows a connection from memory. Every change here drops it at once; a change on another instance
 * drops it through its invalidation, and without one (no Redis) shows after at most this long, like the session cache.
 */
export const CONNECTION_VIEW_TTL_MS = 5_000;
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface TokenServiceDependencies {
  tokens: TokensRepository;
  vault: TokenVault;
  clients: MsalClients;
  channels: ChannelResolver;
  logger: Logger;
  now?: () => number;
  lastUsedFlushMs?: number;
  /** With several instances (Redis): one instance refreshes a user's token at a time; the others then read its result. */
  refreshLock?: RefreshLock;
  /** With several instances (Redis): tells the others to drop what they keep in memory about a connection that changed. */
  invalidations?: InvalidationPublisher;
  /** Metrics hook: each refresh against the identity platform and its outcome. */
  onRefresh?: (observation: TokenRefreshObservation) => void;
  /** REFRESH_GIVE_UP_AFTER: transient refresh failures for this long make a connection NEEDS_RECONNECT. */
  giveUpAfterMs?: number;
}

export interface SignedInConnection extends Omit<ConnectionWrite, 'tokenCacheEncrypted'> {
  /** msal-node's serialized cache holding exactly this user's tokens; encrypted before it is stored. */
  serializedCache: string;
  accessToken: string;
}

/** A stored connection as viewer shows it: everything but the encrypted token cache. */
export type ConnectionView = Omit<StoredConnection, 'tokenCacheEncrypted'>;

export interface AccessTokenOptions {
  /** Skip the fresh token in memory and msal-node's cache: Graph refused it (expired or revoked server-side). */
  forceRefresh?: boolean;
  /** The token Graph refused: a forced refresh happens only while it is still the current one. */
  rejectedToken?: string;
}

interface MemoryToken {
  accessToken: string;
  expiresAt: number;
}

export class TokenService {
  private readonly memory = new LRUCache<string, MemoryToken>({ max: 10_000, ttl: MEMORY_TTL_MS });
  /** What viewer shows of a connection, without its encrypted cache; `connection: undefined` remembers that there is none. */
  private readonly connectionViews = new LRUCache<string, { connection?: ConnectionView }>({ max: 10_000, ttl: CONNECTION_VIEW_TTL_MS });
  private readonly reads = new ReadGenerations();
  private readonly refreshSingleFlight = new SingleFlight<string>();
  private readonly lastUsed: LastUsedRecorder;
  private readonly now: () => number;

  constructor(private readonly deps: TokenServiceDependencies) {
    this.now = deps.now ?? Date.now;
    this.lastUsed = new LastUsedRecorder(deps.tokens, deps.lastUsedFlushMs, (error) =>
      deps.logger.warn({ err: { type: (error as Error)?.name } }, 'could not record when connections were last used'),
    );
  }

  async getAccessToken(userId: string, channel: Channel, options: AccessTokenOptions = {}): Promise<string> {
    const settings = this.deps.channels.resolve(channel);
    const key = memoryKey(channel, userId);
    const cached = this.memory.get(key);
    // Of many requests rejected with the same token, only those still holding it force a refresh; later ones take the new token.
    const isRejectedStale = options.rejectedToken !== undefined && cached !== undefined && cached.accessToken !== options.rejectedToken;
    if ((!options.forceRefresh || isRejectedStale) && cached && cached.expiresAt - this.now() > RENEWAL_MARGIN_MS) {
      this.markUsed(channel, userId);
      return cached.accessToken;
    }
    const flightKey = options.forceRefresh ? `${key}:force` : key;
    const accessToken = await this.refreshSingleFlight.run(flightKey, () =>
      this.reads.track(key, (isCurrent) => this.acquire(settings, userId, options.forceRefresh === true, isCurrent)),
    );
    this.markUsed(channel, userId);
    return accessToken;
  }

  /** Stores a completed sign-in (clearing any reconnect flags) and starts serving its access token from memory. */
  async saveSignIn(userId: string, channel: Channel, connection: SignedInConnection): Promise<void> {
    const { serializedCache, accessToken, ...values } = connection;
    await this.deps.tokens.saveSignIn(
      channel,
      userId,
      { ...values, tokenCacheEncrypted: this.deps.vault.seal(channel, userId, serializedCache) },
      new Date(this.now()),
    );
    this.deps.clients.forgetUser(channel, userId);
    if (values.accessTokenExpiresAt) {
      this.memory.set(memoryKey(channel, userId), { accessToken, expiresAt: values.accessTokenExpiresAt.getTime() });
    }
    await this.announceChange(channel, userId);
    await this.recordEvent(channel, userId, 'signed_in');
  }

  /**
   * Uses the refresh token now (the background sweep), so it never lapses unused. Shares the single flight of ordinary
   * requests for this connection: when one is already acquiring a token, this waits for it instead of refreshing again,
   * and the sweep comes back to the connection on its next run if that one was answered from the cache.
   */
  async refreshIdleConnection(userId: string, channel: Channel): Promise<void> {
    const settings = this.deps.channels.resolve(channel);
    const key = memoryKey(channel, userId);
    await this.refreshSingleFlight.run(key, () => this.reads.track(key, (isCurrent) => this.acquire(settings, userId, true, isCurrent)));
  }

  /** The caller's stored connection, with a last-used time that may not have reached the database yet. */
  async connection(userId: string, channel: Channel): Promise<ConnectionView | undefined> {
    const key = memoryKey(channel, userId);
    const remembered = this.connectionViews.get(key);
    if (remembered) return remembered.connection;
    return this.reads.track(key, async (isCurrent) => {
      const stored = await this.deps.tokens.findByUser(channel, userId);
      let connection: ConnectionView | undefined;
      if (stored) {
        const { tokenCacheEncrypted: _sealed, ...view } = stored;
        connection = { ...view, lastUsedAt: this.lastUsed.peek(channel, userId) ?? stored.lastUsedAt };
      }
      // A disconnect that landed during the read made what it read stale: answer with it, but do not remember it.
      if (isCurrent()) this.connectionViews.set(key, { connection });
      return connection;
    });
  }

  /**
   * Deletes the stored connection, msal-node cache and all. Not through msal's removeAccount first: that saves the
   * cache, and a save is a successful write that would announce a broken connection as recovered just before it goes.
   */
  async disconnect(userId: string, channel: Channel): Promise<boolean> {
    const stored = await this.deps.tokens.findByUser(channel, userId);
    if (!stored) return false;
    const wasDeleted = await this.deps.tokens.delete(channel, userId, new Date(this.now()));
    this.forget(channel, userId);
    this.lastUsed.forget(channel, userId);
    // Awaited before answering: once the caller hears "disconnected", no instance serves the token from memory.
    await this.announceChange(channel, userId);
    if (wasDeleted) await this.recordEvent(channel, userId, 'disconnected');
    return wasDeleted;
  }

  /** Drops this instance's memory of a connection another instance changed (refreshed, disconnected, signed in again). */
  forgetLocally(channel: Channel, userId: string): void {
    this.forget(channel, userId);
  }

  /** Drops this instance's memory of every connection: invalidations may have been missed while Redis was away. */
  forgetAllLocally(): void {
    this.memory.clear();
    this.connectionViews.clear();
    this.reads.forgetAll();
    // msal-node's per-user applications are kept: each reads the stored cache partition again on every acquire.
  }

  stop(): Promise<void> {
    return this.lastUsed.stop();
  }

  private async acquire(settings: ChannelSettings, userId: string, forceRefresh: boolean, isCurrent: () => boolean): Promise<string> {
    const { channel } = settings;
    const stored = await this.usableConnection(channel, userId);
    const lock = this.deps.refreshLock;
    if (!lock) return this.acquireSilently(settings, userId, stored, forceRefresh, isCurrent);
    // Another instance may be refreshing this very token: wait for it, then read its result from the shared store.
    return lock.withLock(memoryKey(channel, userId), async () => {
      const current = await this.usableConnection(channel, userId);
      // A changed cache means another instance refreshed while we waited: its new token is what a forced refresh wants.
      const isRefreshedMeanwhile = current.tokenCacheEncrypted !== stored.tokenCacheEncrypted;
      return this.acquireSilently(settings, userId, current, forceRefresh && !isRefreshedMeanwhile, isCurrent);
    });
  }

  private async usableConnection(channel: Channel, userId: string): Promise<StoredConnection> {
    const stored = await this.deps.tokens.findByUser(channel, userId);
    if (!stored) throw errors.microsoftNotConnected(channel);
    if (stored.needsReconnect || !stored.isActive) throw errors.reconnectRequired(channel);
    return stored;
  }

  /** msal-node loads the stored cache partition, answers from it when its token is fresh, and refreshes otherwise. */
  private async acquireSilently(
    settings: ChannelSettings,
    userId: string,
    stored: StoredConnection,
    forceRefresh: boolean,
    isCurrent: () => boolean,
  ): Promise<string> {
    const { channel } = settings;
    const app = this.deps.clients.userApp(channel, userId);
    let result: AuthenticationResult | null;
    try {
      const account = await app.getTokenCache().getAccountByHomeId(stored.homeAccountId);
      if (!account) throw Object.assign(new Error('no account in the stored cache'), { errorCode: 'no_account_in_silent_request' });
      result = await app.acquireTokenSilent({ account, scopes: graphScopes(settings), forceRefresh });
    } catch (error) {
      throw await this.failed(channel, userId, stored.tokenCacheEncrypted, error);
    }
    // An answer without a token is the identity platform misbehaving, not the grant ending: try again later.
    if (!result?.accessToken) throw await this.failed(channel, userId, stored.tokenCacheEncrypted, Object.assign(new Error('empty result'), { errorCode: 'empty_token_response' }));
    const expiresAt = result.expiresOn?.getTime() ?? this.now() + RENEWAL_MARGIN_MS;
    // A disconnect during the refresh wins: the caller still gets this token, but memory must not serve it afterwards.
    if (isCurrent()) this.memory.set(memoryKey(channel, userId), { accessToken: result.accessToken, expiresAt });
    if (!result.fromCache) {
      this.deps.onRefresh?.({ channel, outcome: 'refreshed' });
      await this.announceChange(channel, userId);
      await this.recordEvent(channel, userId, 'refreshed');
    }
    return result.accessToken;
  }

  /**
   * Records the failure and turns it into the contract's error; never echoes Microsoft's message. `startedFrom` is the
   * envelope the refresh began with: a sign-in that replaced it meanwhile must not be flagged for this old one's failure.
   */
  private async failed(channel: Channel, userId: string, startedFrom: string, error: unknown): Promise<GatewayError> {
    this.forget(channel, userId);
    if (error instanceof DecryptionError) {
      // Logged once: the row is marked, so later calls stop before decrypting again.
      this.deps.logger.error(
        { channel, userId, reason: 'token_cache_unreadable' },
        'A stored Microsoft token cache cannot be decrypted (SECRET_KEY or TOKEN_ENCRYPTION_KEY changed?); the user must sign in again',
      );
      await this.recordFailure(channel, userId, { errorCode: 'token_cache_unreadable', kind: 'unreadable', startedFrom });
      await this.recordEvent(channel, userId, 'reconnect_required', 'token_cache_unreadable');
      this.deps.onRefresh?.({ channel, outcome: 'reconnect_required' });
      await this.announceChange(channel, userId);
      return errors.reconnectRequired(channel);
    }
    const { kind, code } = classifyTokenError(error);
    const status = await this.recordFailure(channel, userId, { errorCode: code, kind, startedFrom });
    await this.recordEvent(channel, userId, 'refresh_failed', code);
    // Refused for good, or failing transiently for longer than REFRESH_GIVE_UP_AFTER: only a new sign-in helps.
    const isGivenUp = kind === 'reconnect' || status === ConnectionStatus.NEEDS_RECONNECT;
    this.deps.onRefresh?.({ channel, outcome: isGivenUp ? 'reconnect_required' : 'failed' });
    await this.announceChange(channel, userId);
    if (isGivenUp) {
      await this.recordEvent(channel, userId, 'reconnect_required', code);
      this.deps.logger.warn({ channel, userId, errorCode: code }, 'The refresh token cannot be used any more; the connection needs a new sign-in');
      return errors.reconnectRequired(channel);
    }
    const level = kind === 'configuration' ? 'error' : 'warn';
    this.deps.logger[level]({ channel, userId, errorCode: code, kind }, 'Token refresh failed; the next call tries again');
    return errors.upstreamUnavailable();
  }

  private recordFailure(channel: Channel, userId: string, failure: Omit<RefreshFailure, 'giveUpAfterMs'>): Promise<ConnectionStatus | undefined> {
    return this.deps.tokens.recordRefreshFailure(channel, userId, { ...failure, giveUpAfterMs: this.deps.giveUpAfterMs }, new Date(this.now()));
  }

  /** msal-node may keep a 429/5xx answer in its application and replay it (ThrottlingUtils); a fresh application really asks again. */
  private forget(channel: Channel, userId: string): void {
    const key = memoryKey(channel, userId);
    this.memory.delete(key);
    this.connectionViews.delete(key);
    this.reads.forget(key);
    this.deps.clients.forgetUser(channel, userId);
  }

  /** Other instances drop their memory of the connection; never fails the caller (the bus reports its own failures). */
  private async announceChange(channel: Channel, userId: string): Promise<void> {
    // Every change announced has been written: this instance's view of the connection is stale too.
    this.connectionViews.delete(memoryKey(channel, userId));
    await this.deps.invalidations?.publish(tokenInvalidation(channel, userId));
  }

  /** A use is shown by viewer before it is written; the remembered view predates it. */
  private markUsed(channel: Channel, userId: string): void {
    this.lastUsed.mark(channel, userId, new Date(this.now()));
    this.connectionViews.delete(memoryKey(channel, userId));
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
