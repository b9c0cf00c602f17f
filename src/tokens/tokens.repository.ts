// Storage of each user's Microsoft connection per channel, in that channel's token table.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { ALL_CHANNELS, type Channel } from '../config/channels';
import { tokenTableFor } from '../db/channel-tables';
import type { GatewayDb } from '../db/database';
import { tokenEvents, type MicrosoftTokenTable, type TokenEventKind } from '../db/schema.sqlite';

export interface StoredConnection {
  userId: string;
  channel: Channel;
  microsoftUserId: string;
  tenantId: string;
  homeAccountId: string;
  email: string | null;
  displayName: string | null;
  /** Encrypted msal-node cache partition; decrypt with the row's associated data. */
  tokenCacheEncrypted: string;
  scopes: string[];
  accessTokenExpiresAt: Date | null;
  lastUsedAt: Date | null;
  lastRefreshedAt: Date | null;
  refreshFailureCount: number;
  lastErrorCode: string | null;
  isActive: boolean;
  needsReconnect: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ConnectionWrite {
  microsoftUserId: string;
  tenantId: string;
  homeAccountId: string;
  email: string | null;
  displayName: string | null;
  tokenCacheEncrypted: string;
  scopes: string[];
  accessTokenExpiresAt: Date | null;
}

export interface TokensRepository {
  findByUser(channel: Channel, userId: string): Promise<StoredConnection | undefined>;
  findUserIdByIdentity(channel: Channel, tenantId: string, microsoftUserId: string): Promise<string | undefined>;
  /** Stores a fresh sign-in: creates or replaces the row and clears failure flags. */
  saveSignIn(channel: Channel, userId: string, values: ConnectionWrite, now?: Date): Promise<void>;
  saveRefreshedCache(
    channel: Channel,
    userId: string,
    cache: { tokenCacheEncrypted: string; accessTokenExpiresAt: Date | null },
    now?: Date,
  ): Promise<void>;
  /** Counts a failed refresh on the row still holding `startedFrom`, the envelope the refresh began with; a replaced row is left alone. */
  recordRefreshFailure(channel: Channel, userId: string, errorCode: string, needsReconnect: boolean, startedFrom: string, now?: Date): Promise<void>;
  touchLastUsed(channel: Channel, lastUsed: Array<{ userId: string; at: Date }>): Promise<void>;
  delete(channel: Channel, userId: string): Promise<boolean>;
  replaceEncrypted(channel: Channel, userId: string, tokenCacheEncrypted: string): Promise<void>;
  /**
   * Offers every stored envelope of every channel to `rewrite` and stores what it returns (undefined: leave as is),
   * all in one transaction: when `rewrite` throws, nothing changes. Returns how many were rewritten.
   */
  rewriteAllEncrypted(rewrite: EnvelopeRewrite): Promise<number>;
  recordEvent(channel: Channel, userId: string | null, kind: TokenEventKind, errorCode?: string | null, now?: Date): Promise<void>;
}

export type EnvelopeRewrite = (channel: Channel, userId: string, tokenCacheEncrypted: string) => string | undefined;

/** Prepared once per channel: building the query with Drizzle's builder on every call cost more than running it. */
function prepareFindByUser(db: GatewayDb, channel: Channel) {
  const table = tokenTableFor(channel);
  return db.select().from(table).where(eq(table.userId, sql.placeholder('userId'))).prepare();
}

export class SqliteTokensRepository implements TokensRepository {
  private readonly findByUserStatements: Map<Channel, ReturnType<typeof prepareFindByUser>>;

  constructor(private readonly db: GatewayDb) {
    this.findByUserStatements = new Map(ALL_CHANNELS.map((channel) => [channel, prepareFindByUser(db, channel)]));
  }

  async findByUser(channel: Channel, userId: string): Promise<StoredConnection | undefined> {
    const row = this.findByUserStatements.get(channel)!.get({ userId });
    return row && toStoredConnection(channel, row);
  }

  async findUserIdByIdentity(channel: Channel, tenantId: string, microsoftUserId: string): Promise<string | undefined> {
    const table = tokenTableFor(channel);
    return this.db
      .select({ userId: table.userId })
      .from(table)
      .where(and(eq(table.tenantId, tenantId), eq(table.microsoftUserId, microsoftUserId)))
      .get()?.userId;
  }

  async saveSignIn(channel: Channel, userId: string, values: ConnectionWrite, now = new Date()): Promise<void> {
    const table = tokenTableFor(channel);
    const row = signInRow(values, now);
    this.db
      .insert(table)
      .values({ id: randomUUID(), userId, createdAt: now.getTime(), ...row })
      .onConflictDoUpdate({ target: table.userId, set: row })
      .run();
  }

  async saveRefreshedCache(
    channel: Channel,
    userId: string,
    cache: { tokenCacheEncrypted: string; accessTokenExpiresAt: Date | null },
    now = new Date(),
  ): Promise<void> {
    const table = tokenTableFor(channel);
    this.db
      .update(table)
      .set(refreshedRow(cache, now))
      .where(eq(table.userId, userId))
      .run();
  }

  async recordRefreshFailure(
    channel: Channel,
    userId: string,
    errorCode: string,
    needsReconnect: boolean,
    startedFrom: string,
    now = new Date(),
  ): Promise<void> {
    const table = tokenTableFor(channel);
    this.db
      .update(table)
      .set({
        refreshFailureCount: sql`${table.refreshFailureCount} + 1`,
        lastErrorCode: errorCode,
        updatedAt: now.getTime(),
        ...(needsReconnect ? { isActive: false, needsReconnect: true } : {}),
      })
      // Only the connection the refresh began with: a sign-in that replaced it meanwhile is not what Microsoft refused.
      .where(and(eq(table.userId, userId), eq(table.tokenCacheEncrypted, startedFrom)))
      .run();
  }

  async touchLastUsed(channel: Channel, lastUsed: Array<{ userId: string; at: Date }>): Promise<void> {
    if (lastUsed.length === 0) return;
    const table = tokenTableFor(channel);
    this.db.transaction((tx) => {
      for (const { userId, at } of lastUsed) {
        tx.update(table).set({ lastUsedAt: at.getTime() }).where(eq(table.userId, userId)).run();
      }
    });
  }

  async delete(channel: Channel, userId: string): Promise<boolean> {
    const table = tokenTableFor(channel);
    return this.db.delete(table).where(eq(table.userId, userId)).run().changes > 0;
  }

  async replaceEncrypted(channel: Channel, userId: string, tokenCacheEncrypted: string): Promise<void> {
    const table = tokenTableFor(channel);
    this.db.update(table).set({ tokenCacheEncrypted }).where(eq(table.userId, userId)).run();
  }

  async rewriteAllEncrypted(rewrite: EnvelopeRewrite): Promise<number> {
    // better-sqlite3 transactions are synchronous: the whole rewrite runs (or rolls back) inside this one call.
    return this.db.transaction((tx) => {
      let rewritten = 0;
      for (const channel of ALL_CHANNELS) {
        const table = tokenTableFor(channel);
        for (const row of tx.select({ userId: table.userId, tokenCacheEncrypted: table.tokenCacheEncrypted }).from(table).all()) {
          const replacement = rewrite(channel, row.userId, row.tokenCacheEncrypted);
          if (replacement === undefined) continue;
          tx.update(table).set({ tokenCacheEncrypted: replacement }).where(eq(table.userId, row.userId)).run();
          rewritten += 1;
        }
      }
      return rewritten;
    });
  }

  async recordEvent(channel: Channel, userId: string | null, kind: TokenEventKind, errorCode: string | null = null, now = new Date()): Promise<void> {
    this.db.insert(tokenEvents).values({ channel, userId, kind, errorCode, createdAt: now.getTime() }).run();
  }
}

/** A token row as both dialects return it (timestamps in Unix milliseconds, flags as booleans). */
export type ConnectionRow = MicrosoftTokenTable['$inferSelect'];

/** Shared by both dialects, so they hand out the same objects. */
export function toStoredConnection(channel: Channel, row: ConnectionRow): StoredConnection {
  return {
    ...row,
    channel,
    scopes: row.scopes ? row.scopes.split(' ') : [],
    accessTokenExpiresAt: toDate(row.accessTokenExpiresAt),
    lastUsedAt: toDate(row.lastUsedAt),
    lastRefreshedAt: toDate(row.lastRefreshedAt),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

/** The columns a fresh sign-in writes, on insert and on conflict alike: failure flags cleared. */
export function signInRow(values: ConnectionWrite, now: Date) {
  return {
    ...values,
    scopes: values.scopes.join(' '),
    accessTokenExpiresAt: values.accessTokenExpiresAt?.getTime() ?? null,
    lastRefreshedAt: now.getTime(),
    refreshFailureCount: 0,
    lastErrorCode: null,
    isActive: true,
    needsReconnect: false,
    updatedAt: now.getTime(),
  };
}

/** The columns a successful refresh writes. */
export function refreshedRow(cache: { tokenCacheEncrypted: string; accessTokenExpiresAt: Date | null }, now: Date) {
  return {
    tokenCacheEncrypted: cache.tokenCacheEncrypted,
    accessTokenExpiresAt: cache.accessTokenExpiresAt?.getTime() ?? null,
    lastRefreshedAt: now.getTime(),
    refreshFailureCount: 0,
    lastErrorCode: null,
    updatedAt: now.getTime(),
  };
}

function toDate(value: number | null): Date | null {
  return value === null ? null : new Date(value);
}
