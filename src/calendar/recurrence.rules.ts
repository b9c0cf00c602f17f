// The argument rules of a recurring series (createEvent's input.recurrence), as decorators for recurrence.types.ts.
// Each pattern type needs its own properties and each range type its end, as Graph requires:
// https://learn.microsoft.com/graph/api/resources/recurrencepattern, https://learn.microsoft.com/graph/api/resources/recurrencerange
import { IsDefined, ValidateIf } from 'class-validator';
import { InputRule, IsIntegerBetween, isIntegerBetween } from '../graphql/input-rule';
import { RecurrencePatternType, RecurrenceRangeType } from './recurrence.enums';

/** An interval or count beyond this is a typo, not a calendar (Outlook itself stops a series at 999 occurrences). */
export const MAX_RECURRENCE_COUNT = 999;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date such as 2026-12-01 (not 2026-02-30). */
function isLocalDate(value: unknown): value is string {
  const match = LOCAL_DATE.exec(typeof value === 'string' ? value : '');
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

const NEEDS_DAYS_OF_WEEK = [RecurrencePatternType.WEEKLY, RecurrencePatternType.RELATIVE_MONTHLY, RecurrencePatternType.RELATIVE_YEARLY];
const NEEDS_DAY_OF_MONTH = [RecurrencePatternType.ABSOLUTE_MONTHLY, RecurrencePatternType.ABSOLUTE_YEARLY];
const NEEDS_MONTH = [RecurrencePatternType.ABSOLUTE_YEARLY, RecurrencePatternType.RELATIVE_YEARLY];

/**
 * A rule on a property that some inputs need: there it must be present and pass `test`, elsewhere it is not checked.
 * class-validator skips missing properties (input-validation.ts), so presence is its own IsDefined rule.
 */
function RequiredWhen<T>(appliesTo: (input: Record<string, unknown>) => boolean, test: (value: T, input: Record<string, unknown>) => boolean, message: string): PropertyDecorator {
  return (target, property) => {
    ValidateIf((input: Record<string, unknown>) => appliesTo(input))(target, property);
    IsDefined({ message })(target, property);
    InputRule<T>('requiredWhen', test, message)(target, property);
  };
}

/** On a pattern property that some pattern types need; named as callers write them (WEEKLY), not as Graph spells them. */
function NeededByPatterns<T>(types: RecurrencePatternType[], test: (value: T) => boolean, predicate: string): PropertyDecorator {
  const names = Object.entries(RecurrencePatternType).filter(([, wire]) => types.includes(wire)).map(([name]) => name);
  const needers = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return RequiredWhen((pattern) => types.includes(pattern.type as RecurrencePatternType), test, `${predicate}; ${needers} patterns need it.`);
}

export const IsRecurrenceInterval = () => IsIntegerBetween(1, MAX_RECURRENCE_COUNT);

export const IsDaysOfWeek = () => NeededByPatterns<unknown[]>(NEEDS_DAYS_OF_WEEK, (days) => days.length > 0, 'must list at least one day');

export const IsDayOfMonth = () => NeededByPatterns(NEEDS_DAY_OF_MONTH, isIntegerBetween(1, 31), 'must be between 1 and 31');

export const IsMonth = () => NeededByPatterns(NEEDS_MONTH, isIntegerBetween(1, 12), 'must be between 1 and 12');

export const IsLocalDate = () => InputRule('isLocalDate', isLocalDate, 'must be a real date such as 2026-12-01.');

/** On a range's endDate: END_DATE ranges need a real date on or after their startDate. */
export const IsRangeEndDate = () =>
  RequiredWhen<string>(
    (range) => range.type === RecurrenceRangeType.END_DATE,
    (endDate, range) => isLocalDate(endDate) && endDate >= String(range.startDate),
    'must be a real date on or after startDate; END_DATE ranges need it.',
  );

/** On a range's numberOfOccurrences: NUMBERED ranges need it. */
export const IsOccurrenceCount = () =>
  RequiredWhen(
    (range) => range.type === RecurrenceRangeType.NUMBERED,
    isIntegerBetween(1, MAX_RECURRENCE_COUNT),
    `must be between 1 and ${MAX_RECURRENCE_COUNT}; NUMBERED ranges need it.`,
  );
