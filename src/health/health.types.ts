// GraphQL types of the health query and token statistics.
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Channel, HealthStatus } from '../graphql/enums';

@ObjectType()
export class ComponentHealth {
  @Field(() => HealthStatus)
  status!: HealthStatus;

  @Field(() => Float, { nullable: true })
  latencyMs!: number | null;

  @Field(() => String, { nullable: true })
  message!: string | null;
}

@ObjectType()
export class ChannelHealth {
  @Field(() => Channel)
  channel!: Channel;

  @Field()
  enabled!: boolean;

  @Field()
  configured!: boolean;

  @Field()
  authorityHost!: string;

  @Field()
  graphBaseUrl!: string;
}

@ObjectType()
export class Health {
  @Field(() => HealthStatus)
  status!: HealthStatus;

  @Field()
  version!: string;

  @Field(() => Float)
  uptimeSeconds!: number;

  @Field()
  sandbox!: boolean;

  @Field(() => ComponentHealth)
  database!: ComponentHealth;

  @Field(() => [ChannelHealth])
  channels!: ChannelHealth[];
}

@ObjectType()
export class TokenStats {
  @Field(() => Channel)
  channel!: Channel;

  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  active!: number;

  @Field(() => Int)
  inactive!: number;

  @Field(() => Int)
  expired!: number;

  @Field(() => Int, { description: 'Active connections whose access token expires within 5 minutes.' })
  expiringSoon!: number;

  @Field(() => Int)
  needsReconnect!: number;

  @Field(() => Int)
  refreshedLastHour!: number;

  @Field(() => Int)
  refreshFailuresLastHour!: number;
}
