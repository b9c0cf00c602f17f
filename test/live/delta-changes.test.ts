// Which store changes a delta round makes, and which stored events a calendarView window shows.
import type { GraphEvent } from '../../src/calendar/event.mapper';
import { fullResyncChanges, hasFloatingEventNearBounds, incrementalChanges, inViewOrder, overlaps, type DeltaItem } from '../../src/live/delta-changes';

const at = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });
const event = (id: string, start: string, end: string, changeKey = `${id}-1`, extra: Partial<GraphEvent> = {}): GraphEvent =>
  ({ id, subject: id, start: at(start), end: at(end), changeKey, ...extra });
const window = { windowStart: Date.parse('2030-01-01T00:00:00Z'), windowEnd: Date.parse('2030-02-01T00:00:00Z') };
const stored = (...events: GraphEvent[]) => new Map(events.map((item) => [item.id, item]));
const removed = (id: string): DeltaItem => ({ id, '@removed': { reason: 'deleted' } } as DeltaItem);

describe('overlaps', () => {
  it.each([
    ['inside', '2030-01-02T09:00:00', '2030-01-02T10:00:00', true],
    ['ending at the window start', '2029-12-31T23:00:00', '2030-01-01T00:00:00', false],
    ['starting at the window end', '2030-02-01T00:00:00', '2030-02-01T01:00:00', false],
    ['spanning the window', '2029-12-01T00:00:00', '2030-03-01T00:00:00', true],
    ['zero length at the start', '2030-01-01T00:00:00', '2030-01-01T00:00:00', true],
  ])('%s: %s', (_name, start, end, expected) => {
    expect(overlaps(event('e', start, end), window.windowStart, window.windowEnd)).toBe(expected);
  });

  it('reads a time in the zone it names', () => {
    const paris = { ...event('e', '2030-01-01T00:30:00', '2030-01-01T00:45:00'), start: { dateTime: '2030-01-01T00:30:00', timeZone: 'Europe/Paris' }, end: { dateTime: '2030-01-01T00:45:00', timeZone: 'Europe/Paris' } };
    expect(overlaps(paris, window.windowStart, window.windowEnd)).toBe(false);
  });
});

describe('incrementalChanges', () => {
  it.each<[string, Map<string, GraphEvent>, DeltaItem[], Array<[string, string]>]>([
    ['a new event is created', stored(), [event('a', '2030-01-02T09:00:00', '2030-01-02T10:00:00')], [['CREATED', 'a']]],
    ['a new changeKey is an update', stored(event('a', '2030-01-02T09:00:00', '2030-01-02T10:00:00')), [event('a', '2030-01-02T09:00:00', '2030-01-02T11:00:00', 'a-2')], [['UPDATED', 'a']]],
    ['the stored changeKey again changes nothing (redelivery)', stored(event('a', '2030-01-02T09:00:00', '2030-01-02T10:00:00')), [event('a', '2030-01-02T09:00:00', '2030-01-02T10:00:00')], []],
    ['@removed of a stored event deletes it', stored(event('a', '2030-01-02T09:00:00', '2030-01-02T10:00:00')), [removed('a')], [['DELETED', 'a']]],
    ['@removed of an unknown event is nothing', stored(), [removed('x')], []],
    ['an event moved out of the window is deleted', stored(event('a', '2030-01-02T09:00:00', '2030-01-02T10:00:00')), [event('a', '2031-01-02T09:00:00', '2031-01-02T10:00:00', 'a-2')], [['DELETED', 'a']]],
    ['an event outside the window never stored is nothing', stored(), [event('a', '2031-01-02T09:00:00', '2031-01-02T10:00:00')], []],
    ['created then updated in one round stays created', stored(), [event('a', '2030-01-02T09:00:00', '2030-01-02T10:00:00'), event('a', '2030-01-02T09:00:00', '2030-01-02T11:00:00', 'a-2')], [['CREATED', 'a']]],
    ['created then removed in one round is nothing', stored(), [event('a', '2030-01-02T09:00:00', '2030-01-02T10:00:00'), removed('a')], []],
  ])('%s', (_name, before, items, expected) => {
    expect(incrementalChanges(before, items, window).map((change) => [change.kind, change.eventId])).toEqual(expected);
  });

  it('stores events without delta annotations', () => {
    const [change] = incrementalChanges(stored(), [{ ...event('a', '2030-01-02T09:00:00', '2030-01-02T10:00:00'), '@odata.etag': 'W/"x"' } as DeltaItem], window);
    expect(Object.keys(change.event!).some((key) => key.startsWith('@'))).toBe(false);
  });
});

describe('fullResyncChanges', () => {
  it('reports exactly the difference between the store and a fresh read', () => {
    const before = stored(event('kept', '2030-01-02T09:00:00', '2030-01-02T10:00:00'), event('changed', '2030-01-03T09:00:00', '2030-01-03T10:00:00'), event('gone', '2030-01-04T09:00:00', '2030-01-04T10:00:00'));
    const fresh = [event('kept', '2030-01-02T09:00:00', '2030-01-02T10:00:00'), event('changed', '2030-01-03T09:00:00', '2030-01-03T10:00:00', 'changed-2'), event('new', '2030-01-05T09:00:00', '2030-01-05T10:00:00')];
    expect(fullResyncChanges(before, fresh, window).map((change) => [change.kind, change.eventId])).toEqual([['UPDATED', 'changed'], ['CREATED', 'new'], ['DELETED', 'gone']]);
  });
});

describe('inViewOrder', () => {
  it('orders by start, then end, then id', () => {
    const events = [event('c', '2030-01-02T10:00:00', '2030-01-02T11:00:00'), event('b', '2030-01-02T09:00:00', '2030-01-02T12:00:00'), event('a', '2030-01-02T09:00:00', '2030-01-02T12:00:00'), event('d', '2030-01-02T09:00:00', '2030-01-02T09:30:00')];
    expect(inViewOrder(events).map((item) => item.id)).toEqual(['d', 'a', 'b', 'c']);
  });
});

describe('hasFloatingEventNearBounds', () => {
  it('flags an all-day event within a day of a bound, and only that', () => {
    const allDay = (day: string) => event(day, `${day}T00:00:00`, `${day}T00:00:00`, 'k', { isAllDay: true });
    expect(hasFloatingEventNearBounds([allDay('2030-01-01')], window.windowStart, window.windowEnd)).toBe(true);
    expect(hasFloatingEventNearBounds([allDay('2030-01-15')], window.windowStart, window.windowEnd)).toBe(false);
  });
});
