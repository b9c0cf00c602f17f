// GraphQL surface of Calendar.events: the first page of each calendar's view, read for all calendars of a query at once.
import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import { requireSession } from '../graphql/auth-checker';
import type { RequestContext } from '../graphql/context';
import { Calendar, EventConnection } from './calendar.types';
import type { CalendarsEventsService } from './calendars-events.service';
import { selectedEventFields } from './event-selection';

@ArgsType()
class CalendarEventsArgs {
  @Field(() => Date) start!: Date;
  @Field(() => Date) end!: Date;
  @Field(() => String, { nullable: true }) timeZone?: string;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 200 (default 50).' }) first?: number;
}

const EVENTS_DESCRIPTION = "The first page of this calendar's view of [start, end); read on with Query.events(calendarId: id, after: endCursor). "
  + "All calendars of a query are read together (Graph JSON batching); a calendar Microsoft cannot read is null with that calendar's error.";

@Resolver(() => Calendar)
export class CalendarEventsResolver {
  constructor(private readonly calendarsEvents: CalendarsEventsService) {}

  @FieldResolver(() => EventConnection, { nullable: true, description: EVENTS_DESCRIPTION })
  events(@Root() calendar: Calendar, @Ctx() context: RequestContext, @Args() args: CalendarEventsArgs, @Info() info: GraphQLResolveInfo): Promise<EventConnection> {
    return this.calendarsEvents.events(context, requireSession(context).userId, {
      ...args, channel: calendar.channel, calendarId: calendar.id, eventFields: selectedEventFields(info),
    });
  }
}
