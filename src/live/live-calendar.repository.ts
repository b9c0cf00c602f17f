// Storage of synced calendars (SQLite): each connection's subscription, delta link, lease, and its encrypted events.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { GatewayDb } from '../db/database';
import { calendarSyncs, syncedEvents } from '../db/schema.sqlite';

export interface CalendarSync {
  userId: string;
  channel: string;
  subscriptionId: string | null;
  clientStateEncrypted: string | null;
  subscriptionExpiresAt: number | null;
  deltaLinkEncrypted: string | null;
  windowStart: number;
  windowEnd: number;
  isCurrent: boolean;
  listenersUntil: number | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
}

export type CalendarSyncChanges = Partial<Omit<CalendarSync, 'userId' | 'channel'>>;

export interface StoredEvent {
  eventId: string;
  eventEncrypted: string;
}

/** One delta round's result, written at once with the sync row's new state. */
export interface SyncedChanges {
  upserts: StoredEvent[];
  deletions: string[];
  /** A full resync: every stored event not in `upserts` goes. */
  replacesAll: boolean;
  sync: CalendarSyncChanges;
}

export interface ConnectionKey {
  userId: string;
  channel: string;
}

export interface LiveCalendarRepository {
  find(userId: string, channel: string): Promise<CalendarSync | undefined>;
  findBySubscription(subscriptionId: string): Promise<CalendarSync | undefined>;
  all(): Promise<CalendarSync[]>;
  /** Creates the row (window given) or leaves an existing one as it is. */
  ensure(userId: string, channel: string, window: { windowStart: number; windowEnd: number }, now: number): Promise<void>;
  update(userId: string, channel: string, changes: CalendarSyncChanges, now: number): Promise<void>;
  /** Takes or extends the lease when free, lapsed or already ours; false when another instance holds it. */
  claimLease(userId: string, channel: string, owner: string, until: number, now: number): Promise<boolean>;
  /** Deletes the row and every stored event of the connection. */
  remove(userId: string, channel: string): Promise<void>;
  events(userId: string, channel: string): Promise<StoredEvent[]>;
  event(userId: string, channel: string, eventId: string): Promise<StoredEvent | undefined>;
  applyChanges(userId: string, channel: string, changes: SyncedChanges, now: number): Promise<void>;
}

type SyncRow = typeof calendarSyncs.$inferSelect;

export function toCalendarSync(row: SyncRow): CalendarSync {
  const { createdAt: _createdAt, updatedAt: _updatedAt, ...sync } = row;
  return sync;
}

export class SqliteLiveCalendarRepository implements LiveCalendarRepository {
  constructor(private readonly db: GatewayDb) {}

  async find(userId: string, channel: string): Promise<CalendarSync | undefined> {
    const row = this.db.select().from(calendarSyncs).where(this.connection(userId, channel)).get();
    return row && toCalendarSync(row);
  }

  async findBySubscription(subscriptionId: string): Promise<CalendarSync | undefined> {
    const row = this.db.select().from(calendarSyncs).where(eq(calendarSyncs.subscriptionId, subscriptionId)).get();
    return row && toCalendarSync(row);
  }

  async all(): Promise<CalendarSync[]> {
    return this.db.select().from(calendarSyncs).all().map(toCalendarSync);
  }

  async ensure(userId: string, channel: string, window: { windowStart: number; windowEnd: number }, now: number): Promise<void> {
    this.db.insert(calendarSyncs).values({ userId, channel, ...window, createdAt: now, updatedAt: now }).onConflictDoNothing().run();
  }

  async update(userId: string, channel: string, changes: CalendarSyncChanges, now: number): Promise<void> {
    this.db.update(calendarSyncs).set({ ...changes, updatedAt: now }).where(this.connection(userId, channel)).run();
  }

  async claimLease(userId: string, channel: string, owner: string, until: number, now: number): Promise<boolean> {
    const result = this.db
      .update(calendarSyncs)
      .set({ leaseOwner: owner, leaseUntil: until })
      .where(and(this.connection(userId, channel), or(isNull(calendarSyncs.leaseUntil), lt(calendarSyncs.leaseUntil, now), eq(calendarSyncs.leaseOwner, owner))))
      .run();
    return result.changes > 0;
  }

  async remove(userId: string, channel: string): Promise<void> {
    this.db.transaction((tx) => {
      tx.delete(syncedEvents).where(and(eq(syncedEvents.userId, userId), eq(syncedEvents.channel, channel))).run();
      tx.delete(calendarSyncs).where(this.connection(userId, channel)).run();
    });
  }

  async events(userId: string, channel: string): Promise<StoredEvent[]> {
    return this.db
      .select({ eventId: syncedEvents.eventId, eventEncrypted: syncedEvents.eventEncrypted })
      .from(syncedEvents)
      .where(and(eq(syncedEvents.userId, userId), eq(syncedEvents.channel, channel)))
      .all();
  }

  async event(userId: string, channel: string, eventId: string): Promise<StoredEvent | undefined> {
    return this.db
      .select({ eventId: syncedEvents.eventId, eventEncrypted: syncedEvents.eventEncrypted })
      .from(syncedEvents)
      .where(and(eq(syncedEvents.userId, userId), eq(syncedEvents.channel, channel), eq(syncedEvents.eventId, eventId)))
      .get();
  }

  async applyChanges(userId: string, channel: string, changes: SyncedChanges, now: number): Promise<void> {
    const ofConnection = and(eq(syncedEvents.userId, userId), eq(syncedEvents.channel, channel));
    this.db.transaction((tx) => {
      if (changes.replacesAll) tx.delete(syncedEvents).where(ofConnection).run();
      for (const eventId of changes.deletions) tx.delete(syncedEvents).where(and(ofConnection, eq(syncedEvents.eventId, eventId))).run();
      for (const event of changes.upserts) {
        tx.insert(syncedEvents)
          .values({ userId, channel, ...event, updatedAt: now })
          .onConflictDoUpdate({ target: [syncedEvents.userId, syncedEvents.channel, syncedEvents.eventId], set: { eventEncrypted: event.eventEncrypted, updatedAt: now } })
          .run();
      }
      tx.update(calendarSyncs).set({ ...changes.sync, updatedAt: now }).where(this.connection(userId, channel)).run();
    });
  }

  private connection(userId: string, channel: string) {
    return and(eq(calendarSyncs.userId, userId), eq(calendarSyncs.channel, channel));
  }
}
