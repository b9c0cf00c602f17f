// Storage of the webhook outbox in PostgreSQL: claims skip rows another instance is claiming (FOR UPDATE SKIP LOCKED).
import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { PostgresDb } from '../db/database';
import { webhookOutbox } from '../db/schema.postgres';
import {
  deliveredColumns,
  failedColumns,
  isDue,
  isPending,
  messageColumns,
  retryColumns,
  toDeliveryRecord,
  type OutboxMessage,
  type WebhookDeliveryRecord,
  type WebhookOutboxRepository,
} from './webhook-outbox.repository';

export class PostgresWebhookOutboxRepository implements WebhookOutboxRepository {
  constructor(private readonly db: PostgresDb) {}

  async claimDue(now: number, claimForMs: number, limit: number): Promise<OutboxMessage[]> {
    const due = this.db
      .select({ id: webhookOutbox.id })
      .from(webhookOutbox)
      .where(isDue(webhookOutbox, now))
      .orderBy(asc(webhookOutbox.nextAttemptAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    return this.db.update(webhookOutbox).set({ claimedUntil: now + claimForMs }).where(inArray(webhookOutbox.id, due)).returning(messageColumns(webhookOutbox));
  }

  async markDelivered(id: string, now: number): Promise<void> {
    await this.db.update(webhookOutbox).set(deliveredColumns(webhookOutbox, now)).where(eq(webhookOutbox.id, id));
  }

  async markRetry(id: string, nextAttemptAt: number, error: string): Promise<void> {
    await this.db.update(webhookOutbox).set(retryColumns(webhookOutbox, nextAttemptAt, error)).where(eq(webhookOutbox.id, id));
  }

  async markFailed(id: string, now: number, error: string): Promise<void> {
    await this.db.update(webhookOutbox).set(failedColumns(webhookOutbox, now, error)).where(eq(webhookOutbox.id, id));
  }

  async recent(first: number, pendingOnly: boolean): Promise<WebhookDeliveryRecord[]> {
    const rows = await this.db
      .select()
      .from(webhookOutbox)
      .where(pendingOnly ? isPending(webhookOutbox) : undefined)
      .orderBy(desc(webhookOutbox.createdAt), desc(webhookOutbox.id))
      .limit(first);
    return rows.map(toDeliveryRecord);
  }
}
