// Which events a calendarView window shows: single instances and expanded occurrences that overlap it, in order.
// https://learn.microsoft.com/graph/api/user-list-calendarview
import type { Request } from 'express';
import { graphFailures } from './graph-errors';
import { instantOf } from './event-json';
import type { Mailbox, StoredEvent } from './mailbox-store';
import { parseWindowBound, queryParam, type Paging } from './query-options';
import { dayNumberOf, expandSeries, type Occurrence } from './recurrence';

/** Graph refuses windows longer than 1825 days (observed: docs-contrib#6321). */
export const MAX_WINDOW_DAYS = 1825;
const DAY_MS = 86_400_000;

export interface ViewItem {
  event: StoredEvent;
  occurrence?: Occurrence;
  startMs: number;
  endMs: number;
}

export function readWindow(req: Request): { startMs: number; endMs: number } {
  const start = queryParam(req, 'startDateTime');
  const end = queryParam(req, 'endDateTime');
  if (!start || !end) {
    throw graphFailures.invalidParameter('This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
  }
  const startMs = parseWindowBound(start, 'startDateTime');
  const endMs = parseWindowBound(end, 'endDateTime');
  if (endMs - startMs > MAX_WINDOW_DAYS * DAY_MS) {
    throw graphFailures.invalidRequest(`The value of the parameter 'EndDateTime' is greater than the allowed range. Maximum number of days: ${MAX_WINDOW_DAYS}`);
  }
  if (endMs < startMs) throw graphFailures.invalidRequest("The parameter 'EndDateTime' must be later than 'StartDateTime'.");
  return { startMs, endMs };
}

const overlaps = (item: ViewItem, startMs: number, endMs: number) =>
  item.startMs < endMs && (item.endMs > startMs || (item.endMs === item.startMs && item.startMs >= startMs));

export function itemsInWindow(mailbox: Mailbox, calendarId: string, startMs: number, endMs: number): ViewItem[] {
  const lastDay = Math.floor(endMs / DAY_MS) + 2; // local dates may run ahead of UTC
  const items: ViewItem[] = [];
  for (const event of mailbox.eventsIn(calendarId)) {
    if (!event.recurrence) {
      items.push({ event, startMs: instantOf(event.start), endMs: instantOf(event.end) });
      continue;
    }
    if (dayNumberOf(event.recurrence.range.startDate) > lastDay) continue;
    for (const occurrence of expandSeries(event, lastDay)) {
      items.push({ event, occurrence, startMs: instantOf(occurrence.start), endMs: instantOf(occurrence.end) });
    }
  }
  return items.filter((item) => overlaps(item, startMs, endMs));
}

function sortValue(item: ViewItem, field: string): number | string {
  const effective = { ...item.event, ...item.occurrence?.override };
  switch (field) {
    case 'end/dateTime': return item.endMs;
    case 'subject': return effective.subject.toLowerCase();
    case 'createdDateTime': return effective.createdDateTime;
    case 'lastModifiedDateTime': return effective.lastModifiedDateTime;
    default: return item.startMs;
  }
}

export function sortItems(items: ViewItem[], orderBy: Paging['orderBy']): ViewItem[] {
  const field = orderBy?.field ?? 'start/dateTime';
  const direction = orderBy?.isDescending ? -1 : 1;
  return [...items].sort((a, b) => {
    const left = sortValue(a, field);
    const right = sortValue(b, field);
    return (left < right ? -1 : left > right ? 1 : a.startMs - b.startMs) * direction;
  });
}
