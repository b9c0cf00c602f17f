// GraphQL input types of event mutations; their rules are checked in event-input.validation.ts.
import { Field, ID, InputType } from 'type-graphql';
import { AttendeeType, BodyType } from '../graphql/enums';
import { RecurrenceInput } from './recurrence.types';

@InputType()
export class EventTimeInput {
  @Field({ description: 'Local date-time without offset, e.g. 2026-11-24T09:30:00.' })
  dateTime!: string;

  @Field({ description: 'A Windows zone (e.g. Pacific Standard Time, UTC-11), an IANA zone (e.g. Europe/Paris, Asia/Calcutta) or UTC.' })
  timeZone!: string;
}

@InputType()
export class AttendeeInput {
  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => AttendeeType, { nullable: true })
  type?: AttendeeType | null;
}

@InputType()
export class CreateEventInput {
  @Field()
  subject!: string;

  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => BodyType, { nullable: true })
  bodyType?: BodyType | null;

  @Field(() => EventTimeInput)
  start!: EventTimeInput;

  @Field(() => EventTimeInput)
  end!: EventTimeInput;

  @Field(() => Boolean, { nullable: true })
  isAllDay?: boolean | null;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => [AttendeeInput], { nullable: true })
  attendees?: AttendeeInput[] | null;

  @Field(() => Boolean, { nullable: true })
  isOnlineMeeting?: boolean | null;

  @Field(() => ID, { nullable: true })
  calendarId?: string | null;

  @Field(() => RecurrenceInput, { nullable: true, description: 'Makes the event a recurring series.' })
  recurrence?: RecurrenceInput | null;
}

@InputType()
export class UpdateEventInput {
  @Field(() => String, { nullable: true })
  subject?: string | null;

  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => BodyType, { nullable: true })
  bodyType?: BodyType | null;

  @Field(() => EventTimeInput, { nullable: true })
  start?: EventTimeInput | null;

  @Field(() => EventTimeInput, { nullable: true })
  end?: EventTimeInput | null;

  @Field(() => Boolean, { nullable: true })
  isAllDay?: boolean | null;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => [AttendeeInput], { nullable: true })
  attendees?: AttendeeInput[] | null;

  @Field(() => Boolean, { nullable: true })
  isOnlineMeeting?: boolean | null;
}
