// Storage of the webhook outbox (SQLite): instances claim due rows with a lease, so each event is sent by one at a time.
import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { GatewayDb } from '../db/database';
import { pickColumns } from '../db/pick-columns';
import { webhookOutbox } from '../db/schema.sqlite';
import type { webhookOutbox as postgresWebhookOutbox } from '../db/schema.postgres';

/** A claimed row, as the sender needs it. */
export interface OutboxMessage {
  id: string;
  type: string;
  payload: string;
  createdAt: number;
  attempts: number;
}

/** A row as webhookDeliveries shows it. */
export interface WebhookDeliveryRecord {
  id: string;
  type: string;
  createdAt: Date;
  attempts: number;
  deliveredAt: Date | null;
  /** When the next attempt is due; null once delivered or given up. */
  nextAttemptAt: Date | null;
  lastError: string | null;
}

export interface WebhookOutboxRepository {
  /** Due rows nobody holds (or whose holder's claim lapsed), now held by the caller until `now + claimForMs`. */
  claimDue(now: number, claimForMs: number, limit: number): Promise<OutboxMessage[]>;
  markDelivered(id: string, now: number): Promise<void>;
  markRetry(id: string, nextAttemptAt: number, error: string): Promise<void>;
  markFailed(id: string, now: number, error: string): Promise<void>;
  /** Newest first; `pendingOnly` leaves out delivered and given-up rows. */
  recent(first: number, pendingOnly: boolean): Promise<WebhookDeliveryRecord[]>;
}

type AnyOutboxTable = typeof webhookOutbox | typeof postgresWebhookOutbox;

export class SqliteWebhookOutboxRepository implements WebhookOutboxRepository {
  constructor(private readonly db: GatewayDb) {}

  async claimDue(now: number, claimForMs: number, limit: number): Promise<OutboxMessage[]> {
    const due = this.db.select({ id: webhookOutbox.id }).from(webhookOutbox).where(isDue(webhookOutbox, now)).orderBy(asc(webhookOutbox.nextAttemptAt)).limit(limit);
    // One statement: SQLite runs writes one at a time, so two instances on one file never claim the same row.
    return this.db
      .update(webhookOutbox)
      .set({ claimedUntil: now + claimForMs })
      .where(inArray(webhookOutbox.id, due))
      .returning(messageColumns(webhookOutbox))
      .all();
  }

  async markDelivered(id: string, now: number): Promise<void> {
    this.db.update(webhookOutbox).set(deliveredColumns(webhookOutbox, now)).where(eq(webhookOutbox.id, id)).run();
  }

  async markRetry(id: string, nextAttemptAt: number, error: string): Promise<void> {
    this.db.update(webhookOutbox).set(retryColumns(webhookOutbox, nextAttemptAt, error)).where(eq(webhookOutbox.id, id)).run();
  }

  async markFailed(id: string, now: number, error: string): Promise<void> {
    this.db.update(webhookOutbox).set(failedColumns(webhookOutbox, now, error)).where(eq(webhookOutbox.id, id)).run();
  }

  async recent(first: number, pendingOnly: boolean): Promise<WebhookDeliveryRecord[]> {
    return this.db
      .select()
      .from(webhookOutbox)
      .where(pendingOnly ? isPending(webhookOutbox) : undefined)
      .orderBy(desc(webhookOutbox.createdAt), desc(webhookOutbox.id))
      .limit(first)
      .all()
      .map(toDeliveryRecord);
  }
}

/** Neither delivered nor given up. */
export function isPending(table: AnyOutboxTable) {
  return and(isNull(table.deliveredAt), isNull(table.failedAt));
}

/** Pending, due, and not held by a live claim. */
export function isDue(table: AnyOutboxTable, now: number) {
  return and(isPending(table), lte(table.nextAttemptAt, now), or(isNull(table.claimedUntil), lt(table.claimedUntil, now)));
}

export function messageColumns<Table extends AnyOutboxTable>(table: Table) {
  return pickColumns(table, ['id', 'type', 'payload', 'createdAt', 'attempts']);
}

export function deliveredColumns(table: AnyOutboxTable, now: number) {
  return { attempts: sql`${table.attempts} + 1`, deliveredAt: now, claimedUntil: null, lastError: null };
}

export function retryColumns(table: AnyOutboxTable, nextAttemptAt: number, error: string) {
  return { attempts: sql`${table.attempts} + 1`, nextAttemptAt, claimedUntil: null, lastError: error };
}

export function failedColumns(table: AnyOutboxTable, now: number, error: string) {
  return { attempts: sql`${table.attempts} + 1`, failedAt: now, claimedUntil: null, lastError: error };
}

/** Shared by both dialects, so they hand out the same objects. */
export function toDeliveryRecord(row: (typeof webhookOutbox)['$inferSelect']): WebhookDeliveryRecord {
  const isPendingRow = row.deliveredAt === null && row.failedAt === null;
  return {
    id: row.id,
    type: row.type,
    createdAt: new Date(row.createdAt),
    attempts: row.attempts,
    deliveredAt: row.deliveredAt === null ? null : new Date(row.deliveredAt),
    nextAttemptAt: isPendingRow ? new Date(row.nextAttemptAt) : null,
    lastError: row.lastError,
  };
}
