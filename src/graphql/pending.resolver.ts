// Contract fields whose capability has not landed yet: they answer with a clear error.
// Each capability removes its fields from here when it lands.
import { Arg, Args, ArgsType, Field, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Viewer, MicrosoftProfile, MicrosoftSignInResult, MicrosoftSignInStart } from '../auth/auth.types';
import { CreateEventInput, UpdateEventInput } from '../calendar/calendar.inputs';
import { CalendarInfo, Event, EventConnection } from '../calendar/calendar.types';
import { GatewayError } from '../errors/gateway-errors';
import { Channel } from '../graphql/enums';
import { TokenStats } from '../health/health.types';

function notYetAvailable(field: string): never {
  throw new GatewayError('INTERNAL_SERVER_ERROR', `${field} is not available in this version of the gateway yet.`);
}

@ArgsType()
class EventsArgs {
  @Field(() => Channel, { nullable: true }) channel?: Channel;
  @Field(() => Date) start!: Date;
  @Field(() => Date) end!: Date;
  @Field(() => ID, { nullable: true }) calendarId?: string;
  @Field(() => String, { nullable: true }) timeZone?: string;
  @Field(() => Int, { nullable: true }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@Resolver()
export class PendingResolver {
  @Query(() => [TokenStats])
  tokenStats(@Arg('channel', () => Channel, { nullable: true }) _channel?: Channel): TokenStats[] {
    return notYetAvailable('tokenStats');
  }

  @Query(() => Viewer, { nullable: true })
  viewer(): Viewer | null {
    return notYetAvailable('viewer');
  }

  @Query(() => MicrosoftProfile)
  microsoftProfile(@Arg('channel', () => Channel, { nullable: true }) _channel?: Channel): MicrosoftProfile {
    return notYetAvailable('microsoftProfile');
  }

  @Query(() => CalendarInfo)
  calendar(@Arg('channel', () => Channel, { nullable: true }) _channel?: Channel): CalendarInfo {
    return notYetAvailable('calendar');
  }

  @Query(() => EventConnection)
  events(@Args() _args: EventsArgs): EventConnection {
    return notYetAvailable('events');
  }

  @Query(() => Event, { nullable: true })
  event(
    @Arg('id', () => ID) _id: string,
    @Arg('channel', () => Channel, { nullable: true }) _channel?: Channel,
    @Arg('timeZone', () => String, { nullable: true }) _timeZone?: string,
  ): Event | null {
    return notYetAvailable('event');
  }

  @Mutation(() => MicrosoftSignInStart)
  startMicrosoftSignIn(
    @Arg('channel', () => Channel, { nullable: true }) _channel?: Channel,
    @Arg('returnTo', () => String, { nullable: true }) _returnTo?: string,
    @Arg('loginHint', () => String, { nullable: true }) _loginHint?: string,
  ): MicrosoftSignInStart {
    return notYetAvailable('startMicrosoftSignIn');
  }

  @Mutation(() => MicrosoftSignInResult)
  completeMicrosoftSignIn(
    @Arg('code') _code: string,
    @Arg('state') _state: string,
    @Arg('channel', () => Channel, { nullable: true }) _channel?: Channel,
  ): MicrosoftSignInResult {
    return notYetAvailable('completeMicrosoftSignIn');
  }

  @Mutation(() => Boolean)
  signOut(): boolean {
    return notYetAvailable('signOut');
  }

  @Mutation(() => Boolean)
  disconnectMicrosoft(@Arg('channel', () => Channel, { nullable: true }) _channel?: Channel): boolean {
    return notYetAvailable('disconnectMicrosoft');
  }

  @Mutation(() => Event)
  createEvent(
    @Arg('input', () => CreateEventInput) _input: CreateEventInput,
    @Arg('channel', () => Channel, { nullable: true }) _channel?: Channel,
  ): Event {
    return notYetAvailable('createEvent');
  }

  @Mutation(() => Event)
  updateEvent(
    @Arg('id', () => ID) _id: string,
    @Arg('input', () => UpdateEventInput) _input: UpdateEventInput,
    @Arg('channel', () => Channel, { nullable: true }) _channel?: Channel,
  ): Event {
    return notYetAvailable('updateEvent');
  }

  @Mutation(() => Boolean)
  deleteEvent(@Arg('id', () => ID) _id: string, @Arg('channel', () => Channel, { nullable: true }) _channel?: Channel): boolean {
    return notYetAvailable('deleteEvent');
  }
}
