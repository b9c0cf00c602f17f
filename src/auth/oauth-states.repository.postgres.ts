// Storage of pending sign-ins in PostgreSQL; consuming a state stays one atomic UPDATE … RETURNING, as in SQLite.
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { PostgresDb } from '../db/database';
import { oauthStates } from '../db/schema.postgres';
import { toPending, type ConsumeResult, type OauthStatesRepository, type PendingSignIn } from './oauth-states.repository';

export class PostgresOauthStatesRepository implements OauthStatesRepository {
  constructor(private readonly db: PostgresDb) {}

  async create(pending: PendingSignIn): Promise<void> {
    await this.db
      .insert(oauthStates)
      .values({ ...pending, createdAt: pending.createdAt.getTime(), expiresAt: pending.expiresAt.getTime() });
  }

  async consume(stateHash: string, now = new Date()): Promise<ConsumeResult> {
    // Of two instances updating the same row, the second waits for the first, re-checks consumed_at and gets nothing.
    const [row] = await this.db
      .update(oauthStates)
      .set({ consumedAt: now.getTime() })
      .where(and(eq(oauthStates.stateHash, stateHash), isNull(oauthStates.consumedAt)))
      .returning();
    if (!row) {
      const [exists] = await this.db
        .select({ stateHash: oauthStates.stateHash })
        .from(oauthStates)
        .where(eq(oauthStates.stateHash, stateHash))
        .limit(1);
      return { status: exists ? 'already_used' : 'unknown' };
    }
    return { status: 'consumed', pending: toPending(row) };
  }

  async peek(stateHash: string): Promise<PendingSignIn | undefined> {
    const [row] = await this.db
      .select()
      .from(oauthStates)
      .where(and(eq(oauthStates.stateHash, stateHash), isNull(oauthStates.consumedAt)))
      .limit(1);
    return row && toPending(row);
  }

  async bindBrowser(stateHash: string, browserBindingHash: string): Promise<boolean> {
    const result = await this.db
      .update(oauthStates)
      .set({ browserBindingHash })
      .where(and(eq(oauthStates.stateHash, stateHash), isNull(oauthStates.consumedAt), isNull(oauthStates.browserBindingHash)));
    return result.rowCount === 1;
  }

  async deleteExpired(before: Date): Promise<number> {
    const result = await this.db.delete(oauthStates).where(lt(oauthStates.expiresAt, before.getTime()));
    return result.rowCount ?? 0;
  }
}
