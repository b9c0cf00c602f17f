// GraphQL types of sign-in, the viewer and their Microsoft connections.
// simpleResolvers: graphql-js reads these fields straight off the object, without type-graphql's wrapper per field and
// per request (none of them has middleware or @Authorized; field resolvers such as Viewer.connections still apply).
import { Field, ID, ObjectType } from 'type-graphql';
import { Channel, ConnectionStatus } from '../graphql/enums';

@ObjectType({ description: 'A Microsoft account connected to the gateway user on one channel.', simpleResolvers: true })
export class MicrosoftConnection {
  @Field(() => Channel)
  channel!: Channel;

  @Field(() => ID, { description: "The account's object id (oid) in its tenant." })
  microsoftUserId!: string;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => Date)
  connectedAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  accessTokenExpiresAt!: Date | null;

  @Field({ description: 'False exactly when status is NEEDS_RECONNECT.' })
  active!: boolean;

  @Field({ description: 'True exactly when status is NEEDS_RECONNECT.' })
  needsReconnect!: boolean;

  @Field(() => ConnectionStatus)
  status!: ConnectionStatus;

  @Field(() => Date, { nullable: true, description: 'When the refresh token was last used (or the sign-in that issued it).' })
  lastRefreshedAt!: Date | null;
}

@ObjectType({ description: 'The signed-in gateway user.', simpleResolvers: true })
export class Viewer {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  /** Filled by ViewerResolver when a query selects it. */
  @Field(() => [MicrosoftConnection])
  connections?: MicrosoftConnection[];
}

@ObjectType({ simpleResolvers: true })
export class MicrosoftSignInStart {
  @Field({ description: "Send the browser here: the gateway's start route, which binds the sign-in to that browser and redirects to Microsoft." })
  authorizationUrl!: string;

  @Field()
  state!: string;

  @Field({
    description:
      'Proof that only the starting client holds: completeMicrosoftSignIn requires it (reason BINDING_MISMATCH without it). Keep it out of URLs and logs.',
  })
  completionSecret!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Channel)
  channel!: Channel;
}

@ObjectType({ simpleResolvers: true })
export class MicrosoftSignInResult {
  @Field({ description: 'Send as Authorization: Bearer <sessionToken>.' })
  sessionToken!: string;

  @Field(() => Date)
  sessionExpiresAt!: Date;

  @Field(() => Viewer)
  viewer!: Viewer;

  @Field(() => MicrosoftConnection)
  connection!: MicrosoftConnection;
}

@ObjectType({ description: "The caller's Microsoft profile (Graph /me).", simpleResolvers: true })
export class MicrosoftProfile {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => String, { nullable: true })
  givenName!: string | null;

  @Field(() => String, { nullable: true })
  surname!: string | null;

  @Field(() => String, { nullable: true })
  mail!: string | null;

  @Field()
  userPrincipalName!: string;

  @Field(() => String, { nullable: true })
  jobTitle!: string | null;

  @Field(() => String, { nullable: true })
  officeLocation!: string | null;

  @Field(() => String, { nullable: true })
  preferredLanguage!: string | null;
}
