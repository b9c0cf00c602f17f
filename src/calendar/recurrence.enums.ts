// Graph's value sets of a recurring series as GraphQL enums (no decorators, so services and scripts can load them).
// https://learn.microsoft.com/graph/api/resources/recurrencepattern, https://learn.microsoft.com/graph/api/resources/recurrencerange
import { registerEnumType } from 'type-graphql';

// Each value is Graph's wire spelling.
export enum RecurrencePatternType {
  DAILY = 'daily',
  WEEKLY = 'weekly',
  ABSOLUTE_MONTHLY = 'absoluteMonthly',
  RELATIVE_MONTHLY = 'relativeMonthly',
  ABSOLUTE_YEARLY = 'absoluteYearly',
  RELATIVE_YEARLY = 'relativeYearly',
}

export enum RecurrenceRangeType {
  END_DATE = 'endDate',
  NO_END = 'noEnd',
  NUMBERED = 'numbered',
}

export enum DayOfWeek {
  SUNDAY = 'sunday',
  MONDAY = 'monday',
  TUESDAY = 'tuesday',
  WEDNESDAY = 'wednesday',
  THURSDAY = 'thursday',
  FRIDAY = 'friday',
  SATURDAY = 'saturday',
}

export enum WeekIndex {
  FIRST = 'first',
  SECOND = 'second',
  THIRD = 'third',
  FOURTH = 'fourth',
  LAST = 'last',
}

registerEnumType(RecurrencePatternType, { name: 'RecurrencePatternType', description: 'How often a series repeats.' });
registerEnumType(RecurrenceRangeType, { name: 'RecurrenceRangeType', description: 'How a series ends: on a date, never, or after a number of occurrences.' });
registerEnumType(DayOfWeek, { name: 'DayOfWeek' });
registerEnumType(WeekIndex, { name: 'WeekIndex', description: 'Which week of the month a relative pattern falls in.' });
