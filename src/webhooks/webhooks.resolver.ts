// GraphQL surface of the webhook outbox (admin only).
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { WebhookDelivery } from './webhook.types';
import { WebhookDeliveryService } from './webhook-delivery.service';

@Resolver()
export class WebhooksResolver {
  constructor(private readonly deliveries: WebhookDeliveryService) {}

  @Query(() => [WebhookDelivery], { description: 'Admin (x-admin-token): recent webhook deliveries, newest first.' })
  webhookDeliveries(
    @Ctx() context: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'How many (default 50, at most 500).' }) first?: number,
    @Arg('pendingOnly', () => Boolean, { nullable: true, description: 'Only those not yet delivered nor given up.' }) pendingOnly?: boolean,
  ): Promise<WebhookDelivery[]> {
    return this.deliveries.recent(context.adminToken, first ?? undefined, pendingOnly ?? false);
  }
}
