// Storage of each user's Microsoft connection per channel in PostgreSQL: the same contract and rows as in SQLite.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { ALL_CHANNELS, type Channel } from '../config/channels';
import { postgresTokenTableFor } from '../db/channel-tables.postgres';
import type { PostgresDb } from '../db/database';
import { tokenEvents, webhookOutbox } from '../db/schema.postgres';
import type { TokenEventKind } from '../db/schema.sqlite';
import {
  DEFAULT_REFRESH_GIVE_UP_AFTER_MS,
  statusAfterFailure,
  statusAfterSuccess,
  type ConnectionStatus,
  type StatusChange,
} from '../lifecycle/connection-status';
import { outboxRowFor } from '../webhooks/connection-event';
import { dueForRefresh, failedRow, failureColumns, refreshedRow, signInRow, toStoredConnection, type AnnouncedSubject } from './token-rows';
import {
  type ConnectionWrite,
  type EnvelopeRewrite,
  type RefreshFailure,
  type RepositoryOptions,
  type StoredConnection,
  type TokensRepository,
} from './tokens.repository';

export class PostgresTokensRepository implements TokensRepository {
  constructor(
    private readonly db: PostgresDb,
    private readonly options: RepositoryOptions = {},
  ) {}

  async findByUser(channel: Channel, userId: string): Promise<StoredConnection | undefined> {
    const table = postgresTokenTableFor(channel);
    const [row] = await this.db.select().from(table).where(eq(table.userId, userId)).limit(1);
    return row && toStoredConnection(channel, row);
  }

  async findUserIdByIdentity(channel: Channel, tenantId: string, microsoftUserId: string): Promise<string | undefined> {
    const table = postgresTokenTableFor(channel);
    const [row] = await this.db
      .select({ userId: table.userId })
      .from(table)
      .where(and(eq(table.tenantId, tenantId), eq(table.microsoftUserId, microsoftUserId)))
      .limit(1);
    return row?.userId;
  }

  async saveSignIn(channel: Channel, userId: string, values: ConnectionWrite, now = new Date()): Promise<void> {
    const table = postgresTokenTableFor(channel);
    const row = signInRow(values, now);
    await this.db.transaction(async (tx) => {
      // FOR UPDATE: a refresh failing on another instance meanwhile waits, so the status it writes follows this one.
      const [prior] = await tx.select({ status: table.status }).from(table).where(eq(table.userId, userId)).for('update');
      // ON CONFLICT makes two instances completing sign-ins for one user meet in one row instead of a unique violation.
      await tx
        .insert(table)
        .values({ id: randomUUID(), userId, createdAt: now.getTime(), ...row })
        .onConflictDoUpdate({ target: table.userId, set: row });
      await this.announce(tx, statusAfterSuccess(prior?.status), { channel, userId, microsoftUserId: values.microsoftUserId, now });
    });
  }

  async saveRefreshedCache(
    channel: Channel,
    userId: string,
    cache: { tokenCacheEncrypted: string; accessTokenExpiresAt: Date | null },
    now = new Date(),
  ): Promise<void> {
    const table = postgresTokenTableFor(channel);
    await this.db.transaction(async (tx) => {
      const [prior] = await tx
        .select({ status: table.status, microsoftUserId: table.microsoftUserId })
        .from(table)
        .where(eq(table.userId, userId))
        .for('update');
      if (!prior) return;
      await tx.update(table).set(refreshedRow(cache, now)).where(eq(table.userId, userId));
      await this.announce(tx, statusAfterSuccess(prior.status), { channel, userId, microsoftUserId: prior.microsoftUserId, now });
    });
  }

  async recordRefreshFailure(channel: Channel, userId: string, failure: RefreshFailure, now = new Date()): Promise<ConnectionStatus | undefined> {
    const table = postgresTokenTableFor(channel);
    return this.db.transaction(async (tx) => {
      // Only the connection the refresh began with: a sign-in that replaced it meanwhile is not what Microsoft refused.
      const [current] = await tx
        .select(failureColumns(table))
        .from(table)
        .where(and(eq(table.userId, userId), eq(table.tokenCacheEncrypted, failure.startedFrom)))
        .for('update');
      if (!current) return undefined;
      const change = statusAfterFailure(current, failure.kind, now.getTime(), failure.giveUpAfterMs ?? DEFAULT_REFRESH_GIVE_UP_AFTER_MS);
      await tx.update(table).set(failedRow(table, failure.errorCode, change, now)).where(eq(table.userId, userId));
      await this.announce(tx, change, { channel, userId, microsoftUserId: current.microsoftUserId, now });
      return change.status;
    });
  }

  async findDueForRefresh(channel: Channel, idleBefore: Date, now: Date, limit: number): Promise<string[]> {
    const table = postgresTokenTableFor(channel);
    const rows = await this.db
      .select({ userId: table.userId })
      .from(table)
      .where(dueForRefresh(table, idleBefore, now))
      // Never refreshed first, as SQLite orders NULLs (PostgreSQL puts them last by default).
      .orderBy(sql`${table.lastRefreshedAt} asc nulls first`)
      .limit(limit);
    return rows.map((row) => row.userId);
  }

  async touchLastUsed(channel: Channel, lastUsed: Array<{ userId: string; at: Date }>): Promise<void> {
    if (lastUsed.length === 0) return;
    const table = postgresTokenTableFor(channel);
    // One statement for the whole batch (two array parameters, whatever its size); sorted, so instances lock rows in one order.
    const sorted = [...lastUsed].sort((left, right) => (left.userId < right.userId ? -1 : 1));
    await this.db.execute(sql`
      UPDATE ${table} SET last_used_at = batch.at
      FROM unnest(${sql.param(sorted.map((entry) => entry.userId))}::text[], ${sql.param(sorted.map((entry) => entry.at.getTime()))}::bigint[]) AS batch(user_id, at)
      WHERE ${table.userId} = batch.user_id`);
  }

  async delete(channel: Channel, userId: string, now = new Date()): Promise<boolean> {
    const table = postgresTokenTableFor(channel);
    return this.db.transaction(async (tx) => {
      const [deleted] = await tx.delete(table).where(eq(table.userId, userId)).returning({ microsoftUserId: table.microsoftUserId });
      if (!deleted) return false;
      await this.announce(tx, { event: 'connection.disconnected' }, { channel, userId, microsoftUserId: deleted.microsoftUserId, now });
      return true;
    });
  }

  async replaceEncrypted(channel: Channel, userId: string, tokenCacheEncrypted: string): Promise<void> {
    const table = postgresTokenTableFor(channel);
    await this.db.update(table).set({ tokenCacheEncrypted }).where(eq(table.userId, userId));
  }

  async rewriteAllEncrypted(rewrite: EnvelopeRewrite): Promise<number> {
    return this.db.transaction(async (tx) => {
      let rewritten = 0;
      for (const channel of ALL_CHANNELS) {
        const table = postgresTokenTableFor(channel);
        // FOR UPDATE: a refresh on a running instance waits instead of writing an envelope this rewrite would overwrite.
        const rows = await tx
          .select({ userId: table.userId, tokenCacheEncrypted: table.tokenCacheEncrypted })
          .from(table)
          .orderBy(asc(table.userId))
          .for('update');
        for (const row of rows) {
          const replacement = rewrite(channel, row.userId, row.tokenCacheEncrypted);
          if (replacement === undefined) continue;
          await tx.update(table).set({ tokenCacheEncrypted: replacement }).where(eq(table.userId, row.userId));
          rewritten += 1;
        }
      }
      return rewritten;
    });
  }

  async recordEvent(channel: Channel, userId: string | null, kind: TokenEventKind, errorCode: string | null = null, now = new Date()): Promise<void> {
    await this.db.insert(tokenEvents).values({ channel, userId, kind, errorCode, createdAt: now.getTime() });
  }

  /** Writes the change's webhook to the outbox inside the caller's transaction, when webhooks are configured. */
  private async announce(tx: Pick<PostgresDb, 'insert'>, change: Pick<StatusChange, 'event'>, subject: AnnouncedSubject): Promise<void> {
    if (!change.event || !this.options.recordsWebhooks) return;
    await tx.insert(webhookOutbox).values(outboxRowFor({ type: change.event, ...subject, occurredAt: subject.now }));
  }
}
