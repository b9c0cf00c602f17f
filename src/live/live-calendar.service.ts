// Decides when a connection has a Graph subscription and a synced window: while clients listen (or always), renewed, torn down.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Channel } from '../config/channels';
import type { GatewayConfig } from '../config/config.types';
import type { CalendarChangeMessage, ChangeFeed } from './change-feed';
import { syncWindowAt, type CalendarSyncService } from './calendar-sync.service';
import { SUBSCRIPTION_LIFETIME_MS, type GraphSubscriptions } from './graph-subscriptions';
import type { CalendarSync, LiveCalendarRepository } from './live-calendar.repository';
import type { LiveCalendarVault } from './live-calendar.vault';

export interface LiveCalendarOptions {
  config: Pick<GatewayConfig, 'microsoftSubscriptions'>;
  repository: LiveCalendarRepository;
  vault: LiveCalendarVault;
  subscriptions: GraphSubscriptions;
  sync: CalendarSyncService;
  feed: ChangeFeed;
  /** MICROSOFT_NOTIFICATION_URL, or $PUBLIC_URL/microsoft/notifications once the port is known. */
  notificationUrl: () => string;
  logger: Logger;
  now?: () => number;
  /** How often this instance renews what it owns and tells that its clients still listen; 60 s by default. */
  maintenanceIntervalMs?: number;
}

/** A notification's fields the gateway reads (change and lifecycle notifications alike). */
export interface ReceivedNotification {
  subscriptionId?: unknown;
  clientState?: unknown;
  lifecycleEvent?: unknown;
}

// Renewed when less than half its lifetime is left: a missed maintenance run or two still leaves days.
const RENEW_WHEN_LEFT_MS = SUBSCRIPTION_LIFETIME_MS / 2;
const LEASE_MS = 120_000;

export class LiveCalendarService {
  /** This instance, as lease owner. */
  readonly instanceId = randomUUID();
  private readonly now: () => number;
  private readonly listening = new Map<string, { userId: string; channel: Channel; count: number }>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: LiveCalendarOptions) {
    this.now = options.now ?? Date.now;
  }

  get isEnabled(): boolean {
    return this.options.config.microsoftSubscriptions !== 'off';
  }

  start(): void {
    if (!this.isEnabled || this.timer) return;
    this.timer = setInterval(() => void this.maintain().catch((error: unknown) => this.report('maintenance', error)), this.options.maintenanceIntervalMs ?? 60_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * The connection's changes from now on. The subscription and the first sync are in place before this resolves, so a
   * change made after it is pushed; the iterator ends when the caller returns it (the client stopped or left).
   */
  async listen(userId: string, channel: Channel): Promise<AsyncIterableIterator<CalendarChangeMessage>> {
    const key = `${channel}:${userId}`;
    const entry = this.listening.get(key) ?? { userId, channel, count: 0 };
    entry.count += 1;
    this.listening.set(key, entry);
    const changes = this.options.feed.subscribe(userId, channel);
    const stopListening = () => {
      entry.count -= 1;
      if (entry.count <= 0) this.listening.delete(key);
    };
    try {
      if (this.isEnabled) await this.ensure(userId, channel);
    } catch (error) {
      stopListening();
      await changes.return?.();
      throw error;
    }
    const iterator: AsyncIterableIterator<CalendarChangeMessage> = {
      next: () => changes.next(),
      return: async () => {
        stopListening();
        return changes.return ? changes.return() : { done: true, value: undefined };
      },
      throw: async (error) => {
        stopListening();
        return changes.throw ? changes.throw(error) : { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** A subscription and a synced window for the connection; what exists already is kept. */
  async ensure(userId: string, channel: Channel): Promise<void> {
    const { repository } = this.options;
    const now = this.now();
    await repository.ensure(userId, channel, syncWindowAt(now), now);
    await repository.update(userId, channel, { listenersUntil: now + 3 * (this.options.maintenanceIntervalMs ?? 60_000) }, now);
    let sync = await repository.find(userId, channel);
    if (sync && !sync.subscriptionId && (await repository.claimLease(userId, channel, this.instanceId, now + LEASE_MS, now))) {
      await this.subscribe(userId, channel);
      sync = await repository.find(userId, channel);
    }
    // Subscribed first, then read: a change in between is in the read or in a notification, never in neither.
    if (sync && !sync.deltaLinkEncrypted) await this.options.sync.syncRound(userId, channel);
  }

  /** Deletes the Graph subscription and everything stored for the connection (disconnect, sign-out of the last session). */
  async tearDown(userId: string, channel: Channel): Promise<void> {
    const sync = await this.options.repository.find(userId, channel);
    if (!sync) return;
    await this.options.repository.remove(userId, channel);
    if (sync.subscriptionId) {
      await this.options.subscriptions.delete(channel, userId, sync.subscriptionId).catch((error: unknown) => this.report('delete subscription', error));
    }
  }

  /** Only notifications whose clientState is the one stored for their subscription; the others are not processed at all. */
  async authenticNotifications<T extends ReceivedNotification>(items: T[]): Promise<Array<{ item: T; sync: CalendarSync }>> {
    const accepted: Array<{ item: T; sync: CalendarSync }> = [];
    for (const item of items) {
      if (typeof item?.subscriptionId !== 'string' || typeof item.clientState !== 'string') continue;
      const sync = await this.options.repository.findBySubscription(item.subscriptionId);
      if (!sync?.clientStateEncrypted) continue;
      const expected = Buffer.from(this.options.vault.openClientState(sync.channel, sync.userId, sync.clientStateEncrypted));
      const given = Buffer.from(item.clientState);
      if (expected.length === given.length && timingSafeEqual(expected, given)) accepted.push({ item, sync });
    }
    return accepted;
  }

  /** Runs after the route acknowledged: a change means a delta round; lifecycle events mean what Graph asks for. */
  async process(item: ReceivedNotification, sync: CalendarSync): Promise<void> {
    const channel = sync.channel as Channel;
    const { userId } = sync;
    switch (item.lifecycleEvent) {
      case undefined:
        return this.options.sync.syncRound(userId, channel);
      case 'reauthorizationRequired':
        await this.options.subscriptions.reauthorize(channel, userId, sync.subscriptionId!).catch(() => this.renew(sync));
        return;
      case 'subscriptionRemoved':
        await this.options.repository.update(userId, channel, { subscriptionId: null, clientStateEncrypted: null, isCurrent: false }, this.now());
        await this.subscribe(userId, channel);
        return this.options.sync.syncRound(userId, channel, true);
      case 'missed':
        await this.options.sync.markBehind(userId, channel);
        return this.options.sync.syncRound(userId, channel, true);
      default:
        return undefined;
    }
  }

  /** Tells that this instance's clients still listen, then renews or tears down what this instance holds the lease of. */
  async maintain(): Promise<void> {
    const now = this.now();
    const { repository } = this.options;
    for (const { userId, channel } of this.listening.values()) await this.ensure(userId, channel);
    for (const sync of await repository.all()) {
      if (!(await repository.claimLease(sync.userId, sync.channel, this.instanceId, now + LEASE_MS, now))) continue;
      const channel = sync.channel as Channel;
      const isListenedTo = this.options.config.microsoftSubscriptions === 'all' || (sync.listenersUntil ?? 0) > now;
      if (!isListenedTo || !this.isEnabled) await this.tearDown(sync.userId, channel);
      else if (!sync.subscriptionId) await this.subscribe(sync.userId, channel);
      else if ((sync.subscriptionExpiresAt ?? 0) - now < RENEW_WHEN_LEFT_MS) await this.renew(sync);
    }
  }

  private async subscribe(userId: string, channel: Channel): Promise<void> {
    // 32 random bytes, base64url: 43 characters, within Graph's 128.
    const clientState = randomBytes(32).toString('base64url');
    const now = this.now();
    const created = await this.options.subscriptions.create(channel, userId, this.options.notificationUrl(), clientState, now);
    await this.options.repository.update(userId, channel, {
      subscriptionId: created.id,
      clientStateEncrypted: this.options.vault.sealClientState(channel, userId, clientState),
      subscriptionExpiresAt: created.expiresAt,
    }, now);
  }

  private async renew(sync: CalendarSync): Promise<void> {
    const channel = sync.channel as Channel;
    try {
      const expiresAt = await this.options.subscriptions.renew(channel, sync.userId, sync.subscriptionId!, this.now());
      await this.options.repository.update(sync.userId, channel, { subscriptionExpiresAt: expiresAt }, this.now());
    } catch (error) {
      // Gone at Graph (expired, removed): a new one, and a full read for what happened meanwhile.
      this.report('renew subscription', error);
      await this.options.repository.update(sync.userId, channel, { subscriptionId: null, clientStateEncrypted: null, isCurrent: false }, this.now());
      await this.subscribe(sync.userId, channel);
      await this.options.sync.syncRound(sync.userId, channel, true);
    }
  }

  private report(what: string, error: unknown): void {
    const { name, code } = error as { name?: string; code?: string };
    this.options.logger.warn({ what, err: { type: name, code } }, 'live calendar upkeep failed; it is retried at the next maintenance run');
  }
}
