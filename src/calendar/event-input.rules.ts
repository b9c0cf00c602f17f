// The calendar's argument rules, as decorators for its input and argument classes (calendar.inputs.ts).
import { localToInstant, parseLocalDateTime } from '../common/time-zones';
import { InputRule, IsIntegerBetween } from '../graphql/input-rule';
import { requestedZone } from './graph-time-zone';

export const LIMITS = {
  subjectLength: 255,
  bodyBytes: 64 * 1024,
  locationLength: 255,
  attendeeNameLength: 255,
  // Graph: "maximum 500 attendees" https://learn.microsoft.com/graph/api/resources/event
  attendees: 500,
  idLength: 1024,
  defaultPageSize: 50,
  maxPageSize: 200,
  // calendarView refuses windows over 1825 days (five years).
  windowDays: 1825,
} as const;

/** Graph's getSchedule bounds: at most 20 schedules a call, slots of 5 to 1440 minutes (30 by default). https://learn.microsoft.com/graph/api/calendar-getschedule */
export const SCHEDULE_LIMITS = { emails: 20, minInterval: 5, maxInterval: 1440, defaultInterval: 30 } as const;

// Graph returns ids in standard base64 ('/', '+', '=') as well as URL-safe ('-', '_'); each is percent-encoded
// into its path segment by encodeGraphId, so a '/' can never add a segment.
const GRAPH_ID = /^[A-Za-z0-9_+/=-]+$/;
// Deliberately simple: one '@', no spaces or brackets, a dot in the domain. Exchange does the final check.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;
// A changeKey goes into If-Match as W/"<changeKey>": printable ASCII without quotes keeps the header well-formed.
const CHANGE_KEY = /^[\x21\x23-\x7e]{1,512}$/;

const characters = (text: string) => [...text].length;

interface EventTime {
  dateTime: string;
  timeZone: string;
}

/** The instant a local date-time in a supported zone names; undefined when either is invalid (reported on its own). */
function instantOf(time: unknown): Date | undefined {
  const { dateTime, timeZone } = (time ?? {}) as Partial<EventTime>;
  if (typeof dateTime !== 'string' || typeof timeZone !== 'string' || !isTimeZone(timeZone) || !parseLocalDateTime(dateTime)) return undefined;
  return localToInstant(dateTime, timeZone);
}

/** An attendee's or mailbox's address, as far as the gateway checks it before Exchange does. */
export function isEmailAddress(email: string): boolean {
  return typeof email === 'string' && email.trim().length <= 254 && EMAIL.test(email.trim());
}

function isTimeZone(name: string): boolean {
  return typeof name === 'string' && name.length <= 100 && requestedZone(name) !== undefined;
}

export const IsGraphId = () =>
  InputRule<string>(
    'isGraphId',
    (id) => typeof id === 'string' && id.length > 0 && id.length <= LIMITS.idLength && GRAPH_ID.test(id),
    `must be a Microsoft Graph id (letters, digits, '-', '_', '+', '/', '=', at most ${LIMITS.idLength} characters).`,
  );

export const IsTimeZone = () =>
  InputRule('isTimeZone', isTimeZone, 'must be a time zone Microsoft knows, such as Europe/Paris (IANA), Eastern Standard Time (Windows) or UTC.');

export const IsLocalDateTime = () =>
  InputRule<string>('isLocalDateTime', (text) => typeof text === 'string' && parseLocalDateTime(text) !== null, 'must be a real local date-time without offset, e.g. 2026-11-24T09:30:00.');

export const IsChangeKey = () =>
  InputRule<string>('isChangeKey', (key) => CHANGE_KEY.test(key), "must be an event's changeKey as the gateway returned it (at most 512 printable characters, no quotes).");

export const IsPageSize = () => IsIntegerBetween(1, LIMITS.maxPageSize);

export const IsSubject = () =>
  InputRule<string>('isSubject', (subject) => characters(subject.trim()) >= 1 && characters(subject.trim()) <= LIMITS.subjectLength, `must be 1 to ${LIMITS.subjectLength} characters after trimming.`);

export const IsBody = () =>
  InputRule<string>('isBody', (body) => Buffer.byteLength(body, 'utf8') <= LIMITS.bodyBytes, `may be at most ${LIMITS.bodyBytes / 1024} KiB.`);

export const HasAtMostCharacters = (limit: number) =>
  InputRule<string>('hasAtMostCharacters', (text) => characters(text) <= limit, `may be at most ${limit} characters.`);

export const IsEmailAddress = () =>
  InputRule('isEmailAddress', isEmailAddress, 'must be a valid email address.');

export const HasAtMostAttendees = () =>
  InputRule<unknown[]>('hasAtMostAttendees', (attendees) => attendees.length <= LIMITS.attendees, `may hold at most ${LIMITS.attendees} attendees.`);

/** On an event's `end`: after its `start` as instants (zones may differ); silent while either is invalid. */
export const EndsAfterStart = () =>
  InputRule('endsAfterStart', (end, event) => {
    const [startsAt, endsAt] = [instantOf(event.start), instantOf(end)];
    return !startsAt || !endsAt || endsAt.getTime() > startsAt.getTime();
  }, 'must be after start.');

// Graph: an all-day event starts and ends at midnight in the same time zone.
export const IsAllDaySpan = () =>
  InputRule<boolean>('isAllDaySpan', (isAllDay, event) => {
    const [start, end] = [event.start as EventTime | undefined, event.end as EventTime | undefined];
    if (!isAllDay || !start || !end || !instantOf(start) || !instantOf(end)) return true;
    const isMidnight = (time: EventTime) => {
      const local = parseLocalDateTime(time.dateTime)!;
      return local.hour === 0 && local.minute === 0 && local.second === 0 && local.ticks === 0;
    };
    return isMidnight(start) && isMidnight(end) && requestedZone(start.timeZone)?.graphName === requestedZone(end.timeZone)?.graphName;
  }, 'needs start and end at midnight in the same time zone.');

/** On a query window's `end` (DateTime instants): after `start`, and at most LIMITS.windowDays later. */
export const IsWindowEnd = () =>
  InputRule<Date>('isWindowEnd', (end, window) => {
    const start = window.start as Date;
    return end.getTime() > start.getTime() && end.getTime() - start.getTime() <= LIMITS.windowDays * 86_400_000;
  }, `must be after start and at most ${LIMITS.windowDays} days (five years) later.`);

export const IsScheduleMailboxes = () =>
  InputRule<string[]>('isScheduleMailboxes', (emails) => emails.length >= 1 && emails.length <= SCHEDULE_LIMITS.emails, `must list 1 to ${SCHEDULE_LIMITS.emails} addresses.`);

export const IsScheduleInterval = () => IsIntegerBetween(SCHEDULE_LIMITS.minInterval, SCHEDULE_LIMITS.maxInterval);
