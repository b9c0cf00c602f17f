// GraphQL object types of free/busy schedules, shaped after Graph's scheduleInformation and scheduleItem.
import { Field, ObjectType } from 'type-graphql';
import { ShowAs } from './calendar.enums';
import { EventTime } from './calendar.types';

@ObjectType({ simpleResolvers: true })
export class ScheduleItem {
  @Field(() => ShowAs)
  status!: ShowAs;

  @Field(() => EventTime)
  start!: EventTime;

  @Field(() => EventTime)
  end!: EventTime;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String, { nullable: true })
  location!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class Schedule {
  @Field({ description: 'The mailbox or resource the schedule belongs to.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'One digit a slot: 0 free, 1 tentative, 2 busy, 3 oof, 4 working elsewhere.' })
  availabilityView!: string | null;

  @Field(() => [ScheduleItem])
  items!: ScheduleItem[];

  @Field(() => String, { nullable: true, description: "Why Graph could not give this mailbox's schedule, when it could not." })
  error!: string | null;
}
