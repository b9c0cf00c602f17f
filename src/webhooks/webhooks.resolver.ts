// GraphQL surface of the webhook outbox (admin only).
import { Args, Authorized, Query, Resolver } from 'type-graphql';
import { ADMIN } from '../graphql/auth-checker';
import { PER_MINUTE, RateLimit } from '../guards/field-rules';
import { WebhookDelivery } from './webhook.types';
import { WebhookDeliveriesArgs } from './webhook.inputs';
import { WebhookDeliveryService } from './webhook-delivery.service';

@Resolver()
export class WebhooksResolver {
  constructor(private readonly deliveries: WebhookDeliveryService) {}

  // Counted before the admin token is checked, like tokenStats: ADMIN_TOKEN cannot be guessed at full speed here either.
  @Authorized(ADMIN)
  @RateLimit(30, PER_MINUTE)
  @Query(() => [WebhookDelivery], { description: 'Admin (x-admin-token): recent webhook deliveries, newest first.' })
  webhookDeliveries(@Args() args: WebhookDeliveriesArgs): Promise<WebhookDelivery[]> {
    return this.deliveries.recent(args.first ?? undefined, args.pendingOnly ?? false);
  }
}
