// Expands a recurring series into occurrences (wall-clock times kept across DST), as calendarView does.
// https://learn.microsoft.com/graph/api/resources/patternedrecurrence
import { daysInMonth, instantToLocal, localToInstant, parseLocalDateTime, wallClockMs } from '../../common/time-zones';
import type { DateTimeTimeZone, OccurrenceOverride, PatternedRecurrence, StoredEvent } from './mailbox-store';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const INDEXES = ['first', 'second', 'third', 'fourth'];

export interface Occurrence {
  /** Local date of the occurrence as days since 1970-01-01; also part of its id. */
  day: number;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  /** The start the occurrence has in its series (before any exception moved it), as an instant. */
  originalStartMs: number;
  override?: OccurrenceOverride;
}

const weekday = (day: number) => (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
const dateOf = (day: number) => new Date(day * DAY_MS);
export const dayNumberOf = (date: string) => Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);
const monthIndex = (day: number) => dateOf(day).getUTCFullYear() * 12 + dateOf(day).getUTCMonth();

/** Whether `date` falls in the week of its month that `index` names (first to fourth, or the last seven days). */
function isIndexedWeek(indexName: string | undefined, date: Date): boolean {
  const index = (indexName ?? 'first').toLowerCase();
  const dayOfMonth = date.getUTCDate();
  return index === 'last'
    ? dayOfMonth + 7 > daysInMonth(date.getUTCFullYear(), date.getUTCMonth() + 1)
    : Math.ceil(dayOfMonth / 7) === INDEXES.indexOf(index) + 1;
}

function matchesPattern(recurrence: PatternedRecurrence, firstDay: number, day: number): boolean {
  const { pattern } = recurrence;
  const interval = Math.max(1, pattern.interval || 1);
  const date = dateOf(day);
  const isListedWeekday = (pattern.daysOfWeek ?? []).map((name) => name.toLowerCase()).includes(WEEKDAYS[weekday(day)]);
  const monthsApart = monthIndex(day) - monthIndex(firstDay);
  switch (pattern.type) {
    case 'daily':
      return (day - firstDay) % interval === 0;
    case 'weekly': {
      const firstDow = Math.max(0, WEEKDAYS.indexOf((pattern.firstDayOfWeek ?? 'sunday').toLowerCase()));
      const weekStart = (value: number) => value - ((weekday(value) - firstDow + 7) % 7);
      return isListedWeekday && Math.floor((weekStart(day) - weekStart(firstDay)) / 7) % interval === 0;
    }
    case 'absoluteMonthly':
      return date.getUTCDate() === pattern.dayOfMonth && monthsApart % interval === 0;
    case 'relativeMonthly':
      return isListedWeekday && isIndexedWeek(pattern.index, date) && monthsApart % interval === 0;
    case 'absoluteYearly':
      return date.getUTCMonth() + 1 === pattern.month && date.getUTCDate() === pattern.dayOfMonth && (monthsApart / 12) % interval === 0;
    case 'relativeYearly':
      return date.getUTCMonth() + 1 === pattern.month && isListedWeekday && isIndexedWeek(pattern.index, date) && (monthsApart / 12) % interval === 0;
    default:
      return false;
  }
}

const instantOfTime = (time: DateTimeTimeZone) => localToInstant(time.dateTime, time.timeZone).getTime();

function occurrenceTimes(master: StoredEvent, day: number): { start: DateTimeTimeZone; end: DateTimeTimeZone } {
  const masterStart = parseLocalDateTime(master.start.dateTime)!;
  const timeOfDay = wallClockMs(masterStart) - dayNumberOf(master.start.dateTime) * DAY_MS;
  const startWall = new Date(day * DAY_MS + timeOfDay).toISOString().slice(0, 19);
  if (master.isAllDay) {
    const lengthMs = wallClockMs(parseLocalDateTime(master.end.dateTime)!) - wallClockMs(masterStart);
    const endWall = new Date(day * DAY_MS + timeOfDay + lengthMs).toISOString().slice(0, 19);
    return { start: { dateTime: `${startWall}.0000000`, timeZone: master.start.timeZone }, end: { dateTime: `${endWall}.0000000`, timeZone: master.end.timeZone } };
  }
  const durationMs = localToInstant(master.end.dateTime, master.end.timeZone).getTime() - localToInstant(master.start.dateTime, master.start.timeZone).getTime();
  const startInstant = localToInstant(startWall, master.start.timeZone);
  return {
    start: { dateTime: instantToLocal(startInstant, master.start.timeZone), timeZone: master.start.timeZone },
    end: { dateTime: instantToLocal(new Date(startInstant.getTime() + durationMs), master.end.timeZone), timeZone: master.end.timeZone },
  };
}

/** Occurrences of a series whose local date is on or before `lastDay` (deleted ones left out, exceptions applied). */
export function expandSeries(master: StoredEvent, lastDay: number): Occurrence[] {
  const recurrence = master.recurrence;
  if (!recurrence) return [];
  const firstDay = dayNumberOf(recurrence.range.startDate);
  const endDay = recurrence.range.type === 'endDate' && recurrence.range.endDate ? dayNumberOf(recurrence.range.endDate) : Infinity;
  const maxCount = recurrence.range.type === 'numbered' ? recurrence.range.numberOfOccurrences ?? 0 : Infinity;
  const occurrences: Occurrence[] = [];
  let count = 0;
  for (let day = firstDay; day <= Math.min(endDay, lastDay) && count < maxCount; day += 1) {
    if (!matchesPattern(recurrence, firstDay, day)) continue;
    count += 1;
    if (master.deletedOccurrenceDays.includes(day)) continue;
    const override = master.exceptions[day];
    const times = occurrenceTimes(master, day);
    occurrences.push({ day, start: override?.start ?? times.start, end: override?.end ?? times.end, originalStartMs: instantOfTime(times.start), override });
  }
  return occurrences;
}

/** The occurrence of a series on a given day, if the series has one there. */
export function findOccurrence(master: StoredEvent, day: number): Occurrence | undefined {
  return expandSeries(master, day).find((occurrence) => occurrence.day === day);
}

const ZERO_DATE = '0001-01-01';

/**
 * A series' recurrence as Graph reads it back: every property present, with the defaults Graph fills in (0 for unused
 * numbers, 'first' and 'sunday', an empty daysOfWeek, endDate 0001-01-01 without an end date, the start's zone).
 * https://learn.microsoft.com/graph/api/resources/recurrencepattern, https://learn.microsoft.com/graph/api/resources/recurrencerange
 */
export function recurrenceJson(recurrence: PatternedRecurrence, startTimeZone: string): Record<string, unknown> {
  const { pattern, range } = recurrence;
  return {
    pattern: {
      type: pattern.type, interval: pattern.interval, month: pattern.month ?? 0, dayOfMonth: pattern.dayOfMonth ?? 0,
      daysOfWeek: pattern.daysOfWeek ?? [], firstDayOfWeek: pattern.firstDayOfWeek ?? 'sunday', index: pattern.index ?? 'first',
    },
    range: {
      type: range.type, startDate: range.startDate, endDate: range.type === 'endDate' ? range.endDate : ZERO_DATE,
      recurrenceTimeZone: range.recurrenceTimeZone ?? startTimeZone, numberOfOccurrences: range.type === 'numbered' ? range.numberOfOccurrences : 0,
    },
  };
}

/** Beta's name of one occurrence: OID.<series master id>.<local date>. https://learn.microsoft.com/graph/api/resources/event?view=graph-rest-beta */
export function betaOccurrenceId(seriesMasterId: string, day: number): string {
  return `OID.${seriesMasterId}.${new Date(day * DAY_MS).toISOString().slice(0, 10)}`;
}
