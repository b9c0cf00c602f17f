// GraphQL types of the health query and token statistics.
// simpleResolvers: graphql-js reads these fields straight off the object, without type-graphql's wrapper per field and
// per request (none of them has middleware or @Authorized).
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Channel, HealthStatus } from '../graphql/enums';

@ObjectType({ simpleResolvers: true })
export class ComponentHealth {
  @Field(() => HealthStatus)
  status!: HealthStatus;

  @Field(() => Float, { nullable: true })
  latencyMs!: number | null;

  @Field(() => String, { nullable: true })
  message!: string | null;
}

@ObjectType({ simpleResolvers: true })
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

  @Field(() => Date, { nullable: true, description: 'When the client secret expires (MICROSOFT_CLIENT_SECRET_EXPIRES_AT), where configured.' })
  clientSecretExpiresAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "Why the channel makes health DEGRADED although configured: its client secret or certificate expires within 30 days or has expired.",
  })
  warning!: string | null;
}

@ObjectType({ simpleResolvers: true })
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

@ObjectType({ simpleResolvers: true })
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
