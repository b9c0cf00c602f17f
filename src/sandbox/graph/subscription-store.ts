// Graph subscriptions (change notifications) held by the sandbox: each belongs to the app and user that created it.
// https://learn.microsoft.com/graph/api/resources/subscription
import type { SandboxSubscription } from '../types';

export type ChangeType = 'created' | 'updated' | 'deleted';

export interface StoredSubscription extends SandboxSubscription {
  /** The mailbox whose events are watched. */
  userId: string;
  /** When resource names one calendar (me/calendars/{id}/events); all calendars otherwise. */
  calendarId?: string;
  tenantId: string;
  latestSupportedTlsVersion: string;
  expiresAtMs: number;
}

export class SubscriptionStore {
  private readonly subscriptions = new Map<string, StoredSubscription>();

  constructor(private readonly now: () => number, saved: StoredSubscription[] = []) {
    for (const subscription of saved) this.subscriptions.set(subscription.id, subscription);
  }

  add(subscription: StoredSubscription): void {
    this.subscriptions.set(subscription.id, subscription);
  }

  /** Unexpired subscriptions; expired ones are dropped on the way (Graph deletes them). */
  active(): StoredSubscription[] {
    const now = this.now();
    for (const [id, subscription] of this.subscriptions) if (subscription.expiresAtMs <= now) this.subscriptions.delete(id);
    return [...this.subscriptions.values()];
  }

  byId(id: string): StoredSubscription | undefined {
    return this.active().find((subscription) => subscription.id === id);
  }

  /** Another app's or user's subscription is not found, as in Graph. */
  owned(id: string, userId: string, appId: string): StoredSubscription | undefined {
    const subscription = this.byId(id);
    return subscription?.userId === userId && subscription.applicationId === appId ? subscription : undefined;
  }

  /** Subscriptions watching this mailbox for this kind of change. */
  watching(userId: string, changeType: ChangeType, calendarId: string): StoredSubscription[] {
    return this.active().filter((subscription) => subscription.userId === userId
      && subscription.changeType.split(',').includes(changeType)
      && (!subscription.calendarId || subscription.calendarId === calendarId));
  }

  watchedUserIds(): Set<string> {
    return new Set(this.active().map((subscription) => subscription.userId));
  }

  remove(id: string): void {
    this.subscriptions.delete(id);
  }

  snapshot(): StoredSubscription[] {
    return this.active();
  }
}

/** The public view of a stored subscription (control surface). */
export function publicSubscription(subscription: StoredSubscription): SandboxSubscription {
  const { id, resource, changeType, notificationUrl, lifecycleNotificationUrl, clientState, expirationDateTime, applicationId, creatorId } = subscription;
  return { id, resource, changeType, notificationUrl, lifecycleNotificationUrl, clientState, expirationDateTime, applicationId, creatorId };
}
