// GraphQL type of a webhook delivery, as admins see the outbox.
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One connection event and how its delivery to WEBHOOK_URL went.', simpleResolvers: true })
export class WebhookDelivery {
  @Field(() => ID, { description: 'Also the webhook-id header receivers see.' })
  id!: string;

  @Field({ description: 'e.g. connection.created, connection.refresh_failing, connection.reconnect_required, connection.recovered, connection.disconnected' })
  type!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due; null once delivered or given up.' })
  nextAttemptAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed (an HTTP status or a network error's code)." })
  lastError!: string | null;
}
