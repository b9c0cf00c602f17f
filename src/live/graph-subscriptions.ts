// Graph's subscription calls for one connection's events: create (with clientState), renew, reauthorize, delete.
// https://learn.microsoft.com/graph/api/subscription-post-subscriptions, https://learn.microsoft.com/graph/change-notifications-lifecycle-events
import type { Channel } from '../config/channels';
import { GatewayError } from '../errors/gateway-errors';
import { encodeGraphId, type GraphClients } from '../microsoft/graph-client';

/** Outlook events allow 10,080 minutes (under 7 days); ten less leaves room for clocks that disagree. */
export const SUBSCRIPTION_LIFETIME_MS = 10_070 * 60_000;

export interface CreatedSubscription {
  id: string;
  expiresAt: number;
}

interface GraphSubscription {
  id: string;
  expirationDateTime: string;
}

export class GraphSubscriptions {
  constructor(private readonly graph: GraphClients) {}

  /**
   * Both URLs point at the same route: Graph validates each with the handshake, and the route tells lifecycle
   * notifications (they carry `lifecycleEvent`) from change notifications by their body.
   */
  async create(channel: Channel, userId: string, notificationUrl: string, clientState: string, now: number): Promise<CreatedSubscription> {
    const created = await this.graph.send<GraphSubscription>(channel, userId, {
      method: 'POST', path: 'subscriptions', route: 'POST /subscriptions',
      body: {
        changeType: 'created,updated,deleted',
        resource: 'me/events',
        notificationUrl,
        lifecycleNotificationUrl: notificationUrl,
        clientState,
        expirationDateTime: new Date(now + SUBSCRIPTION_LIFETIME_MS).toISOString(),
      },
    });
    return { id: created.id, expiresAt: Date.parse(created.expirationDateTime) };
  }

  async renew(channel: Channel, userId: string, subscriptionId: string, now: number): Promise<number> {
    const renewed = await this.graph.send<GraphSubscription>(channel, userId, {
      method: 'PATCH', path: `subscriptions/${encodeGraphId(subscriptionId)}`, route: 'PATCH /subscriptions/{id}',
      body: { expirationDateTime: new Date(now + SUBSCRIPTION_LIFETIME_MS).toISOString() },
    });
    return Date.parse(renewed.expirationDateTime);
  }

  async reauthorize(channel: Channel, userId: string, subscriptionId: string): Promise<void> {
    await this.graph.send<void>(channel, userId, {
      method: 'POST', path: `subscriptions/${encodeGraphId(subscriptionId)}/reauthorize`, route: 'POST /subscriptions/{id}/reauthorize',
    });
  }

  /** A subscription Graph no longer knows is as good as deleted. */
  async delete(channel: Channel, userId: string, subscriptionId: string): Promise<void> {
    try {
      await this.graph.send<void>(channel, userId, {
        method: 'DELETE', path: `subscriptions/${encodeGraphId(subscriptionId)}`, route: 'DELETE /subscriptions/{id}', what: 'The subscription',
      });
    } catch (error) {
      if (!(error instanceof GatewayError && error.code === 'NOT_FOUND')) throw error;
    }
  }
}
