// GraphQL input and argument classes of the calendar fields; each field's rules sit on it (event-input.rules.ts).
import { ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { AttendeeType, BodyType } from '../graphql/enums';
import {
  EndsAfterStart, HasAtMostAttendees, HasAtMostCharacters, IsAllDaySpan, IsBody, IsChangeKey, IsEmailAddress, IsGraphId,
  IsLocalDateTime, IsPageSize, IsSubject, IsTimeZone, IsWindowEnd, LIMITS,
} from './event-input.rules';
import { RecurrenceInput } from './recurrence.types';

@InputType()
export class EventTimeInput {
  @Field({ description: 'Local date-time without offset, e.g. 2026-11-24T09:30:00.' })
  @IsLocalDateTime()
  dateTime!: string;

  @Field({ description: 'A Windows zone (e.g. Pacific Standard Time, UTC-11), an IANA zone (e.g. Europe/Paris, Asia/Calcutta) or UTC.' })
  @IsTimeZone()
  timeZone!: string;
}

@InputType()
export class AttendeeInput {
  @Field()
  @IsEmailAddress()
  email!: string;

  @Field(() => String, { nullable: true })
  @HasAtMostCharacters(LIMITS.attendeeNameLength)
  name?: string | null;

  @Field(() => AttendeeType, { nullable: true })
  type?: AttendeeType | null;
}

@InputType()
export class CreateEventInput {
  @Field()
  @IsSubject()
  subject!: string;

  @Field(() => String, { nullable: true })
  @IsBody()
  body?: string | null;

  @Field(() => BodyType, { nullable: true })
  bodyType?: BodyType | null;

  @Field(() => EventTimeInput)
  @ValidateNested()
  start!: EventTimeInput;

  @Field(() => EventTimeInput)
  @ValidateNested()
  @EndsAfterStart()
  end!: EventTimeInput;

  @Field(() => Boolean, { nullable: true })
  @IsAllDaySpan()
  isAllDay?: boolean | null;

  @Field(() => String, { nullable: true })
  @HasAtMostCharacters(LIMITS.locationLength)
  location?: string | null;

  @Field(() => [AttendeeInput], { nullable: true })
  @HasAtMostAttendees()
  @ValidateNested()
  attendees?: AttendeeInput[] | null;

  @Field(() => Boolean, { nullable: true })
  isOnlineMeeting?: boolean | null;

  @Field(() => ID, { nullable: true })
  @IsGraphId()
  calendarId?: string | null;

  @Field(() => RecurrenceInput, { nullable: true, description: 'Makes the event a recurring series.' })
  @ValidateNested()
  recurrence?: RecurrenceInput | null;
}

@InputType()
export class UpdateEventInput {
  @Field(() => String, { nullable: true })
  @IsSubject()
  subject?: string | null;

  @Field(() => String, { nullable: true })
  @IsBody()
  body?: string | null;

  @Field(() => BodyType, { nullable: true })
  bodyType?: BodyType | null;

  @Field(() => EventTimeInput, { nullable: true })
  @ValidateNested()
  start?: EventTimeInput | null;

  @Field(() => EventTimeInput, { nullable: true })
  @ValidateNested()
  @EndsAfterStart()
  end?: EventTimeInput | null;

  @Field(() => Boolean, { nullable: true })
  @IsAllDaySpan()
  isAllDay?: boolean | null;

  @Field(() => String, { nullable: true })
  @HasAtMostCharacters(LIMITS.locationLength)
  location?: string | null;

  @Field(() => [AttendeeInput], { nullable: true })
  @HasAtMostAttendees()
  @ValidateNested()
  attendees?: AttendeeInput[] | null;

  @Field(() => Boolean, { nullable: true })
  isOnlineMeeting?: boolean | null;
}

const CHANGE_KEY_ARG = "The event's changeKey as last read: the change applies only if the event still has it (else CONFLICT). Without it, the last writer wins.";

/** A window of events and the page size: Calendar.events reads the first page of each calendar's view. */
@ArgsType()
export class EventWindowArgs {
  @Field(() => Date)
  start!: Date;

  @Field(() => Date)
  @IsWindowEnd()
  end!: Date;

  @Field(() => String, { nullable: true })
  @IsTimeZone()
  timeZone?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 200 (default 50).' })
  @IsPageSize()
  first?: number | null;
}

/** A window read on page by page with the previous page's endCursor. */
@ArgsType()
export class PagedWindowArgs extends EventWindowArgs {
  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  after?: string | null;
}

@ArgsType()
export class EventsArgs extends PagedWindowArgs {
  @Field(() => ID, { nullable: true })
  @IsGraphId()
  calendarId?: string | null;
}

@ArgsType()
export class EventInstancesArgs extends PagedWindowArgs {
  @Field(() => ID)
  @IsGraphId()
  seriesMasterId!: string;
}

@ArgsType()
export class EventArgs {
  @Field(() => ID)
  @IsGraphId()
  id!: string;

  @Field(() => String, { nullable: true })
  @IsTimeZone()
  timeZone?: string | null;
}

@ArgsType()
export class CreateEventArgs {
  @Field(() => CreateEventInput)
  @ValidateNested()
  input!: CreateEventInput;
}

@ArgsType()
export class DeleteEventArgs {
  @Field(() => ID)
  @IsGraphId()
  id!: string;

  @Field(() => String, { nullable: true, description: CHANGE_KEY_ARG })
  @IsChangeKey()
  changeKey?: string | null;
}

@ArgsType()
export class UpdateEventArgs extends DeleteEventArgs {
  @Field(() => UpdateEventInput)
  @ValidateNested()
  input!: UpdateEventInput;
}
