// Renders stored events as Graph returns them: field names, 7-digit times in the preferred zone, etags, occurrences.
// https://learn.microsoft.com/graph/api/resources/event
import { instantToLocal, localToInstant } from '../../common/time-zones';
import { occurrenceId } from '../ids';
import type { DateTimeTimeZone, StoredEvent } from './mailbox-store';
import { betaOccurrenceId, recurrenceJson, type Occurrence } from './recurrence';

export interface RenderContext {
  /** Zone named in `Prefer: outlook.timezone`, else 'UTC'. */
  timeZone: string;
  /** Fields that replace the event's own (values Microsoft may add later, set through the control surface). */
  overrides?: Record<string, unknown>;
  /** 'v1.0' or 'beta': beta events carry uid, occurrenceId and a master's cancelledOccurrences. */
  apiVersion?: string;
  /** From `Prefer: outlook.body-content-type`; Graph answers with HTML bodies unless text is asked for. */
  bodyContentType?: 'html' | 'text';
}

/** createdDateTime style: UTC with seven fractional digits and 'Z'. */
export const graphUtcTimestamp = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

export function instantOf(value: DateTimeTimeZone): number {
  return localToInstant(value.dateTime, value.timeZone).getTime();
}

function inZone(value: DateTimeTimeZone, isAllDay: boolean, timeZone: string): DateTimeTimeZone {
  // All-day events float: midnight to midnight wherever they are shown.
  if (isAllDay) return { dateTime: value.dateTime, timeZone };
  return { dateTime: instantToLocal(new Date(instantOf(value)), timeZone), timeZone };
}

export function bodyPreview(body: { content: string }): string {
  const text = body.content.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
  return text.slice(0, 255);
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, '<br>\r\n');

/** A body in the content type asked for, converted the way Exchange does: text wrapped in an HTML document, HTML stripped to text. */
function bodyAs(body: StoredEvent['body'], contentType: 'html' | 'text'): StoredEvent['body'] {
  if (body.contentType === contentType) return body;
  if (contentType === 'text') return { contentType, content: htmlToText(body.content) };
  const content = `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n${escapeHtml(body.content)}\r\n</body>\r\n</html>\r\n`;
  return { contentType, content: body.content ? content : '' };
}

function htmlToText(html: string): string {
  return html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>/gi, '\n').replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\r/g, '').replace(/\n{3,}/g, '\n\n').trim();
}

function occurrenceView(master: StoredEvent, occurrence: Occurrence): { id: string; event: StoredEvent; type: string } {
  const event: StoredEvent = { ...master, ...occurrence.override, start: occurrence.start, end: occurrence.end };
  return { id: occurrenceId(master.id, occurrence.day), event, type: occurrence.override ? 'exception' : 'occurrence' };
}

/** Graph JSON of an event, or of one occurrence of a series when `occurrence` is given. */
export function eventJson(stored: StoredEvent, context: RenderContext, occurrence?: Occurrence): Record<string, unknown> {
  const view = occurrence ? occurrenceView(stored, occurrence) : { id: stored.id, event: stored, type: stored.recurrence ? 'seriesMaster' : 'singleInstance' };
  const { event } = view;
  return {
    '@odata.etag': `W/"${event.changeKey}"`,
    id: view.id,
    createdDateTime: graphUtcTimestamp(event.createdDateTime),
    lastModifiedDateTime: graphUtcTimestamp(event.lastModifiedDateTime),
    changeKey: event.changeKey,
    categories: event.categories,
    ...(event.transactionId ? { transactionId: event.transactionId } : {}),
    originalStartTimeZone: stored.start.timeZone,
    originalEndTimeZone: stored.end.timeZone,
    iCalUId: occurrence ? `${event.iCalUId}${String(occurrence.day).padStart(8, '0')}` : event.iCalUId,
    reminderMinutesBeforeStart: event.reminderMinutesBeforeStart,
    isReminderOn: event.isReminderOn,
    hasAttachments: false,
    subject: event.subject,
    bodyPreview: bodyPreview(event.body),
    importance: event.importance,
    sensitivity: event.sensitivity,
    isAllDay: event.isAllDay,
    isCancelled: event.isCancelled,
    isOrganizer: event.isOrganizer,
    responseRequested: event.responseRequested,
    seriesMasterId: occurrence ? stored.id : null,
    showAs: event.showAs,
    type: view.type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(view.id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: event.isOnlineMeeting,
    onlineMeetingProvider: event.onlineMeetingProvider,
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: event.responseStatus,
    body: bodyAs(event.body, context.bodyContentType ?? 'html'),
    start: inZone(event.start, event.isAllDay, context.timeZone),
    end: inZone(event.end, event.isAllDay, context.timeZone),
    location: event.location,
    locations: event.location.displayName ? [event.location] : [],
    recurrence: !occurrence && event.recurrence ? recurrenceJson(event.recurrence, stored.start.timeZone) : null,
    // Edm.DateTimeOffset in UTC: where the occurrence sits in its series, even after an exception moved it.
    ...(occurrence ? { originalStart: new Date(occurrence.originalStartMs).toISOString().replace(/\.000Z$/, 'Z') } : {}),
    ...(context.apiVersion === 'beta' ? betaFields(stored, occurrence) : {}),
    attendees: event.attendees,
    organizer: event.organizer,
    onlineMeeting: event.onlineMeeting,
    ...context.overrides,
  };
}

/** Beta only: uid shared by a whole series, occurrenceId of an occurrence, and the occurrences removed from a series. */
function betaFields(stored: StoredEvent, occurrence: Occurrence | undefined): Record<string, unknown> {
  return {
    uid: stored.iCalUId,
    occurrenceId: occurrence ? betaOccurrenceId(stored.id, occurrence.day) : null,
    ...(!occurrence && stored.recurrence ? { cancelledOccurrences: stored.deletedOccurrenceDays.map((day) => betaOccurrenceId(stored.id, day)) } : {}),
  };
}

/** $select: the listed properties plus the ones Graph always returns (etag and id). */
export function selectFields(json: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return json;
  const wanted = new Set(select.map((name) => name.toLowerCase()));
  return Object.fromEntries(Object.entries(json).filter(([name]) => name === '@odata.etag' || name === 'id' || wanted.has(name.toLowerCase())));
}
