// Argument rules of the calendar fields, checked before any call to Microsoft; each failure names the field's path.
import { localToInstant, parseLocalDateTime } from '../common/time-zones';
import { errors } from '../errors/gateway-errors';
import type { AttendeeInput, CreateEventInput, EventTimeInput, UpdateEventInput } from './calendar.inputs';
import { requestedZone, type RequestedZone } from './graph-time-zone';

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

// Graph returns ids in standard base64 ('/', '+', '=') as well as URL-safe ('-', '_'); each is percent-encoded
// into its path segment by encodeGraphId, so a '/' can never add a segment.
const GRAPH_ID = /^[A-Za-z0-9_+/=-]+$/;
// Deliberately simple: one '@', no spaces or brackets, a dot in the domain. Exchange does the final check.
export const EMAIL_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

export function checkGraphId(field: string, id: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.idLength || !GRAPH_ID.test(id)) {
    throw errors.badUserInput(field, `${field} is not a valid Microsoft Graph id (letters, digits, '-', '_', '+', '/', '=', at most ${LIMITS.idLength} characters).`);
  }
  return id;
}

// A changeKey goes into If-Match as W/"<changeKey>": printable ASCII without quotes keeps the header well-formed.
const CHANGE_KEY = /^[\x21\x23-\x7e]{1,512}$/;

/** The changeKey to send in If-Match, or undefined when the caller gave none (last writer wins). */
export function checkChangeKey(changeKey: string | null | undefined): string | undefined {
  if (changeKey === null || changeKey === undefined) return undefined;
  if (!CHANGE_KEY.test(changeKey)) {
    throw errors.badUserInput('changeKey', 'changeKey must be an event\'s changeKey as the gateway returned it (at most 512 printable characters, no quotes).');
  }
  return changeKey;
}

export function checkTimeZone(field: string, timeZone: string): RequestedZone {
  const zone = typeof timeZone === 'string' && timeZone.length <= 100 ? requestedZone(timeZone) : undefined;
  if (!zone) {
    throw errors.badUserInput(field, `${field} must be a time zone Microsoft knows, such as Europe/Paris (IANA), Eastern Standard Time (Windows) or UTC.`);
  }
  return zone;
}

/** A real local date-time in a supported zone; returns the instant it names. */
export function checkEventTime(field: string, time: EventTimeInput): Date {
  checkTimeZone(`${field}.timeZone`, time.timeZone);
  if (!parseLocalDateTime(time.dateTime)) {
    throw errors.badUserInput(`${field}.dateTime`, `${field}.dateTime must be a real local date-time without offset, e.g. 2026-11-24T09:30:00.`);
  }
  return localToInstant(time.dateTime, time.timeZone);
}

/** The note sent with a meeting response or cancellation, bounded like an event body. */
export function checkComment(comment: string | null | undefined): string | undefined {
  if (comment === null || comment === undefined) return undefined;
  if (Buffer.byteLength(comment, 'utf8') > LIMITS.bodyBytes) throw errors.badUserInput('comment', `comment may be at most ${LIMITS.bodyBytes / 1024} KiB.`);
  return comment;
}

export function checkPageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return LIMITS.defaultPageSize;
  if (!Number.isInteger(first) || first < 1 || first > LIMITS.maxPageSize) {
    throw errors.badUserInput('first', `first must be between 1 and ${LIMITS.maxPageSize}.`);
  }
  return first;
}

const INSTANT_EXPECTED = 'must be a real ISO 8601 date-time with an offset, e.g. 2026-11-24T09:30:00Z.';

export function checkWindow(start: Date, end: Date): void {
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) throw errors.badUserInput('start', `start ${INSTANT_EXPECTED}`);
  if (!(end instanceof Date) || Number.isNaN(end.getTime())) throw errors.badUserInput('end', `end ${INSTANT_EXPECTED}`);
  if (end.getTime() <= start.getTime()) throw errors.badUserInput('end', 'end must be after start.');
  if (end.getTime() - start.getTime() > LIMITS.windowDays * 86_400_000) {
    throw errors.badUserInput('end', `The window from start to end may span at most ${LIMITS.windowDays} days (five years).`);
  }
}

export function checkCreateEventInput(input: CreateEventInput): void {
  checkSubject(input.subject);
  checkCommonFields(input);
  const start = checkEventTime('input.start', input.start);
  const end = checkEventTime('input.end', input.end);
  checkOrder(start, end);
  if (input.isAllDay) checkAllDay(input.start, input.end);
  if (input.calendarId !== null && input.calendarId !== undefined) checkGraphId('input.calendarId', input.calendarId);
}

export function checkUpdateEventInput(input: UpdateEventInput): void {
  if (input.subject !== null && input.subject !== undefined) checkSubject(input.subject);
  checkCommonFields(input);
  const start = input.start ? checkEventTime('input.start', input.start) : undefined;
  const end = input.end ? checkEventTime('input.end', input.end) : undefined;
  if (start && end) checkOrder(start, end);
  if (input.isAllDay && input.start && input.end) checkAllDay(input.start, input.end);
}

function checkSubject(subject: string): void {
  const length = [...subject.trim()].length;
  if (length < 1 || length > LIMITS.subjectLength) {
    throw errors.badUserInput('input.subject', `input.subject must be 1 to ${LIMITS.subjectLength} characters after trimming.`);
  }
}

function checkCommonFields(input: UpdateEventInput): void {
  if (input.body !== null && input.body !== undefined && Buffer.byteLength(input.body, 'utf8') > LIMITS.bodyBytes) {
    throw errors.badUserInput('input.body', `input.body may be at most ${LIMITS.bodyBytes / 1024} KiB.`);
  }
  if (input.location !== null && input.location !== undefined && [...input.location].length > LIMITS.locationLength) {
    throw errors.badUserInput('input.location', `input.location may be at most ${LIMITS.locationLength} characters.`);
  }
  if (input.attendees) checkAttendees(input.attendees);
}

function checkAttendees(attendees: AttendeeInput[]): void {
  if (attendees.length > LIMITS.attendees) {
    throw errors.badUserInput('input.attendees', `An event may have at most ${LIMITS.attendees} attendees.`);
  }
  attendees.forEach((attendee, index) => {
    const email = attendee.email.trim();
    if (email.length > 254 || !EMAIL_ADDRESS.test(email)) {
      throw errors.badUserInput(`input.attendees[${index}].email`, `input.attendees[${index}].email is not a valid email address.`);
    }
    if (attendee.name && [...attendee.name].length > LIMITS.attendeeNameLength) {
      throw errors.badUserInput(`input.attendees[${index}].name`, `input.attendees[${index}].name may be at most ${LIMITS.attendeeNameLength} characters.`);
    }
  });
}

function checkOrder(start: Date, end: Date): void {
  if (end.getTime() <= start.getTime()) throw errors.badUserInput('input.end', 'input.end must be after input.start.');
}

// Graph: an all-day event starts and ends at midnight in the same time zone.
function checkAllDay(start: EventTimeInput, end: EventTimeInput): void {
  const isMidnight = (time: EventTimeInput) => {
    const local = parseLocalDateTime(time.dateTime)!;
    return local.hour === 0 && local.minute === 0 && local.second === 0 && local.ticks === 0;
  };
  if (!isMidnight(start) || !isMidnight(end) || requestedZone(start.timeZone)?.graphName !== requestedZone(end.timeZone)?.graphName) {
    throw errors.badUserInput('input.isAllDay', 'An all-day event must start and end at midnight in the same time zone.');
  }
}
