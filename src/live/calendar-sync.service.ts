// Keeps a connection's stored calendar window in step with Graph by delta rounds, publishes what changed, and reads it back.
import type { Channel } from '../config/channels';
import type { GraphEvent } from '../calendar/event.mapper';
import type { RefreshLock } from '../scale/refresh-lock';
import type { ChangeFeed } from './change-feed';
import { fullResyncChanges, hasFloatingEventNearBounds, incrementalChanges, inViewOrder, overlaps, windowEvents, type EventChange } from './delta-changes';
import { isExpiredDeltaToken, type DeltaReader } from './delta-reader';
import type { CalendarSync, LiveCalendarRepository } from './live-calendar.repository';
import type { LiveCalendarVault } from './live-calendar.vault';

export interface CalendarSyncOptions {
  repository: LiveCalendarRepository;
  vault: LiveCalendarVault;
  delta: DeltaReader;
  feed: ChangeFeed;
  /** Shared with other instances (REDIS_URL): two instances never run one connection's round at once. */
  lock?: RefreshLock;
  now?: () => number;
  onRoundFailed?: (error: unknown) => void;
}

// The window a connection keeps: 30 days back, 90 ahead (docs/calendar.md).
export const WINDOW_DAYS_BACK = 30;
export const WINDOW_DAYS_AHEAD = 90;
const DAY_MS = 86_400_000;

export function syncWindowAt(now: number): { windowStart: number; windowEnd: number } {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { windowStart: today - WINDOW_DAYS_BACK * DAY_MS, windowEnd: today + (WINDOW_DAYS_AHEAD + 1) * DAY_MS };
}

export class CalendarSyncService {
  private readonly rounds = new Map<string, Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly options: CalendarSyncOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * One delta round, after any round of the same connection in progress here or (with Redis) on another instance.
   * `full`: read the window from scratch and publish the difference (after `missed`, or a forgotten delta token).
   */
  syncRound(userId: string, channel: Channel, full = false): Promise<void> {
    const key = `${channel}:${userId}`;
    const previous = this.rounds.get(key) ?? Promise.resolve();
    const run = () => (this.options.lock ? this.options.lock.withLock(`calendar-sync:${key}`, () => this.round(userId, channel, full)) : this.round(userId, channel, full));
    const next = previous.then(run, run).finally(() => {
      if (this.rounds.get(key) === next) this.rounds.delete(key);
    });
    this.rounds.set(key, next);
    return next;
  }

  /** Resolves once no round is running or queued on this instance (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.rounds.size > 0) await Promise.allSettled([...this.rounds.values()]);
  }

  /** The stored events of [start, end) in calendarView's order, or undefined when the store may not match Graph. */
  async eventsInWindow(userId: string, channel: Channel, start: Date, end: Date): Promise<GraphEvent[] | undefined> {
    const sync = await this.options.repository.find(userId, channel);
    if (!sync || !this.isServable(sync) || start.getTime() < sync.windowStart || end.getTime() > sync.windowEnd) return undefined;
    const events = (await this.storedEvents(userId, channel)).filter((event) => overlaps(event, start.getTime(), end.getTime()));
    if (hasFloatingEventNearBounds(events, start.getTime(), end.getTime())) return undefined;
    return inViewOrder(events);
  }

  /** A stored event, or undefined when not stored (it may still exist outside the window) or the store may not match. */
  async storedEvent(userId: string, channel: Channel, eventId: string): Promise<GraphEvent | undefined> {
    const sync = await this.options.repository.find(userId, channel);
    if (!sync || !this.isServable(sync)) return undefined;
    const row = await this.options.repository.event(userId, channel, eventId);
    return row && this.options.vault.openEvent(channel, userId, row.eventId, row.eventEncrypted);
  }

  /** After a write through the gateway: the store takes it at once, so the writer reads its own write. */
  async afterWrite(userId: string, channel: Channel): Promise<void> {
    const sync = await this.options.repository.find(userId, channel);
    if (!sync?.deltaLinkEncrypted) return;
    await this.syncRound(userId, channel).catch((error: unknown) => this.options.onRoundFailed?.(error));
  }

  async markBehind(userId: string, channel: Channel): Promise<void> {
    await this.options.repository.update(userId, channel, { isCurrent: false }, this.now());
  }

  private isServable(sync: CalendarSync): boolean {
    return sync.isCurrent && sync.deltaLinkEncrypted !== null && sync.subscriptionId !== null && (sync.subscriptionExpiresAt ?? 0) > this.now();
  }

  private async round(userId: string, channel: Channel, full: boolean): Promise<void> {
    const { repository, vault, delta } = this.options;
    const sync = await repository.find(userId, channel);
    if (!sync) return;
    const window = { windowStart: sync.windowStart, windowEnd: sync.windowEnd };
    const isFirst = sync.deltaLinkEncrypted === null;
    let link = full || isFirst ? undefined : vault.openDeltaLink(channel, userId, sync.deltaLinkEncrypted!);
    let round;
    try {
      round = await delta.read(channel, userId, window, link);
    } catch (error) {
      if (!link || !isExpiredDeltaToken(error)) {
        await this.markBehind(userId, channel);
        throw error;
      }
      link = undefined;
      round = await delta.read(channel, userId, window);
    }
    const stored = new Map((await this.storedEvents(userId, channel)).map((event) => [event.id, event]));
    const isFullRead = link === undefined;
    const changes: EventChange[] = isFullRead ? fullResyncChanges(stored, round.items, window) : incrementalChanges(stored, round.items, window);
    const upserts = isFullRead ? windowEvents(round.items, window) : changes.flatMap((change) => (change.event ? [change.event] : []));
    await repository.applyChanges(userId, channel, {
      upserts: upserts.map((event) => ({ eventId: event.id, eventEncrypted: vault.sealEvent(channel, userId, event) })),
      deletions: isFullRead ? [] : changes.filter((change) => change.kind === 'DELETED').map((change) => change.eventId),
      replacesAll: isFullRead,
      sync: { deltaLinkEncrypted: vault.sealDeltaLink(channel, userId, round.deltaLink), isCurrent: true },
    }, this.now());
    // The first read is the starting point, not news; every later difference is.
    if (isFirst) return;
    for (const change of changes) await this.options.feed.publish({ userId, channel, ...change });
  }

  private async storedEvents(userId: string, channel: Channel): Promise<GraphEvent[]> {
    const rows = await this.options.repository.events(userId, channel);
    return rows.map((row) => this.options.vault.openEvent(channel, userId, row.eventId, row.eventEncrypted));
  }
}
