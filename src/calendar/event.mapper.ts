// Translates between Graph's calendar and event JSON and the gateway's GraphQL types, in both directions.
import { AttendeeType, BodyType } from '../graphql/enums';
import type { AttendeeInput, CreateEventInput, EventTimeInput, UpdateEventInput } from './calendar.inputs';
import type { Attendee, Calendar, EmailAddress, Event, EventTime } from './calendar.types';
import { EventType, fromGraphValue, Importance, ResponseStatus, ShowAs } from './calendar.enums';
import { requestedZone, shownZoneName, type RequestedZone } from './graph-time-zone';
import { toGraphRecurrence, toRecurrence, type GraphRecurrence } from './recurrence.mapper';

/** Fields asked of Graph ($select): only what the API exposes. */
export const EVENT_FIELDS = [
  'id', 'subject', 'bodyPreview', 'body', 'start', 'end', 'isAllDay', 'isCancelled', 'location', 'attendees', 'organizer',
  'isOnlineMeeting', 'onlineMeeting', 'onlineMeetingUrl', 'webLink', 'showAs', 'importance', 'seriesMasterId', 'type', 'changeKey',
  'recurrence', 'originalStart', 'responseStatus',
] as const;
/** calendarView cannot $select these two (they come back on single reads). */
export const EVENT_FIELDS_WITH_TIMESTAMPS = [...EVENT_FIELDS, 'createdDateTime', 'lastModifiedDateTime'] as const;
export const CALENDAR_FIELDS = ['id', 'name', 'color', 'hexColor', 'isDefaultCalendar', 'canEdit', 'owner'] as const;

interface GraphEmailAddress { name?: string | null; address?: string | null }
export interface GraphDateTimeZone { dateTime: string; timeZone: string }

export interface GraphEvent {
  id: string;
  subject?: string | null;
  bodyPreview?: string | null;
  body?: { contentType?: string; content?: string } | null;
  start: GraphDateTimeZone;
  end: GraphDateTimeZone;
  isAllDay?: boolean;
  isCancelled?: boolean;
  location?: { displayName?: string | null } | null;
  attendees?: Array<{ type?: string; emailAddress?: GraphEmailAddress; status?: { response?: string } }> | null;
  organizer?: { emailAddress?: GraphEmailAddress } | null;
  isOnlineMeeting?: boolean;
  onlineMeeting?: { joinUrl?: string | null } | null;
  onlineMeetingUrl?: string | null;
  webLink?: string | null;
  showAs?: string | null;
  importance?: string | null;
  seriesMasterId?: string | null;
  type?: string | null;
  createdDateTime?: string | null;
  lastModifiedDateTime?: string | null;
  changeKey?: string | null;
  recurrence?: GraphRecurrence | null;
  /** Edm.DateTimeOffset (UTC) of an occurrence or exception. */
  originalStart?: string | null;
  responseStatus?: { response?: string | null } | null;
}

export interface GraphCalendar {
  id: string;
  name?: string | null;
  color?: string | null;
  hexColor?: string | null;
  isDefaultCalendar?: boolean;
  canEdit?: boolean;
  owner?: GraphEmailAddress | null;
}

export function toCalendar(calendar: GraphCalendar, defaultCalendarId?: string): Omit<Calendar, 'channel'> {
  return {
    id: calendar.id,
    name: calendar.name ?? '',
    color: calendar.color ?? null,
    hexColor: calendar.hexColor || null,
    isDefault: calendar.isDefaultCalendar ?? calendar.id === defaultCalendarId,
    canEdit: calendar.canEdit ?? false,
    owner: toEmailAddress(calendar.owner),
  };
}

/** The gateway's Event; times carry the caller's name of `zone`, the zone Graph was asked to answer in. */
export function toEvent(event: GraphEvent, zone?: RequestedZone): Event {
  return {
    id: event.id,
    subject: event.subject ?? null,
    bodyPreview: event.bodyPreview ?? null,
    body: event.body ? { contentType: toBodyType(event.body.contentType), content: event.body.content ?? '' } : null,
    start: toEventTime(event.start, zone),
    end: toEventTime(event.end, zone),
    isAllDay: event.isAllDay ?? false,
    isCancelled: event.isCancelled ?? false,
    location: event.location?.displayName || null,
    attendees: (event.attendees ?? []).filter((attendee) => attendee.emailAddress?.address).map(toAttendee),
    organizer: toEmailAddress(event.organizer?.emailAddress),
    isOnlineMeeting: event.isOnlineMeeting ?? false,
    onlineMeetingUrl: event.onlineMeeting?.joinUrl ?? event.onlineMeetingUrl ?? null,
    webLink: event.webLink ?? null,
    showAs: fromGraphValue(ShowAs, event.showAs),
    importance: fromGraphValue(Importance, event.importance),
    seriesMasterId: event.seriesMasterId ?? null,
    type: fromGraphValue(EventType, event.type),
    createdAt: toDate(event.createdDateTime),
    lastModifiedAt: toDate(event.lastModifiedDateTime),
    changeKey: event.changeKey ?? null,
    recurrence: toRecurrence(event.recurrence, zone),
    originalStart: toDate(event.originalStart),
    responseStatus: fromGraphValue(ResponseStatus, event.responseStatus?.response),
    onlineMeetingJoinUrl: event.onlineMeeting?.joinUrl ?? null,
  };
}

/** The body of POST /me/events. */
export function toGraphNewEvent(input: CreateEventInput): Record<string, unknown> {
  const event: Record<string, unknown> = { ...toGraphEventChanges(input), subject: input.subject.trim() };
  if (isGiven(input.recurrence)) {
    // Validated before: the range's zone, or else the start's, is one the gateway accepts.
    event.recurrence = toGraphRecurrence(input.recurrence, requestedZone(input.recurrence.range.recurrenceTimeZone ?? input.start.timeZone)!);
  }
  return event;
}

/** The body of PATCH /me/events/{id}: only the fields the client gave (null counts as not given). */
export function toGraphEventChanges(input: UpdateEventInput): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (isGiven(input.subject)) changes.subject = input.subject.trim();
  if (isGiven(input.body)) changes.body = { contentType: input.bodyType ?? BodyType.TEXT, content: input.body };
  if (isGiven(input.start)) changes.start = toGraphTime(input.start);
  if (isGiven(input.end)) changes.end = toGraphTime(input.end);
  if (isGiven(input.isAllDay)) changes.isAllDay = input.isAllDay;
  if (isGiven(input.location)) changes.location = { displayName: input.location };
  if (isGiven(input.attendees)) changes.attendees = input.attendees.map(toGraphAttendee);
  if (isGiven(input.isOnlineMeeting)) changes.isOnlineMeeting = input.isOnlineMeeting;
  // Graph's documented way to make an event a Teams meeting; it then sets onlineMeeting.joinUrl.
  // https://learn.microsoft.com/graph/api/user-post-events#example-2-create-and-enable-an-event-as-an-online-meeting
  if (input.isOnlineMeeting) changes.onlineMeetingProvider = 'teamsForBusiness';
  return changes;
}

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

function toGraphTime(time: EventTimeInput): GraphDateTimeZone {
  // Validated before: every supported zone has a Windows name, the one kind of name Graph always takes.
  return { dateTime: time.dateTime, timeZone: requestedZone(time.timeZone)!.graphName };
}

export function toEventTime(time: GraphDateTimeZone, zone: RequestedZone | undefined): EventTime {
  return { dateTime: time.dateTime, timeZone: shownZoneName(time.timeZone, zone) };
}

function toGraphAttendee(attendee: AttendeeInput): Record<string, unknown> {
  return {
    emailAddress: { address: attendee.email.trim(), ...(attendee.name ? { name: attendee.name } : {}) },
    type: attendee.type ?? AttendeeType.REQUIRED,
  };
}

function toAttendee(attendee: NonNullable<GraphEvent['attendees']>[number]): Attendee {
  const type = Object.values(AttendeeType).find((value) => value === attendee.type?.toLowerCase()) ?? AttendeeType.REQUIRED;
  return {
    name: attendee.emailAddress?.name ?? null,
    email: attendee.emailAddress!.address!,
    type,
    response: fromGraphValue(ResponseStatus, attendee.status?.response),
  };
}

function toEmailAddress(address: GraphEmailAddress | null | undefined): EmailAddress | null {
  if (!address || (!address.name && !address.address)) return null;
  return { name: address.name ?? null, address: address.address ?? null };
}

function toBodyType(contentType: string | undefined): BodyType {
  return contentType?.toLowerCase() === 'html' ? BodyType.HTML : BodyType.TEXT;
}

function toDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  // Graph may omit the zone on these UTC stamps; read them as UTC.
  const date = new Date(/[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
