// Delivers change and lifecycle notifications to subscribers: batched per URL, retried with backoff, then dropped.
// https://learn.microsoft.com/graph/change-notifications-delivery-webhooks, https://learn.microsoft.com/graph/change-notifications-lifecycle-events
import { randomBytes } from 'node:crypto';
import type { Counters } from '../control/counters';
import type { LifecycleEvent, NotificationOptions } from '../types';
import { ChangeTracker, type EventChange } from './change-tracker';
import type { MailboxStore } from './mailbox-store';
import { postToReceiver } from './receiver-client';
import type { StoredSubscription, SubscriptionStore } from './subscription-store';

type NotificationItem = Record<string, unknown>;

interface Payload {
  url: string;
  items: NotificationItem[];
}

export const DEFAULT_NOTIFICATION_OPTIONS: Required<NotificationOptions> = {
  batchWindowMs: 50,
  retryDelaysMs: [1000, 5000, 15000],
  deliveryTimeoutMs: 3000,
  validationTimeoutMs: 10_000,
};

function changeNotification(subscription: StoredSubscription, change: EventChange): NotificationItem {
  const resource = `Users/${change.userId}/Events/${change.eventId}`;
  return {
    id: randomBytes(9).toString('base64url'),
    subscriptionId: subscription.id,
    subscriptionExpirationDateTime: subscription.expirationDateTime,
    clientState: subscription.clientState,
    changeType: change.changeType,
    resource,
    resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': resource, '@odata.etag': `W/"${change.changeKey}"`, id: change.eventId },
    tenantId: subscription.tenantId,
  };
}

/** Change notifications for these changes, gathered into one payload per notification URL. */
function payloadsFor(changes: EventChange[], subscriptions: SubscriptionStore): Payload[] {
  const byUrl = new Map<string, NotificationItem[]>();
  for (const change of changes) {
    for (const subscription of subscriptions.watching(change.userId, change.changeType, change.calendarId)) {
      const items = byUrl.get(subscription.notificationUrl) ?? [];
      items.push(changeNotification(subscription, change));
      byUrl.set(subscription.notificationUrl, items);
    }
  }
  return [...byUrl].map(([url, items]) => ({ url, items }));
}

export class Notifier {
  readonly options: Required<NotificationOptions>;
  private readonly tracker: ChangeTracker;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pauses = new Set<() => void>();
  private readonly stop = new AbortController();
  private scanTimer: NodeJS.Timeout | undefined;
  private hurryingCallers = 0;
  private lastChangePayload: Payload | undefined;

  constructor(mailboxes: MailboxStore, private readonly subscriptions: SubscriptionStore, private readonly counters: Counters,
    private readonly log: (message: string) => void, options: NotificationOptions = {}) {
    this.options = { ...DEFAULT_NOTIFICATION_OPTIONS, ...options };
    this.tracker = new ChangeTracker(mailboxes);
    this.tracker.watchOnly(subscriptions.watchedUserIds());
  }

  /** Called after anything that may have changed events: looks for changes once the batching window has passed. */
  changesMayHaveHappened(): void {
    if (this.scanTimer || this.stop.signal.aborted) return;
    this.scanTimer = setTimeout(() => this.scanNow(), this.options.batchWindowMs);
    this.scanTimer.unref();
  }

  /** Sends notifications for changes made so far, and starts or stops watching mailboxes as subscriptions come and go. */
  scanNow(): void {
    clearTimeout(this.scanTimer);
    this.scanTimer = undefined;
    const changes = this.tracker.collect();
    this.tracker.watchOnly(this.subscriptions.watchedUserIds());
    for (const payload of payloadsFor(changes, this.subscriptions)) {
      this.lastChangePayload = payload;
      void this.deliver(payload);
    }
  }

  /**
   * Adds or removes subscriptions: changes made before go to the subscriptions as they were, and a newly watched
   * mailbox is watched from this moment.
   */
  changeSubscriptions(apply: () => void): void {
    this.scanNow();
    apply();
    this.tracker.watchOnly(this.subscriptions.watchedUserIds());
  }

  /** Sends what is pending now, retries without waiting, and resolves when nothing is in flight. */
  async deliverNotifications(): Promise<void> {
    this.hurryingCallers += 1;
    try {
      for (const resume of this.pauses) resume();
      this.scanNow();
      while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    } finally {
      this.hurryingCallers -= 1;
    }
  }

  redeliverLast(): Promise<void> {
    if (!this.lastChangePayload) return Promise.reject(new RangeError('No change notification has been sent yet.'));
    return this.deliver(this.lastChangePayload);
  }

  sendLifecycle(subscription: StoredSubscription, lifecycleEvent: LifecycleEvent): Promise<void> {
    if (!subscription.lifecycleNotificationUrl) return Promise.reject(new RangeError(`Subscription ${subscription.id} has no lifecycleNotificationUrl.`));
    const { id: subscriptionId, expirationDateTime: subscriptionExpirationDateTime, tenantId, clientState } = subscription;
    return this.deliver({ url: subscription.lifecycleNotificationUrl, items: [{ subscriptionId, subscriptionExpirationDateTime, tenantId, clientState, lifecycleEvent }] });
  }

  close(): void {
    clearTimeout(this.scanTimer);
    this.stop.abort();
    for (const resume of this.pauses) resume();
  }

  private deliver(payload: Payload): Promise<void> {
    const delivery = this.attempt(payload).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
    return delivery;
  }

  private async attempt(payload: Payload): Promise<void> {
    const body = JSON.stringify({ value: payload.items });
    for (let retry = 0; !this.stop.signal.aborted; retry += 1) {
      if (await this.isAcknowledged(payload.url, body)) {
        this.counters.notifications('delivered', payload.items.length);
        return;
      }
      if (retry >= this.options.retryDelaysMs.length) break;
      this.counters.notifications('retried', 1);
      await this.pause(this.options.retryDelaysMs[retry]);
    }
    this.counters.notifications('failed', payload.items.length);
    // The origin only: a receiver's path or query may carry a secret.
    if (!this.stop.signal.aborted) this.log(`dropped ${payload.items.length} notification(s) for ${new URL(payload.url).origin} after ${this.options.retryDelaysMs.length + 1} attempts`);
  }

  private async isAcknowledged(url: string, body: string): Promise<boolean> {
    try {
      const answer = await postToReceiver(url, body, 'application/json; charset=utf-8', this.options.deliveryTimeoutMs, this.stop.signal);
      return answer.status >= 200 && answer.status < 300;
    } catch {
      return false;
    }
  }

  /** A backoff wait that deliverNotifications() and close() cut short. */
  private pause(ms: number): Promise<void> {
    if (this.hurryingCallers > 0 || this.stop.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const resume = () => {
        clearTimeout(timer);
        this.pauses.delete(resume);
        resolve();
      };
      const timer = setTimeout(resume, ms);
      timer.unref();
      this.pauses.add(resume);
    });
  }
}
