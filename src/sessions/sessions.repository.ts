// Storage of sessions: only a keyed hash of each session token is kept (session-token-hash.ts).
import { and, eq, gt, isNotNull, isNull, lte, or, sql, type AnyColumn } from 'drizzle-orm';
import type { GatewayDb } from '../db/database';
import { sessions } from '../db/schema.sqlite';

export interface StoredSession {
  id: string;
  userId: string;
  expiresAt: Date;
}

export interface SessionsRepository {
  create(session: { id: string; tokenHash: string; userId: string; expiresAt: Date }, now?: Date): Promise<void>;
  findActiveByTokenHash(tokenHash: string, now?: Date): Promise<StoredSession | undefined>;
  revoke(sessionId: string, now?: Date): Promise<boolean>;
  /** Revokes every live session of the user (of everyone when `userId` is undefined); answers how many. */
  revokeLive(userId: string | undefined, now?: Date): Promise<number>;
  touch(lastSeen: Array<{ sessionId: string; at: Date }>): Promise<void>;
  /** Deletes sessions that expired by `now` or were revoked; answers how many. */
  deleteEnded(now: Date): Promise<number>;
}

/** Shared by both dialects' tables: a session a request could still use, of one user or of everyone. */
export function liveSessions(table: { userId: AnyColumn; expiresAt: AnyColumn; revokedAt: AnyColumn }, now: Date, userId?: string) {
  return and(isNull(table.revokedAt), gt(table.expiresAt, now.getTime()), userId === undefined ? undefined : eq(table.userId, userId));
}

/** Shared by both dialects' tables: a session no request can use any more. */
export function endedSessions(table: { expiresAt: AnyColumn; revokedAt: AnyColumn }, now: Date) {
  return or(lte(table.expiresAt, now.getTime()), isNotNull(table.revokedAt));
}

/** Prepared once: every request whose session is not in memory yet runs it. */
function prepareFindActive(db: GatewayDb) {
  return db
    .select({ id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql.placeholder('now'))))
    .prepare();
}

export class SqliteSessionsRepository implements SessionsRepository {
  private readonly findActiveStatement: ReturnType<typeof prepareFindActive>;

  constructor(private readonly db: GatewayDb) {
    this.findActiveStatement = prepareFindActive(db);
  }

  async create(session: { id: string; tokenHash: string; userId: string; expiresAt: Date }, now = new Date()): Promise<void> {
    this.db
      .insert(sessions)
      .values({
        id: session.id,
        tokenHash: session.tokenHash,
        userId: session.userId,
        createdAt: now.getTime(),
        expiresAt: session.expiresAt.getTime(),
        lastSeenAt: now.getTime(),
      })
      .run();
  }

  async findActiveByTokenHash(tokenHash: string, now = new Date()): Promise<StoredSession | undefined> {
    const row = this.findActiveStatement.get({ tokenHash, now: now.getTime() });
    return row && { id: row.id, userId: row.userId, expiresAt: new Date(row.expiresAt) };
  }

  async revoke(sessionId: string, now = new Date()): Promise<boolean> {
    const result = this.db
      .update(sessions)
      .set({ revokedAt: now.getTime() })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
      .run();
    return result.changes > 0;
  }

  async revokeLive(userId: string | undefined, now = new Date()): Promise<number> {
    return this.db.update(sessions).set({ revokedAt: now.getTime() }).where(liveSessions(sessions, now, userId)).run().changes;
  }

  async touch(lastSeen: Array<{ sessionId: string; at: Date }>): Promise<void> {
    if (lastSeen.length === 0) return;
    this.db.transaction((tx) => {
      for (const { sessionId, at } of lastSeen) {
        tx.update(sessions).set({ lastSeenAt: at.getTime() }).where(eq(sessions.id, sessionId)).run();
      }
    });
  }

  async deleteEnded(now: Date): Promise<number> {
    return this.db.delete(sessions).where(endedSessions(sessions, now)).run().changes;
  }
}
