// GraphQL surface of Calendar.events: the first page of each calendar's view, read for all calendars of a query at once.
import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { CurrentSession, type CurrentSessionValue } from '../graphql/current-session';
import { CallsMicrosoft } from '../guards/field-rules';
import { EventWindowArgs } from './calendar.inputs';
import { Calendar, EventConnection } from './calendar.types';
import type { CalendarsEventsService } from './calendars-events.service';
import { selectedEventFields } from './event-selection';

const EVENTS_DESCRIPTION = "The first page of this calendar's view of [start, end); read on with Query.events(calendarId: id, after: endCursor). "
  + "All calendars of a query are read together (Graph JSON batching); a calendar Microsoft cannot read is null with that calendar's error.";

// Only reachable under Query.calendar, which needs a session and resolved the channel each Calendar carries.
@Resolver(() => Calendar)
export class CalendarEventsResolver {
  constructor(private readonly calendarsEvents: CalendarsEventsService) {}

  // Costs the Microsoft cost once per query, however many calendars its batches read.
  @CallsMicrosoft()
  @FieldResolver(() => EventConnection, { nullable: true, description: EVENTS_DESCRIPTION })
  events(
    @Root() calendar: Calendar,
    @CurrentSession() session: CurrentSessionValue,
    @Ctx() context: RequestContext,
    @Args() args: EventWindowArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<EventConnection> {
    return this.calendarsEvents.events(context, session.userId, calendar.channel, {
      ...args, calendarId: calendar.id, eventFields: selectedEventFields(info),
    });
  }
}
