// Storage of each user's Microsoft connection per channel in PostgreSQL: the same contract and rows as in SQLite.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { ALL_CHANNELS, type Channel } from '../config/channels';
import { postgresTokenTableFor } from '../db/channel-tables.postgres';
import type { PostgresDb } from '../db/database';
import { tokenEvents } from '../db/schema.postgres';
import type { TokenEventKind } from '../db/schema.sqlite';
import {
  refreshedRow,
  signInRow,
  toStoredConnection,
  type ConnectionWrite,
  type EnvelopeRewrite,
  type StoredConnection,
  type TokensRepository,
} from './tokens.repository';

export class PostgresTokensRepository implements TokensRepository {
  constructor(private readonly db: PostgresDb) {}

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
    // ON CONFLICT makes two instances completing sign-ins for one user meet in one row instead of a unique violation.
    await this.db
      .insert(table)
      .values({ id: randomUUID(), userId, createdAt: now.getTime(), ...row })
      .onConflictDoUpdate({ target: table.userId, set: row });
  }

  async saveRefreshedCache(
    channel: Channel,
    userId: string,
    cache: { tokenCacheEncrypted: string; accessTokenExpiresAt: Date | null },
    now = new Date(),
  ): Promise<void> {
    const table = postgresTokenTableFor(channel);
    await this.db.update(table).set(refreshedRow(cache, now)).where(eq(table.userId, userId));
  }

  async recordRefreshFailure(
    channel: Channel,
    userId: string,
    errorCode: string,
    needsReconnect: boolean,
    startedFrom: string,
    now = new Date(),
  ): Promise<void> {
    const table = postgresTokenTableFor(channel);
    await this.db
      .update(table)
      .set({
        refreshFailureCount: sql`${table.refreshFailureCount} + 1`,
        lastErrorCode: errorCode,
        updatedAt: now.getTime(),
        ...(needsReconnect ? { isActive: false, needsReconnect: true } : {}),
      })
      // Only the connection the refresh began with: a sign-in that replaced it meanwhile is not what Microsoft refused.
      .where(and(eq(table.userId, userId), eq(table.tokenCacheEncrypted, startedFrom)));
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

  async delete(channel: Channel, userId: string): Promise<boolean> {
    const table = postgresTokenTableFor(channel);
    const result = await this.db.delete(table).where(eq(table.userId, userId));
    return (result.rowCount ?? 0) > 0;
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
}
