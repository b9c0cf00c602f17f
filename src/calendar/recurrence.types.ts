// GraphQL inputs and objects of a recurring series, shaped after Graph's patternedRecurrence; each input's rules sit on it.
// https://learn.microsoft.com/graph/api/resources/patternedrecurrence
import { ValidateNested } from 'class-validator';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { IsTimeZone } from './event-input.rules';
import { DayOfWeek, RecurrencePatternType, RecurrenceRangeType, WeekIndex } from './recurrence.enums';
import { IsDayOfMonth, IsDaysOfWeek, IsLocalDate, IsMonth, IsOccurrenceCount, IsRangeEndDate, IsRecurrenceInterval } from './recurrence.rules';

@InputType()
export class RecurrencePatternInput {
  @Field(() => RecurrencePatternType)
  type!: RecurrencePatternType;

  @Field(() => Int, { description: 'Every how many days, weeks, months or years (1 or more).' })
  @IsRecurrenceInterval()
  interval!: number;

  @Field(() => [DayOfWeek], { nullable: true, description: 'Required for WEEKLY, RELATIVE_MONTHLY and RELATIVE_YEARLY.' })
  @IsDaysOfWeek()
  daysOfWeek?: DayOfWeek[] | null;

  @Field(() => Int, { nullable: true, description: '1 to 31; required for ABSOLUTE_MONTHLY and ABSOLUTE_YEARLY.' })
  @IsDayOfMonth()
  dayOfMonth?: number | null;

  @Field(() => Int, { nullable: true, description: '1 to 12; required for ABSOLUTE_YEARLY and RELATIVE_YEARLY.' })
  @IsMonth()
  month?: number | null;

  @Field(() => WeekIndex, { nullable: true })
  index?: WeekIndex | null;

  @Field(() => DayOfWeek, { nullable: true })
  firstDayOfWeek?: DayOfWeek | null;
}

@InputType()
export class RecurrenceRangeInput {
  @Field(() => RecurrenceRangeType)
  type!: RecurrenceRangeType;

  @Field({ description: 'Local date, e.g. 2026-12-01.' })
  @IsLocalDate()
  startDate!: string;

  @Field(() => String, { nullable: true, description: 'Local date of the last occurrence; required for END_DATE.' })
  @IsRangeEndDate()
  endDate?: string | null;

  @Field(() => Int, { nullable: true, description: 'Required for NUMBERED.' })
  @IsOccurrenceCount()
  numberOfOccurrences?: number | null;

  @Field(() => String, { nullable: true, description: "Windows or IANA zone of the range; the event's start zone when omitted." })
  @IsTimeZone()
  recurrenceTimeZone?: string | null;
}

@InputType()
export class RecurrenceInput {
  @Field(() => RecurrencePatternInput)
  @ValidateNested()
  pattern!: RecurrencePatternInput;

  @Field(() => RecurrenceRangeInput)
  @ValidateNested()
  range!: RecurrenceRangeInput;
}

@ObjectType({ simpleResolvers: true })
export class RecurrencePattern {
  @Field(() => RecurrencePatternType)
  type!: RecurrencePatternType;

  @Field(() => Int)
  interval!: number;

  @Field(() => [DayOfWeek])
  daysOfWeek!: DayOfWeek[];

  @Field(() => Int, { description: '0 when the pattern does not use it.' })
  dayOfMonth!: number;

  @Field(() => Int, { description: '0 when the pattern does not use it.' })
  month!: number;

  @Field(() => WeekIndex)
  index!: WeekIndex;

  @Field(() => DayOfWeek)
  firstDayOfWeek!: DayOfWeek;
}

@ObjectType({ simpleResolvers: true })
export class RecurrenceRange {
  @Field(() => RecurrenceRangeType)
  type!: RecurrenceRangeType;

  @Field()
  startDate!: string;

  @Field(() => String, { nullable: true, description: 'Null unless the range ends on a date.' })
  endDate!: string | null;

  @Field(() => Int, { description: '0 unless the range is NUMBERED.' })
  numberOfOccurrences!: number;

  @Field(() => String, { nullable: true })
  recurrenceTimeZone!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class Recurrence {
  @Field(() => RecurrencePattern)
  pattern!: RecurrencePattern;

  @Field(() => RecurrenceRange)
  range!: RecurrenceRange;
}
