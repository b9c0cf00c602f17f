// Storage of synced calendars in PostgreSQL: the same rows as in SQLite; a delta round's changes land in one transaction.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { PostgresDb } from '../db/database';
import { calendarSyncs, syncedEvents } from '../db/schema.postgres';
import {
  toCalendarSync, type CalendarSync, type CalendarSyncChanges, type LiveCalendarRepository, type StoredEvent, type SyncedChanges,
} from './live-calendar.repository';

export class PostgresLiveCalendarRepository implements LiveCalendarRepository {
  constructor(private readonly db: PostgresDb) {}

  async find(userId: string, channel: string): Promise<CalendarSync | undefined> {
    const [row] = await this.db.select().from(calendarSyncs).where(this.connection(userId, channel)).limit(1);
    return row && toCalendarSync(row);
  }

  async findBySubscription(subscriptionId: string): Promise<CalendarSync | undefined> {
    const [row] = await this.db.select().from(calendarSyncs).where(eq(calendarSyncs.subscriptionId, subscriptionId)).limit(1);
    return row && toCalendarSync(row);
  }

  async all(): Promise<CalendarSync[]> {
    return (await this.db.select().from(calendarSyncs)).map(toCalendarSync);
  }

  async ensure(userId: string, channel: string, window: { windowStart: number; windowEnd: number }, now: number): Promise<void> {
    await this.db.insert(calendarSyncs).values({ userId, channel, ...window, createdAt: now, updatedAt: now }).onConflictDoNothing();
  }

  async update(userId: string, channel: string, changes: CalendarSyncChanges, now: number): Promise<void> {
    await this.db.update(calendarSyncs).set({ ...changes, updatedAt: now }).where(this.connection(userId, channel));
  }

  async claimLease(userId: string, channel: string, owner: string, until: number, now: number): Promise<boolean> {
    // One UPDATE with the condition: of two instances, the second waits for the first's row lock and re-checks.
    const claimed = await this.db
      .update(calendarSyncs)
      .set({ leaseOwner: owner, leaseUntil: until })
      .where(and(this.connection(userId, channel), or(isNull(calendarSyncs.leaseUntil), lt(calendarSyncs.leaseUntil, now), eq(calendarSyncs.leaseOwner, owner))))
      .returning({ userId: calendarSyncs.userId });
    return claimed.length > 0;
  }

  async remove(userId: string, channel: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(syncedEvents).where(and(eq(syncedEvents.userId, userId), eq(syncedEvents.channel, channel)));
      await tx.delete(calendarSyncs).where(this.connection(userId, channel));
    });
  }

  async events(userId: string, channel: string): Promise<StoredEvent[]> {
    return this.db
      .select({ eventId: syncedEvents.eventId, eventEncrypted: syncedEvents.eventEncrypted })
      .from(syncedEvents)
      .where(and(eq(syncedEvents.userId, userId), eq(syncedEvents.channel, channel)));
  }

  async event(userId: string, channel: string, eventId: string): Promise<StoredEvent | undefined> {
    const [row] = await this.db
      .select({ eventId: syncedEvents.eventId, eventEncrypted: syncedEvents.eventEncrypted })
      .from(syncedEvents)
      .where(and(eq(syncedEvents.userId, userId), eq(syncedEvents.channel, channel), eq(syncedEvents.eventId, eventId)))
      .limit(1);
    return row;
  }

  async applyChanges(userId: string, channel: string, changes: SyncedChanges, now: number): Promise<void> {
    const ofConnection = and(eq(syncedEvents.userId, userId), eq(syncedEvents.channel, channel));
    await this.db.transaction(async (tx) => {
      if (changes.replacesAll) await tx.delete(syncedEvents).where(ofConnection);
      for (const eventId of changes.deletions) await tx.delete(syncedEvents).where(and(ofConnection, eq(syncedEvents.eventId, eventId)));
      for (const event of changes.upserts) {
        await tx
          .insert(syncedEvents)
          .values({ userId, channel, ...event, updatedAt: now })
          .onConflictDoUpdate({ target: [syncedEvents.userId, syncedEvents.channel, syncedEvents.eventId], set: { eventEncrypted: event.eventEncrypted, updatedAt: now } });
      }
      await tx.update(calendarSyncs).set({ ...changes.sync, updatedAt: now }).where(this.connection(userId, channel));
    });
  }

  private connection(userId: string, channel: string) {
    return and(eq(calendarSyncs.userId, userId), eq(calendarSyncs.channel, channel));
  }
}
