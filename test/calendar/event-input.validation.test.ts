import type { CreateEventInput } from '../../src/calendar/calendar.inputs';
import {
  checkCreateEventInput, checkGraphId, checkPageSize, checkTimeZone, checkUpdateEventInput, checkWindow,
} from '../../src/calendar/event-input.validation';

const valid = (): CreateEventInput => ({
  subject: 'Planning',
  start: { dateTime: '2026-01-20T09:00:00', timeZone: 'Europe/Paris' },
  end: { dateTime: '2026-01-20T10:00:00', timeZone: 'Europe/Paris' },
});

const fieldOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
    return extensions?.code === 'BAD_USER_INPUT' ? extensions.field : `unexpected ${String(extensions?.code)}`;
  }
  return undefined;
};

describe('checkCreateEventInput', () => {
  it('accepts a plain event', () => {
    expect(fieldOf(() => checkCreateEventInput(valid()))).toBeUndefined();
  });

  it.each<[string, Partial<CreateEventInput>, string]>([
    ['an empty subject', { subject: '' }, 'input.subject'],
    ['a blank subject', { subject: '   ' }, 'input.subject'],
    ['a subject of 256 characters', { subject: 'x'.repeat(256) }, 'input.subject'],
    ['a body over 64 KiB', { body: 'x'.repeat(64 * 1024 + 1) }, 'input.body'],
    ['a body over 64 KiB in UTF-8 bytes', { body: 'é'.repeat(32 * 1024 + 1) }, 'input.body'],
    ['a location of 256 characters', { location: 'x'.repeat(256) }, 'input.location'],
    ['501 attendees', { attendees: Array.from({ length: 501 }, (_, i) => ({ email: `a${i}@example.com` })) }, 'input.attendees'],
    ['a bad attendee email', { attendees: [{ email: 'sam@example.com' }, { email: 'not-an-email' }] }, 'input.attendees[1].email'],
    ['an attendee email with spaces', { attendees: [{ email: 'sam smith@example.com' }] }, 'input.attendees[0].email'],
    ['30 February', { start: { dateTime: '2026-02-30T09:00:00', timeZone: 'UTC' } }, 'input.start.dateTime'],
    ['an offset in dateTime', { start: { dateTime: '2026-01-20T09:00:00+01:00', timeZone: 'UTC' } }, 'input.start.dateTime'],
    ['hour 24', { end: { dateTime: '2026-01-20T24:00:00', timeZone: 'UTC' } }, 'input.end.dateTime'],
    ['an unknown zone', { start: { dateTime: '2026-01-20T09:00:00', timeZone: 'Mars/Olympus' } }, 'input.start.timeZone'],
    ['an offset as zone', { end: { dateTime: '2026-01-20T10:00:00', timeZone: '+01:00' } }, 'input.end.timeZone'],
    ['end equal to start', { end: { dateTime: '2026-01-20T09:00:00', timeZone: 'Europe/Paris' } }, 'input.end'],
    ['end before start as instants', { end: { dateTime: '2026-01-20T07:30:00', timeZone: 'UTC' } }, 'input.end'],
    ['a malformed calendarId', { calendarId: '../me/messages' }, 'input.calendarId'],
    ['an all-day event not at midnight', { isAllDay: true }, 'input.isAllDay'],
  ])('refuses %s', (_name, change, field) => {
    expect(fieldOf(() => checkCreateEventInput({ ...valid(), ...change }))).toBe(field);
  });

  it('compares start and end as instants across zones', () => {
    // 09:00 Paris is 08:00 UTC, so an end at 08:30 UTC is after it.
    expect(fieldOf(() => checkCreateEventInput({ ...valid(), end: { dateTime: '2026-01-20T08:30:00', timeZone: 'UTC' } }))).toBeUndefined();
  });

  it('accepts 500 attendees and a 255-character subject', () => {
    const attendees = Array.from({ length: 500 }, (_, i) => ({ email: `a${i}@example.com` }));
    expect(fieldOf(() => checkCreateEventInput({ ...valid(), subject: `  ${'x'.repeat(255)}  `, attendees }))).toBeUndefined();
  });
});

describe('checkUpdateEventInput', () => {
  it('accepts an empty change', () => {
    expect(fieldOf(() => checkUpdateEventInput({}))).toBeUndefined();
  });

  it.each<[string, object, string]>([
    ['a blank subject', { subject: ' ' }, 'input.subject'],
    ['29 February in a common year', { start: { dateTime: '2027-02-29T09:00:00', timeZone: 'UTC' } }, 'input.start.dateTime'],
    ['end before start', {
      start: { dateTime: '2026-01-20T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-01-20T09:00:00', timeZone: 'UTC' },
    }, 'input.end'],
  ])('refuses %s', (_name, input, field) => {
    expect(fieldOf(() => checkUpdateEventInput(input))).toBe(field);
  });
});

describe('argument checks', () => {
  it.each([
    ['AAMkAGI1AAAt9AHjAAA=', undefined],
    ['AAMkAG_-x+y=', undefined],
    // Graph's standard-base64 ids carry '/' and '+'; encodeGraphId keeps them inside one path segment.
    ['AAMkAGI2/x+y==', undefined],
    ['a/b', undefined],
    ['', 'id'],
    ['../me', 'id'],
    ['a b', 'id'],
    ['a?x=1', 'id'],
    ['x'.repeat(1025), 'id'],
  ])('checkGraphId(%p)', (id, field) => {
    expect(fieldOf(() => checkGraphId('id', id))).toBe(field);
  });

  it.each([[undefined, 50], [null, 50], [1, 1], [200, 200]])('checkPageSize(%p) is %p', (first, expected) => {
    expect(checkPageSize(first)).toBe(expected);
  });

  it.each([0, -1, 201, 1.5])('checkPageSize refuses %p', (first) => {
    expect(fieldOf(() => checkPageSize(first))).toBe('first');
  });

  it.each(['UTC', 'Europe/Paris', 'America/New_York'])('checkTimeZone accepts %p', (zone) => {
    expect(fieldOf(() => checkTimeZone('timeZone', zone))).toBeUndefined();
  });

  it.each(['Nowhere/City', '', '"; drop', 'UTC+1'])('checkTimeZone refuses %p', (zone) => {
    expect(fieldOf(() => checkTimeZone('timeZone', zone))).toBe('timeZone');
  });

  it.each<[string, string, string | undefined]>([
    ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', undefined],
    ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'end'],
    ['2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z', 'end'],
    ['2026-01-01T00:00:00Z', '2030-12-31T00:00:00Z', undefined],
    ['2026-01-01T00:00:00Z', '2031-01-02T00:00:00Z', 'end'],
  ])('checkWindow(%s, %s)', (start, end, field) => {
    expect(fieldOf(() => checkWindow(new Date(start), new Date(end)))).toBe(field);
  });
});
