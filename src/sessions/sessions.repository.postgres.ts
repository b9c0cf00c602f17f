// Storage of sessions in PostgreSQL: only a keyed hash of each session token is kept, as in SQLite.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { PostgresDb } from '../db/database';
import { sessions } from '../db/schema.postgres';
import { endedSessions, liveSessions, type SessionsRepository, type StoredSession } from './sessions.repository';

export class PostgresSessionsRepository implements SessionsRepository {
  constructor(private readonly db: PostgresDb) {}

  async create(session: { id: string; tokenHash: string; userId: string; expiresAt: Date }, now = new Date()): Promise<void> {
    await this.db.insert(sessions).values({
      id: session.id,
      tokenHash: session.tokenHash,
      userId: session.userId,
      createdAt: now.getTime(),
      expiresAt: session.expiresAt.getTime(),
      lastSeenAt: now.getTime(),
    });
  }

  async findActiveByTokenHash(tokenHash: string, now = new Date()): Promise<StoredSession | undefined> {
    const [row] = await this.db
      .select({ id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now.getTime())))
      .limit(1);
    return row && { id: row.id, userId: row.userId, expiresAt: new Date(row.expiresAt) };
  }

  async revoke(sessionId: string, now = new Date()): Promise<boolean> {
    const result = await this.db
      .update(sessions)
      .set({ revokedAt: now.getTime() })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
    return (result.rowCount ?? 0) > 0;
  }

  async revokeLive(userId: string | undefined, now = new Date()): Promise<number> {
    const result = await this.db.update(sessions).set({ revokedAt: now.getTime() }).where(liveSessions(sessions, now, userId));
    return result.rowCount ?? 0;
  }

  async touch(lastSeen: Array<{ sessionId: string; at: Date }>): Promise<void> {
    if (lastSeen.length === 0) return;
    // One statement for the whole batch (two array parameters, whatever its size); sorted, so instances lock rows in one order.
    const sorted = [...lastSeen].sort((left, right) => (left.sessionId < right.sessionId ? -1 : 1));
    await this.db.execute(sql`
      UPDATE ${sessions} SET last_seen_at = batch.at
      FROM unnest(${sql.param(sorted.map((entry) => entry.sessionId))}::text[], ${sql.param(sorted.map((entry) => entry.at.getTime()))}::bigint[]) AS batch(id, at)
      WHERE ${sessions.id} = batch.id`);
  }

  async deleteEnded(now: Date): Promise<number> {
    // Idempotent: of two instances purging at once, the second skips (after waiting for) the rows the first deleted.
    const result = await this.db.delete(sessions).where(endedSessions(sessions, now));
    return result.rowCount ?? 0;
  }
}
