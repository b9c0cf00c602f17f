// Translates a series' recurrence between the gateway's types and Graph's patternedRecurrence, in both directions.
// https://learn.microsoft.com/graph/api/resources/patternedrecurrence
import { shownZoneName, type RequestedZone } from './graph-time-zone';
import { DayOfWeek, RecurrencePatternType, RecurrenceRangeType, WeekIndex } from './recurrence.enums';
import type { Recurrence, RecurrenceInput } from './recurrence.types';

export interface GraphRecurrence {
  pattern?: {
    type?: string; interval?: number; daysOfWeek?: string[] | null; dayOfMonth?: number | null; month?: number | null;
    index?: string | null; firstDayOfWeek?: string | null;
  } | null;
  range?: {
    type?: string; startDate?: string; endDate?: string | null; numberOfOccurrences?: number | null; recurrenceTimeZone?: string | null;
  } | null;
}

/** Graph's endDate of a range without one. */
const NO_DATE = '0001-01-01';

/** The enum value for Graph's wire value (case-insensitive), or undefined for one this gateway does not know. */
function known<E extends Record<string, string>>(values: E, wire: string | null | undefined): E[keyof E] | undefined {
  const lower = String(wire ?? '').toLowerCase();
  return Object.values(values).find((value) => value.toLowerCase() === lower) as E[keyof E] | undefined;
}

/** The recurrence Graph is sent; the range's zone is a Windows name, the start's zone when the caller gave none. */
export function toGraphRecurrence(input: RecurrenceInput, rangeZone: RequestedZone): GraphRecurrence {
  const { pattern, range } = input;
  return {
    pattern: {
      type: pattern.type, interval: pattern.interval,
      ...(pattern.daysOfWeek ? { daysOfWeek: pattern.daysOfWeek } : {}),
      ...(pattern.dayOfMonth ? { dayOfMonth: pattern.dayOfMonth } : {}),
      ...(pattern.month ? { month: pattern.month } : {}),
      ...(pattern.index ? { index: pattern.index } : {}),
      ...(pattern.firstDayOfWeek ? { firstDayOfWeek: pattern.firstDayOfWeek } : {}),
    },
    range: {
      type: range.type, startDate: range.startDate,
      ...(range.type === RecurrenceRangeType.END_DATE ? { endDate: range.endDate } : {}),
      ...(range.type === RecurrenceRangeType.NUMBERED ? { numberOfOccurrences: range.numberOfOccurrences } : {}),
      recurrenceTimeZone: rangeZone.graphName,
    },
  };
}

/**
 * The recurrence as Graph reads it back, with the defaults Graph fills in; null for no recurrence and for a pattern or
 * range type this gateway does not know yet (the event still reads, as its type shows it is a series).
 */
export function toRecurrence(recurrence: GraphRecurrence | null | undefined, zone: RequestedZone | undefined): Recurrence | null {
  const patternType = known(RecurrencePatternType, recurrence?.pattern?.type);
  const rangeType = known(RecurrenceRangeType, recurrence?.range?.type);
  if (!recurrence?.pattern || !recurrence.range || !patternType || !rangeType) return null;
  const { pattern, range } = recurrence;
  return {
    pattern: {
      type: patternType,
      interval: pattern.interval ?? 1,
      daysOfWeek: (pattern.daysOfWeek ?? []).map((day) => known(DayOfWeek, day)).filter((day): day is DayOfWeek => day !== undefined),
      dayOfMonth: pattern.dayOfMonth ?? 0,
      month: pattern.month ?? 0,
      index: known(WeekIndex, pattern.index) ?? WeekIndex.FIRST,
      firstDayOfWeek: known(DayOfWeek, pattern.firstDayOfWeek) ?? DayOfWeek.SUNDAY,
    },
    range: {
      type: rangeType,
      startDate: range.startDate ?? '',
      endDate: range.endDate && range.endDate !== NO_DATE ? range.endDate : null,
      numberOfOccurrences: range.numberOfOccurrences ?? 0,
      recurrenceTimeZone: range.recurrenceTimeZone ? shownZoneName(range.recurrenceTimeZone, zone) : null,
    },
  };
}
