// GraphQL argument class of the webhook outbox listing; each argument's rules sit on it.
import { ArgsType, Field, Int } from 'type-graphql';
import { IsIntegerBetween } from '../graphql/input-rule';

/** The most deliveries one listing returns. */
const MAX_DELIVERIES_LISTED = 500;

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => Int, { nullable: true, description: 'How many (default 50, at most 500).' })
  @IsIntegerBetween(1, MAX_DELIVERIES_LISTED)
  first?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Only those not yet delivered nor given up.' })
  pendingOnly?: boolean | null;
}
