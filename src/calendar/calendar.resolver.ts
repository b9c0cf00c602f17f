// GraphQL surface of the calendar and the Microsoft profile: read the arguments, call one service method.
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import { MicrosoftProfile } from '../auth/auth.types';
import { requireSession } from '../graphql/auth-checker';
import type { RequestContext } from '../graphql/context';
import { Channel } from '../graphql/enums';
import { CreateEventInput, UpdateEventInput } from './calendar.inputs';
import type { CalendarService } from './calendar.service';
import { CalendarInfo, Event, EventConnection } from './calendar.types';
import { selectedEventFields } from './event-selection';
import type { MicrosoftProfileService } from './microsoft-profile.service';

@ArgsType()
class EventsArgs {
  @Field(() => Channel, { nullable: true }) channel?: Channel;
  @Field(() => Date) start!: Date;
  @Field(() => Date) end!: Date;
  @Field(() => ID, { nullable: true }) calendarId?: string;
  @Field(() => String, { nullable: true }) timeZone?: string;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 200 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' }) after?: string;
}

@ArgsType()
class EventInstancesArgs {
  @Field(() => Channel, { nullable: true }) channel?: Channel;
  @Field(() => ID) seriesMasterId!: string;
  @Field(() => Date) start!: Date;
  @Field(() => Date) end!: Date;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 200 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' }) after?: string;
  @Field(() => String, { nullable: true }) timeZone?: string;
}

const CHANGE_KEY_ARG = "The event's changeKey as last read: the change applies only if the event still has it (else CONFLICT). Without it, the last writer wins.";

@Resolver()
export class CalendarResolver {
  constructor(private readonly calendars: CalendarService, private readonly profiles: MicrosoftProfileService) {}

  @Authorized()
  @Query(() => MicrosoftProfile)
  microsoftProfile(@Ctx() context: RequestContext, @Arg('channel', () => Channel, { nullable: true }) channel?: Channel): Promise<MicrosoftProfile> {
    return this.profiles.profile(requireSession(context).userId, channel);
  }

  @Authorized()
  @Query(() => CalendarInfo)
  calendar(@Ctx() context: RequestContext, @Arg('channel', () => Channel, { nullable: true }) channel?: Channel): Promise<CalendarInfo> {
    return this.calendars.calendar(requireSession(context).userId, channel);
  }

  @Authorized()
  @Query(() => EventConnection)
  events(@Ctx() context: RequestContext, @Args() args: EventsArgs, @Info() info: GraphQLResolveInfo): Promise<EventConnection> {
    return this.calendars.events(requireSession(context).userId, { ...args, eventFields: selectedEventFields(info) });
  }

  @Authorized()
  @Query(() => EventConnection, { description: 'Occurrences and exceptions of a recurring series in a window.' })
  eventInstances(@Ctx() context: RequestContext, @Args() args: EventInstancesArgs, @Info() info: GraphQLResolveInfo): Promise<EventConnection> {
    return this.calendars.eventInstances(requireSession(context).userId, { ...args, eventFields: selectedEventFields(info) });
  }

  @Authorized()
  @Query(() => Event, { nullable: true })
  event(
    @Ctx() context: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('channel', () => Channel, { nullable: true }) channel?: Channel,
    @Arg('timeZone', () => String, { nullable: true }) timeZone?: string,
  ): Promise<Event | null> {
    return this.calendars.event(requireSession(context).userId, channel, id, timeZone);
  }

  @Authorized()
  @Mutation(() => Event)
  createEvent(
    @Ctx() context: RequestContext,
    @Arg('input', () => CreateEventInput) input: CreateEventInput,
    @Arg('channel', () => Channel, { nullable: true }) channel?: Channel,
  ): Promise<Event> {
    return this.calendars.createEvent(requireSession(context).userId, channel, input);
  }

  @Authorized()
  @Mutation(() => Event)
  updateEvent(
    @Ctx() context: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateEventInput) input: UpdateEventInput,
    @Arg('channel', () => Channel, { nullable: true }) channel?: Channel,
    @Arg('changeKey', () => String, { nullable: true, description: CHANGE_KEY_ARG }) changeKey?: string,
  ): Promise<Event> {
    return this.calendars.updateEvent(requireSession(context).userId, channel, id, input, changeKey);
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteEvent(
    @Ctx() context: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('channel', () => Channel, { nullable: true }) channel?: Channel,
    @Arg('changeKey', () => String, { nullable: true, description: CHANGE_KEY_ARG }) changeKey?: string,
  ): Promise<boolean> {
    return this.calendars.deleteEvent(requireSession(context).userId, channel, id, changeKey);
  }
}
