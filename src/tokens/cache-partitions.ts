// msal-node cache partitions kept encrypted in each channel's token table, one partition per user.
import type { Channel } from '../config/channels';
import type { CachePartitionStore } from '../microsoft/msal-clients';
import type { TokenVault } from './token-vault';
import type { TokensRepository } from './tokens.repository';

export class EncryptedCachePartitions implements CachePartitionStore {
  constructor(
    private readonly tokens: TokensRepository,
    private readonly vault: TokenVault,
    /** The gateway's clock: lastRefreshedAt, which the background sweep reads, is written in it. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws DecryptionError when the keys changed since the partition was written. */
  async load(channel: Channel, userId: string): Promise<string | undefined> {
    const row = await this.tokens.findByUser(channel, userId);
    return row ? this.vault.open(channel, userId, row.tokenCacheEncrypted) : undefined;
  }

  async save(channel: Channel, userId: string, serializedCache: string): Promise<void> {
    // No row means the user disconnected meanwhile: never resurrect a deleted connection.
    if (!(await this.tokens.findByUser(channel, userId))) return;
    await this.tokens.saveRefreshedCache(channel, userId, {
      tokenCacheEncrypted: this.vault.seal(channel, userId, serializedCache),
      accessTokenExpiresAt: latestAccessTokenExpiry(serializedCache),
    }, new Date(this.now()));
  }
}

/** The latest access-token expiry in a serialized msal-node cache (its `expires_on` is in epoch seconds). */
export function latestAccessTokenExpiry(serializedCache: string): Date | null {
  try {
    const cache = JSON.parse(serializedCache) as { AccessToken?: Record<string, { expires_on?: string | number }> };
    const expiries = Object.values(cache.AccessToken ?? {})
      .map((entry) => Number(entry.expires_on))
      .filter((seconds) => Number.isFinite(seconds) && seconds > 0);
    return expiries.length > 0 ? new Date(Math.max(...expiries) * 1000) : null;
  } catch {
    return null;
  }
}
