// Argument rules of a recurring series (createEvent's input.recurrence), checked before any call to Microsoft.
// Each pattern type needs its own properties and each range type its end, as Graph requires:
// https://learn.microsoft.com/graph/api/resources/recurrencepattern, https://learn.microsoft.com/graph/api/resources/recurrencerange
import { errors } from '../errors/gateway-errors';
import { checkTimeZone } from './event-input.validation';
import { RecurrencePatternType, RecurrenceRangeType } from './recurrence.enums';
import type { RecurrenceInput } from './recurrence.types';

const FIELD = 'input.recurrence';
const NEEDS_DAYS_OF_WEEK = new Set([RecurrencePatternType.WEEKLY, RecurrencePatternType.RELATIVE_MONTHLY, RecurrencePatternType.RELATIVE_YEARLY]);
const NEEDS_DAY_OF_MONTH = new Set([RecurrencePatternType.ABSOLUTE_MONTHLY, RecurrencePatternType.ABSOLUTE_YEARLY]);
const NEEDS_MONTH = new Set([RecurrencePatternType.ABSOLUTE_YEARLY, RecurrencePatternType.RELATIVE_YEARLY]);
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An interval or count beyond this is a typo, not a calendar (Outlook itself stops a series at 999 occurrences). */
const MAX_COUNT = 999;

const isBetween = (value: number | null | undefined, low: number, high: number): value is number =>
  Number.isInteger(value) && value! >= low && value! <= high;

function isLocalDate(value: string | null | undefined): value is string {
  const match = LOCAL_DATE.exec(value ?? '');
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

export function checkRecurrence(recurrence: RecurrenceInput): void {
  const { pattern, range } = recurrence;
  // Named as the caller wrote it (WEEKLY), not as Graph spells it.
  const kind = Object.entries(RecurrencePatternType).find(([, wire]) => wire === pattern.type)?.[0] ?? pattern.type;
  if (!isBetween(pattern.interval, 1, MAX_COUNT)) throw errors.badUserInput(`${FIELD}.pattern.interval`, `${FIELD}.pattern.interval must be between 1 and ${MAX_COUNT}.`);
  if (NEEDS_DAYS_OF_WEEK.has(pattern.type) && !pattern.daysOfWeek?.length) {
    throw errors.badUserInput(`${FIELD}.pattern.daysOfWeek`, `A ${kind} pattern needs ${FIELD}.pattern.daysOfWeek.`);
  }
  if (NEEDS_DAY_OF_MONTH.has(pattern.type) && !isBetween(pattern.dayOfMonth, 1, 31)) {
    throw errors.badUserInput(`${FIELD}.pattern.dayOfMonth`, `A ${kind} pattern needs ${FIELD}.pattern.dayOfMonth between 1 and 31.`);
  }
  if (NEEDS_MONTH.has(pattern.type) && !isBetween(pattern.month, 1, 12)) {
    throw errors.badUserInput(`${FIELD}.pattern.month`, `A ${kind} pattern needs ${FIELD}.pattern.month between 1 and 12.`);
  }
  if (!isLocalDate(range.startDate)) throw errors.badUserInput(`${FIELD}.range.startDate`, `${FIELD}.range.startDate must be a real date such as 2026-12-01.`);
  if (range.type === RecurrenceRangeType.END_DATE && !(isLocalDate(range.endDate) && range.endDate >= range.startDate)) {
    throw errors.badUserInput(`${FIELD}.range.endDate`, `An END_DATE range needs ${FIELD}.range.endDate, a real date on or after its startDate.`);
  }
  if (range.type === RecurrenceRangeType.NUMBERED && !isBetween(range.numberOfOccurrences, 1, MAX_COUNT)) {
    throw errors.badUserInput(`${FIELD}.range.numberOfOccurrences`, `A NUMBERED range needs ${FIELD}.range.numberOfOccurrences between 1 and ${MAX_COUNT}.`);
  }
  if (range.recurrenceTimeZone !== null && range.recurrenceTimeZone !== undefined) checkTimeZone(`${FIELD}.range.recurrenceTimeZone`, range.recurrenceTimeZone);
}
