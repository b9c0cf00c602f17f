// GraphQL surface of the webhook outbox (admin only).
import { Args, Authorized, Query, Resolver } from 'type-graphql';
import { ADMIN } from '../graphql/auth-checker';
import { WebhookDelivery } from './webhook.types';
import { WebhookDeliveriesArgs } from './webhook.inputs';
import { WebhookDeliveryService } from './webhook-delivery.service';

@Resolver()
export class WebhooksResolver {
  constructor(private readonly deliveries: WebhookDeliveryService) {}

  @Authorized(ADMIN)
  @Query(() => [WebhookDelivery], { description: 'Admin (x-admin-token): recent webhook deliveries, newest first.' })
  webhookDeliveries(@Args() args: WebhookDeliveriesArgs): Promise<WebhookDelivery[]> {
    return this.deliveries.recent(args.first ?? undefined, args.pendingOnly ?? false);
  }
}
