// Pure rules of a synced window: which delta items change the store, which stored events a calendarView would show, in order.
// https://learn.microsoft.com/graph/api/event-delta
import { localToInstant } from '../common/time-zones';
import type { GraphEvent } from '../calendar/event.mapper';
import type { ChangeKindName } from './change-feed';

/** A delta page item: an event, or `{ id, '@removed': { reason } }`. */
export type DeltaItem = GraphEvent & { '@removed'?: { reason?: string } };

export interface SyncWindow {
  windowStart: number;
  windowEnd: number;
}

export interface EventChange {
  kind: ChangeKindName;
  eventId: string;
  event: GraphEvent | null;
}

const DAY_MS = 86_400_000;

export function instantOf(time: { dateTime: string; timeZone: string }): number {
  return localToInstant(time.dateTime, time.timeZone || 'UTC').getTime();
}

/** calendarView's rule: an event shows when it overlaps the window; a zero-length one when it starts inside it. */
export function overlaps(event: GraphEvent, startMs: number, endMs: number): boolean {
  const eventStart = instantOf(event.start);
  const eventEnd = instantOf(event.end);
  return eventStart < endMs && (eventEnd > startMs || (eventEnd === eventStart && eventStart >= startMs));
}

/** The order calendarView answers with $orderby=start/dateTime; ties by end, then id, so pages never shift. */
export function inViewOrder(events: GraphEvent[]): GraphEvent[] {
  return events
    .map((event) => ({ event, start: instantOf(event.start), end: instantOf(event.end) }))
    .sort((a, b) => a.start - b.start || a.end - b.end || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0))
    .map(({ event }) => event);
}

/**
 * All-day events float (midnight to midnight in whatever zone they are shown), so whether one near a window bound
 * shows depends on a zone the store does not keep: such windows are read from Graph.
 */
export function hasFloatingEventNearBounds(events: GraphEvent[], startMs: number, endMs: number): boolean {
  return events.some((event) => event.isAllDay && [startMs, endMs].some((bound) => Math.abs(instantOf(event.start) - bound) <= DAY_MS || Math.abs(instantOf(event.end) - bound) <= DAY_MS));
}

/**
 * The changes an incremental round's items make to the stored window. Removals and events that left the window delete
 * what is stored; an item whose changeKey is the one stored changes nothing (a redelivered or already-applied change).
 */
export function incrementalChanges(stored: ReadonlyMap<string, GraphEvent>, items: DeltaItem[], window: SyncWindow): EventChange[] {
  const changes: EventChange[] = [];
  const current = new Map(stored);
  for (const item of items) {
    const before = current.get(item.id);
    const isGone = item['@removed'] !== undefined || !overlaps(item, window.windowStart, window.windowEnd);
    if (isGone) {
      if (before) changes.push({ kind: 'DELETED', eventId: item.id, event: null });
      current.delete(item.id);
      continue;
    }
    const event = withoutDeltaAnnotations(item);
    current.set(item.id, event);
    if (before && isSameVersion(before, event)) continue;
    changes.push({ kind: before ? 'UPDATED' : 'CREATED', eventId: item.id, event });
  }
  return collapse(changes);
}

/** A full read against what was stored: the difference, so a resync after a gap neither loses nor repeats a change. */
export function fullResyncChanges(stored: ReadonlyMap<string, GraphEvent>, items: DeltaItem[], window: SyncWindow): EventChange[] {
  const fresh = new Map<string, GraphEvent>();
  for (const item of items) {
    if (item['@removed'] === undefined && overlaps(item, window.windowStart, window.windowEnd)) fresh.set(item.id, withoutDeltaAnnotations(item));
  }
  const changes: EventChange[] = [];
  for (const [eventId, event] of fresh) {
    const before = stored.get(eventId);
    if (!before) changes.push({ kind: 'CREATED', eventId, event });
    else if (!isSameVersion(before, event)) changes.push({ kind: 'UPDATED', eventId, event });
  }
  for (const eventId of stored.keys()) if (!fresh.has(eventId)) changes.push({ kind: 'DELETED', eventId, event: null });
  return changes;
}

/** The events a full read leaves in the window. */
export function windowEvents(items: DeltaItem[], window: SyncWindow): GraphEvent[] {
  return items.filter((item) => item['@removed'] === undefined && overlaps(item, window.windowStart, window.windowEnd)).map(withoutDeltaAnnotations);
}

/** One change per event and round: the last one, except that a creation later updated stays a creation. */
function collapse(changes: EventChange[]): EventChange[] {
  const byId = new Map<string, EventChange>();
  for (const change of changes) {
    const earlier = byId.get(change.eventId);
    byId.delete(change.eventId);
    if (earlier?.kind === 'CREATED' && change.kind === 'UPDATED') byId.set(change.eventId, { ...change, kind: 'CREATED' });
    else if (!(earlier?.kind === 'CREATED' && change.kind === 'DELETED')) byId.set(change.eventId, change);
  }
  return [...byId.values()];
}

function isSameVersion(before: GraphEvent, after: GraphEvent): boolean {
  return before.changeKey != null && before.changeKey === after.changeKey;
}

function withoutDeltaAnnotations(item: DeltaItem): GraphEvent {
  const event: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!key.startsWith('@')) event[key] = value;
  return event as unknown as GraphEvent;
}
