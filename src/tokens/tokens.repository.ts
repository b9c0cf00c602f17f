// Storage of each user's Microsoft connection per channel, in that channel's token table.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { ALL_CHANNELS, type Channel } from '../config/channels';
import { tokenTableFor } from '../db/channel-tables';
import type { GatewayDb } from '../db/database';
import { tokenEvents, webhookOutbox, type TokenEventKind } from '../db/schema.sqlite';
import {
  DEFAULT_REFRESH_GIVE_UP_AFTER_MS,
  statusAfterFailure,
  statusAfterSuccess,
  type ConnectionStatus,
  type StatusChange,
} from '../lifecycle/connection-status';
import type { TokenErrorKind } from './classify-token-error';
import { outboxRowFor } from '../webhooks/connection-event';
import { dueForRefresh, failedRow, failureColumns, refreshedRow, signInRow, toStoredConnection, type AnnouncedSubject } from './token-rows';

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
  /** isActive and needsReconnect follow it: NEEDS_RECONNECT is the one status that is neither active nor usable. */
  status: ConnectionStatus;
  refreshFailingSince: Date | null;
  nextRefreshAt: Date | null;
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

/** A failed refresh, measured against the row still holding `startedFrom`, the envelope the refresh began with. */
export interface RefreshFailure {
  errorCode: string;
  kind: TokenErrorKind | 'unreadable';
  startedFrom: string;
  /** REFRESH_GIVE_UP_AFTER: transient failures for this long make the connection NEEDS_RECONNECT. */
  giveUpAfterMs?: number;
}

export interface RepositoryOptions {
  /** WEBHOOK_URL is set: every status change also writes its webhook to the outbox, in the same transaction. */
  recordsWebhooks?: boolean;
}

export interface TokensRepository {
  findByUser(channel: Channel, userId: string): Promise<StoredConnection | undefined>;
  findUserIdByIdentity(channel: Channel, tenantId: string, microsoftUserId: string): Promise<string | undefined>;
  /** Stores a fresh sign-in: creates or replaces the row and makes it ACTIVE (connection.created or .recovered). */
  saveSignIn(channel: Channel, userId: string, values: ConnectionWrite, now?: Date): Promise<void>;
  /** Stores a refreshed cache and makes the connection ACTIVE (connection.recovered when it was not). */
  saveRefreshedCache(
    channel: Channel,
    userId: string,
    cache: { tokenCacheEncrypted: string; accessTokenExpiresAt: Date | null },
    now?: Date,
  ): Promise<void>;
  /**
   * Counts a failed refresh and moves the status (src/lifecycle/connection-status.ts) on the row still holding
   * `failure.startedFrom`; a row a sign-in replaced meanwhile is left alone (undefined).
   */
  recordRefreshFailure(channel: Channel, userId: string, failure: RefreshFailure, now?: Date): Promise<ConnectionStatus | undefined>;
  /** Connections the sweep should refresh: not NEEDS_RECONNECT, refreshed before `idleBefore`, past any backoff; longest idle first. */
  findDueForRefresh(channel: Channel, idleBefore: Date, now: Date, limit: number): Promise<string[]>;
  touchLastUsed(channel: Channel, lastUsed: Array<{ userId: string; at: Date }>): Promise<void>;
  /** Deletes the connection (connection.disconnected); false when there was none. */
  delete(channel: Channel, userId: string, now?: Date): Promise<boolean>;
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

  constructor(
    private readonly db: GatewayDb,
    private readonly options: RepositoryOptions = {},
  ) {
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
    // better-sqlite3 transactions are synchronous: the read, the write and the outbox row commit together.
    this.db.transaction((tx) => {
      const prior = tx.select({ status: table.status }).from(table).where(eq(table.userId, userId)).get();
      const change = statusAfterSuccess(prior?.status);
      const row = signInRow(values, now);
      tx.insert(table)
        .values({ id: randomUUID(), userId, createdAt: now.getTime(), ...row })
        .onConflictDoUpdate({ target: table.userId, set: row })
        .run();
      this.announce(tx, change, { channel, userId, microsoftUserId: values.microsoftUserId, now });
    });
  }

  async saveRefreshedCache(
    channel: Channel,
    userId: string,
    cache: { tokenCacheEncrypted: string; accessTokenExpiresAt: Date | null },
    now = new Date(),
  ): Promise<void> {
    const table = tokenTableFor(channel);
    this.db.transaction((tx) => {
      const prior = tx.select({ status: table.status, microsoftUserId: table.microsoftUserId }).from(table).where(eq(table.userId, userId)).get();
      if (!prior) return;
      tx.update(table).set(refreshedRow(cache, now)).where(eq(table.userId, userId)).run();
      this.announce(tx, statusAfterSuccess(prior.status), { channel, userId, microsoftUserId: prior.microsoftUserId, now });
    });
  }

  async recordRefreshFailure(channel: Channel, userId: string, failure: RefreshFailure, now = new Date()): Promise<ConnectionStatus | undefined> {
    const table = tokenTableFor(channel);
    return this.db.transaction((tx) => {
      // Only the connection the refresh began with: a sign-in that replaced it meanwhile is not what Microsoft refused.
      const current = tx
        .select(failureColumns(table))
        .from(table)
        .where(and(eq(table.userId, userId), eq(table.tokenCacheEncrypted, failure.startedFrom)))
        .get();
      if (!current) return undefined;
      const change = statusAfterFailure(current, failure.kind, now.getTime(), failure.giveUpAfterMs ?? DEFAULT_REFRESH_GIVE_UP_AFTER_MS);
      tx.update(table).set(failedRow(table, failure.errorCode, change, now)).where(eq(table.userId, userId)).run();
      this.announce(tx, change, { channel, userId, microsoftUserId: current.microsoftUserId, now });
      return change.status;
    });
  }

  async findDueForRefresh(channel: Channel, idleBefore: Date, now: Date, limit: number): Promise<string[]> {
    const table = tokenTableFor(channel);
    return this.db
      .select({ userId: table.userId })
      .from(table)
      .where(dueForRefresh(table, idleBefore, now))
      .orderBy(asc(table.lastRefreshedAt))
      .limit(limit)
      .all()
      .map((row) => row.userId);
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

  async delete(channel: Channel, userId: string, now = new Date()): Promise<boolean> {
    const table = tokenTableFor(channel);
    return this.db.transaction((tx) => {
      const [deleted] = tx.delete(table).where(eq(table.userId, userId)).returning({ microsoftUserId: table.microsoftUserId }).all();
      if (!deleted) return false;
      this.announce(tx, { event: 'connection.disconnected' }, { channel, userId, microsoftUserId: deleted.microsoftUserId, now });
      return true;
    });
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

  /** Writes the change's webhook to the outbox inside the caller's transaction, when webhooks are configured. */
  private announce(tx: Pick<GatewayDb, 'insert'>, change: Pick<StatusChange, 'event'>, subject: AnnouncedSubject): void {
    if (!change.event || !this.options.recordsWebhooks) return;
    tx.insert(webhookOutbox).values(outboxRowFor({ type: change.event, ...subject, occurredAt: subject.now })).run();
  }
}
