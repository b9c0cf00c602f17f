// Validates event bodies of POST and PATCH and turns them into stored fields, with Graph's error codes.
// https://learn.microsoft.com/graph/api/user-post-events, https://learn.microsoft.com/graph/api/event-update
import { randomBytes } from 'node:crypto';
import { parseLocalDateTime } from '../../common/time-zones';
import { isGraphTimeZoneName } from './time-zone-names';
import type { SandboxUser } from '../types';
import { graphFailures, GraphFailure } from './graph-errors';
import { instantOf } from './event-json';
import { newChangeKey, type Attendee, type DateTimeTimeZone, type PatternedRecurrence, type StoredEvent } from './mailbox-store';

type Body = Record<string, unknown>;
export type EventChanges = Partial<Omit<StoredEvent, 'key' | 'id'>>;

const ZERO_TIME = '0001-01-01T00:00:00Z';
const MAX_ATTENDEES = 500;
const ENUMS: Record<string, string[]> = {
  showAs: ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'],
  importance: ['low', 'normal', 'high'],
  sensitivity: ['normal', 'personal', 'private', 'confidential'],
};
const WRITABLE = new Set(['subject', 'body', 'start', 'end', 'isAllDay', 'location', 'locations', 'attendees', 'isOnlineMeeting', 'onlineMeetingProvider',
  'showAs', 'importance', 'sensitivity', 'isReminderOn', 'reminderMinutesBeforeStart', 'responseRequested', 'categories', 'recurrence', 'transactionId',
  'allowNewTimeProposals', 'hideAttendees', 'isCancelled']);
const READ_ONLY = new Set(['id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'iCalUId', 'bodyPreview', 'webLink', 'type', 'seriesMasterId',
  'organizer', 'isOrganizer', 'onlineMeeting', 'onlineMeetingUrl', 'originalStartTimeZone', 'originalEndTimeZone', 'responseStatus', 'hasAttachments', 'isDraft']);

const invalid = (message: string) => graphFailures.badRequest(message);

export function dateTimeTimeZone(value: unknown, name: string): DateTimeTimeZone {
  const candidate = value as Partial<DateTimeTimeZone> | undefined;
  if (!candidate || typeof candidate.dateTime !== 'string') throw invalid(`The property '${name}' must be a dateTimeTimeZone with a dateTime.`);
  const timeZone = typeof candidate.timeZone === 'string' && candidate.timeZone ? candidate.timeZone : 'UTC';
  if (!isGraphTimeZoneName(timeZone)) throw graphFailures.timeZoneNotSupported(timeZone);
  const local = parseLocalDateTime(candidate.dateTime.replace(/Z$/, ''));
  if (!local) throw invalid(`Cannot convert the literal '${candidate.dateTime}' to the expected type 'Edm.DateTime'.`);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const dateTime = `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}.${pad(local.ticks, 7)}`;
  return { dateTime, timeZone };
}

function attendees(value: unknown): Attendee[] {
  if (!Array.isArray(value)) throw invalid("The property 'attendees' must be a collection.");
  if (value.length > MAX_ATTENDEES) throw graphFailures.propertyValidation(`An event can have at most ${MAX_ATTENDEES} attendees.`);
  return value.map((entry: { emailAddress?: { address?: unknown; name?: unknown }; type?: unknown }) => {
    const address = entry?.emailAddress?.address;
    if (typeof address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(address)) throw graphFailures.propertyValidation('Each attendee needs a valid emailAddress.address.');
    const type = entry.type === 'optional' || entry.type === 'resource' ? entry.type : 'required';
    const name = typeof entry.emailAddress?.name === 'string' ? entry.emailAddress.name : address;
    return { type, status: { response: 'none', time: ZERO_TIME }, emailAddress: { name, address } };
  });
}

const PATTERN_TYPES = ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const NEEDS_DAYS_OF_WEEK = ['weekly', 'relativeMonthly', 'relativeYearly'];
const NEEDS_DAY_OF_MONTH = ['absoluteMonthly', 'absoluteYearly'];
const NEEDS_MONTH = ['absoluteYearly', 'relativeYearly'];
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A patternedRecurrence as Graph checks it: each pattern type needs its own properties, each range type its end. */
function recurrence(value: unknown): PatternedRecurrence | null {
  if (value === null) return null;
  const { pattern, range } = (value ?? {}) as Partial<PatternedRecurrence>;
  if (!pattern || !PATTERN_TYPES.includes(pattern.type)) throw invalid("The property 'recurrence.pattern.type' is missing or not supported.");
  if (!range || !['endDate', 'noEnd', 'numbered'].includes(range.type) || !LOCAL_DATE.test(range.startDate ?? '')) {
    throw invalid("The property 'recurrence.range' needs a type and a startDate (YYYY-MM-DD).");
  }
  const daysOfWeek = (pattern.daysOfWeek ?? []).map((day) => String(day).toLowerCase());
  if (daysOfWeek.some((day) => !WEEKDAYS.includes(day))) throw invalid("The property 'recurrence.pattern.daysOfWeek' holds an unknown day.");
  if (NEEDS_DAYS_OF_WEEK.includes(pattern.type) && daysOfWeek.length === 0) throw graphFailures.propertyValidation(`A ${pattern.type} pattern needs daysOfWeek.`);
  if (NEEDS_DAY_OF_MONTH.includes(pattern.type) && !(Number(pattern.dayOfMonth) >= 1 && Number(pattern.dayOfMonth) <= 31)) {
    throw graphFailures.propertyValidation(`A ${pattern.type} pattern needs dayOfMonth (1 to 31).`);
  }
  if (NEEDS_MONTH.includes(pattern.type) && !(Number(pattern.month) >= 1 && Number(pattern.month) <= 12)) {
    throw graphFailures.propertyValidation(`A ${pattern.type} pattern needs month (1 to 12).`);
  }
  if (range.type === 'endDate' && !(LOCAL_DATE.test(range.endDate ?? '') && range.endDate! >= range.startDate)) {
    throw graphFailures.propertyValidation('An endDate range needs an endDate on or after its startDate.');
  }
  if (range.type === 'numbered' && !(Number(range.numberOfOccurrences) >= 1)) throw graphFailures.propertyValidation('A numbered range needs numberOfOccurrences of at least 1.');
  if (range.recurrenceTimeZone !== undefined && range.recurrenceTimeZone !== null && !isGraphTimeZoneName(range.recurrenceTimeZone)) {
    throw graphFailures.timeZoneNotSupported(String(range.recurrenceTimeZone));
  }
  return {
    pattern: { ...pattern, daysOfWeek, interval: Math.max(1, Number(pattern.interval) || 1) },
    range: { ...range },
  };
}

function onlineMeeting(isOnline: boolean) {
  if (!isOnline) return { isOnlineMeeting: false, onlineMeetingProvider: 'unknown', onlineMeeting: null };
  const thread = randomBytes(24).toString('base64url');
  return {
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    onlineMeeting: { joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0`, conferenceId: String(100000000 + randomBytes(3).readUIntBE(0, 3)) },
  };
}

/** The stored fields a request body sets; rejects unknown properties and bad values as Graph does. */
export function parseEventChanges(body: Body): EventChanges {
  const changes: EventChanges = {};
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@odata') || READ_ONLY.has(name)) continue;
    if (!WRITABLE.has(name)) throw invalid(`The property '${name}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    if (ENUMS[name] && !ENUMS[name].includes(String(value))) throw invalid(`Requested value '${String(value)}' was not found.`);
  }
  if (typeof body.subject === 'string') changes.subject = body.subject;
  if (body.body !== undefined) {
    const given = body.body as { contentType?: string; content?: string };
    changes.body = { contentType: String(given?.contentType).toLowerCase() === 'text' ? 'text' : 'html', content: String(given?.content ?? '') };
  }
  if (body.start !== undefined) changes.start = dateTimeTimeZone(body.start, 'start');
  if (body.end !== undefined) changes.end = dateTimeTimeZone(body.end, 'end');
  if (typeof body.isAllDay === 'boolean') changes.isAllDay = body.isAllDay;
  if (body.location !== undefined) {
    const displayName = String((body.location as { displayName?: string })?.displayName ?? '');
    changes.location = displayName ? { displayName, locationType: 'default', uniqueId: displayName, uniqueIdType: 'private' } : { displayName: '', locationType: 'default', uniqueIdType: 'unknown' };
  }
  if (body.attendees !== undefined) changes.attendees = attendees(body.attendees);
  if (typeof body.isOnlineMeeting === 'boolean') Object.assign(changes, onlineMeeting(body.isOnlineMeeting));
  for (const name of ['showAs', 'importance', 'sensitivity'] as const) if (typeof body[name] === 'string') changes[name] = body[name] as string;
  for (const name of ['isReminderOn', 'responseRequested', 'isCancelled'] as const) if (typeof body[name] === 'boolean') changes[name] = body[name] as boolean;
  if (typeof body.reminderMinutesBeforeStart === 'number') changes.reminderMinutesBeforeStart = body.reminderMinutesBeforeStart;
  if (Array.isArray(body.categories)) changes.categories = body.categories.map(String);
  if (body.recurrence !== undefined) changes.recurrence = recurrence(body.recurrence);
  if (typeof body.transactionId === 'string') changes.transactionId = body.transactionId;
  return changes;
}

/** Rules that involve several fields, checked on the event as it would be after the change. */
export function validateEventShape(event: Pick<StoredEvent, 'start' | 'end' | 'isAllDay'>): void {
  if (instantOf(event.end) < instantOf(event.start)) {
    throw new GraphFailure(400, 'ErrorCalendarEndDateIsEarlierThanStartDate', 'The end date occurs before the start date.');
  }
  const isMidnight = (value: DateTimeTimeZone) => value.dateTime.slice(11) === '00:00:00.0000000';
  if (event.isAllDay && (!isMidnight(event.start) || !isMidnight(event.end) || event.start.timeZone !== event.end.timeZone || event.start.dateTime === event.end.dateTime)) {
    throw graphFailures.propertyValidation('Your request can\'t be completed. If the event is an all-day event, start and end must be at midnight, at least a day apart, and in the same time zone.');
  }
}

/** A new event owned by `owner` from a POST body. */
export function newEventFromBody(body: Body, owner: SandboxUser, calendarId: string, now: number): Omit<StoredEvent, 'key' | 'id'> {
  const changes = parseEventChanges(body);
  if (!changes.start || !changes.end) throw invalid("An event needs both 'start' and 'end'.");
  const event: Omit<StoredEvent, 'key' | 'id'> = {
    calendarId, subject: '', body: { contentType: 'html', content: '' }, start: changes.start, end: changes.end, isAllDay: false,
    location: { displayName: '', locationType: 'default', uniqueIdType: 'unknown' }, attendees: [],
    organizer: { emailAddress: { name: owner.displayName, address: owner.email } }, isOrganizer: true,
    ...onlineMeeting(false), showAs: 'busy', importance: 'normal', sensitivity: 'normal', isCancelled: false, isReminderOn: true,
    reminderMinutesBeforeStart: 15, responseRequested: true, responseStatus: { response: 'organizer', time: ZERO_TIME }, categories: [],
    recurrence: null, deletedOccurrenceDays: [], exceptions: {}, iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(28).toString('hex').toUpperCase()}`,
    changeKey: newChangeKey(), createdDateTime: now, lastModifiedDateTime: now,
    ...changes,
  };
  validateEventShape(event);
  return event;
}
