// GraphQL object types of calendars and events, shaped after Graph's resources.
// simpleResolvers: graphql-js reads these fields straight off the object, without type-graphql's wrapper per field and
// per request (none of them has middleware or @Authorized).
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Channel } from '../config/channels';
import { AttendeeType, BodyType } from '../graphql/enums';
import { EventType, Importance, ResponseStatus, ShowAs } from './calendar.enums';
import { Recurrence } from './recurrence.types';

@ObjectType({ simpleResolvers: true })
export class EmailAddress {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  address!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class Calendar {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  color!: string | null;

  @Field(() => String, { nullable: true })
  hexColor!: string | null;

  @Field()
  isDefault!: boolean;

  @Field()
  canEdit!: boolean;

  @Field(() => EmailAddress, { nullable: true })
  owner!: EmailAddress | null;

  /** Not in the schema: the channel the calendar was read on, which its `events` field reads too. */
  channel!: Channel;
}

@ObjectType({ simpleResolvers: true })
export class CalendarInfo {
  @Field(() => Calendar)
  defaultCalendar!: Calendar;

  @Field(() => [Calendar])
  calendars!: Calendar[];
}

@ObjectType({ simpleResolvers: true })
export class EventTime {
  @Field({ description: 'Wall-clock time in timeZone, as Graph gives it (no offset).' })
  dateTime!: string;

  @Field({ description: 'The zone the caller asked for, in its canonical spelling (UTC when none was asked for).' })
  timeZone!: string;
}

@ObjectType({ simpleResolvers: true })
export class EventBody {
  @Field(() => BodyType)
  contentType!: BodyType;

  @Field()
  content!: string;
}

@ObjectType({ simpleResolvers: true })
export class Attendee {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field()
  email!: string;

  @Field(() => AttendeeType)
  type!: AttendeeType;

  @Field(() => ResponseStatus, { nullable: true })
  response!: ResponseStatus | null;
}

@ObjectType({ simpleResolvers: true })
export class Event {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String, { nullable: true })
  bodyPreview!: string | null;

  @Field(() => EventBody, { nullable: true })
  body!: EventBody | null;

  @Field(() => EventTime)
  start!: EventTime;

  @Field(() => EventTime)
  end!: EventTime;

  @Field()
  isAllDay!: boolean;

  @Field()
  isCancelled!: boolean;

  @Field(() => String, { nullable: true })
  location!: string | null;

  @Field(() => [Attendee])
  attendees!: Attendee[];

  @Field(() => EmailAddress, { nullable: true })
  organizer!: EmailAddress | null;

  @Field()
  isOnlineMeeting!: boolean;

  @Field(() => String, { nullable: true })
  onlineMeetingUrl!: string | null;

  @Field(() => String, { nullable: true })
  webLink!: string | null;

  @Field(() => ShowAs, { nullable: true })
  showAs!: ShowAs | null;

  @Field(() => Importance, { nullable: true })
  importance!: Importance | null;

  @Field(() => ID, { nullable: true })
  seriesMasterId!: string | null;

  @Field(() => EventType, { nullable: true })
  type!: EventType | null;

  @Field(() => Date, { nullable: true })
  createdAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastModifiedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Changes on every edit of the event; pass it to updateEvent or deleteEvent to apply the change only if nobody changed the event since.',
  })
  changeKey!: string | null;

  @Field(() => Recurrence, { nullable: true, description: 'The pattern and range of a series master; null for anything else.' })
  recurrence!: Recurrence | null;

  @Field(() => Date, { nullable: true, description: 'For an occurrence or exception: the start it had in its series.' })
  originalStart!: Date | null;

  @Field(() => ResponseStatus, { nullable: true, description: "The caller's own response to the event." })
  responseStatus!: ResponseStatus | null;

  @Field(() => String, { nullable: true, description: 'Teams (or other provider) join link of an online meeting.' })
  onlineMeetingJoinUrl!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class EventConnection {
  @Field(() => [Event])
  nodes!: Event[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of events in the window (Graph $count).' })
  totalCount!: number;
}
