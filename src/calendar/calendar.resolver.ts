// GraphQL surface of the calendar and the Microsoft profile: read the arguments, call one service method.
// Each field's rules sit on it: who may call it, its rate limit, its cost and (on its argument classes) its input rules.
import type { GraphQLResolveInfo } from 'graphql';
import { Args, Authorized, Info, Mutation, Query, Resolver } from 'type-graphql';
import { MicrosoftProfile } from '../auth/auth.types';
import { ChannelArg } from '../channels/channel-arg';
import type { ChannelSettings } from '../config/config.types';
import { CurrentSession, type CurrentSessionValue } from '../graphql/current-session';
import { CallsMicrosoft, PER_MINUTE, RateLimit } from '../guards/field-rules';
import { CreateEventArgs, DeleteEventArgs, EventArgs, EventInstancesArgs, EventsArgs, UpdateEventArgs } from './calendar.inputs';
import type { CalendarService } from './calendar.service';
import { CalendarInfo, Event, EventConnection } from './calendar.types';
import { selectedEventFields } from './event-selection';
import type { MicrosoftProfileService } from './microsoft-profile.service';

// Calendar reads fan out to Graph, whose own throttling is per app and mailbox, so we stay well below it.
@Resolver()
export class CalendarResolver {
  constructor(private readonly calendars: CalendarService, private readonly profiles: MicrosoftProfileService) {}

  @Authorized()
  @RateLimit(100, PER_MINUTE)
  @CallsMicrosoft()
  @Query(() => MicrosoftProfile)
  microsoftProfile(@CurrentSession() session: CurrentSessionValue, @ChannelArg() channel: ChannelSettings): Promise<MicrosoftProfile> {
    return this.profiles.profile(session.userId, channel);
  }

  @Authorized()
  @RateLimit(100, PER_MINUTE)
  @CallsMicrosoft()
  @Query(() => CalendarInfo)
  calendar(@CurrentSession() session: CurrentSessionValue, @ChannelArg() channel: ChannelSettings): Promise<CalendarInfo> {
    return this.calendars.calendar(session.userId, channel);
  }

  @Authorized()
  @RateLimit(200, PER_MINUTE)
  @CallsMicrosoft()
  @Query(() => EventConnection)
  events(
    @CurrentSession() session: CurrentSessionValue,
    @ChannelArg() channel: ChannelSettings,
    @Args() args: EventsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<EventConnection> {
    return this.calendars.events(session.userId, channel, { ...args, eventFields: selectedEventFields(info) });
  }

  @Authorized()
  @RateLimit(200, PER_MINUTE)
  @CallsMicrosoft()
  @Query(() => EventConnection, { description: 'Occurrences and exceptions of a recurring series in a window.' })
  eventInstances(
    @CurrentSession() session: CurrentSessionValue,
    @ChannelArg() channel: ChannelSettings,
    @Args() args: EventInstancesArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<EventConnection> {
    return this.calendars.eventInstances(session.userId, channel, { ...args, eventFields: selectedEventFields(info) });
  }

  @Authorized()
  @RateLimit(200, PER_MINUTE)
  @CallsMicrosoft()
  @Query(() => Event, { nullable: true })
  event(@CurrentSession() session: CurrentSessionValue, @ChannelArg() channel: ChannelSettings, @Args() args: EventArgs): Promise<Event | null> {
    return this.calendars.event(session.userId, channel, args.id, args.timeZone);
  }

  @Authorized()
  @RateLimit(50, PER_MINUTE)
  @CallsMicrosoft()
  @Mutation(() => Event)
  createEvent(@CurrentSession() session: CurrentSessionValue, @ChannelArg() channel: ChannelSettings, @Args() args: CreateEventArgs): Promise<Event> {
    return this.calendars.createEvent(session.userId, channel, args.input);
  }

  @Authorized()
  @RateLimit(50, PER_MINUTE)
  @CallsMicrosoft()
  @Mutation(() => Event)
  updateEvent(@CurrentSession() session: CurrentSessionValue, @ChannelArg() channel: ChannelSettings, @Args() args: UpdateEventArgs): Promise<Event> {
    return this.calendars.updateEvent(session.userId, channel, args.id, args.input, args.changeKey);
  }

  @Authorized()
  @RateLimit(50, PER_MINUTE)
  @CallsMicrosoft()
  @Mutation(() => Boolean)
  deleteEvent(@CurrentSession() session: CurrentSessionValue, @ChannelArg() channel: ChannelSettings, @Args() args: DeleteEventArgs): Promise<boolean> {
    return this.calendars.deleteEvent(session.userId, channel, args.id, args.changeKey);
  }
}
