// The calendar's argument rules, run through the validation seam as a request's arguments would be.
import { AttendeeInput, CreateEventArgs, CreateEventInput, DeleteEventArgs, EventArgs, EventsArgs, EventTimeInput, UpdateEventArgs, UpdateEventInput } from '../../src/calendar/calendar.inputs';
import { inputValidator } from '../../src/graphql/input-validation';

const validateArgs = inputValidator({ allowedReturnOrigins: [] });

/** As type-graphql hands them over: class instances all the way down. */
const time = (dateTime: string, timeZone: string) => Object.assign(new EventTimeInput(), { dateTime, timeZone });
const attendee = (email: string, name?: string) => Object.assign(new AttendeeInput(), { email, name });
const createArgs = (change: Partial<CreateEventInput> = {}) => Object.assign(new CreateEventArgs(), {
  input: Object.assign(new CreateEventInput(), {
    subject: 'Planning', start: time('2026-01-20T09:00:00', 'Europe/Paris'), end: time('2026-01-20T10:00:00', 'Europe/Paris'), ...change,
  }),
});

/** The `fields` of the BAD_USER_INPUT the arguments get, or [] when they pass. */
async function failingFields(args: object): Promise<string[]> {
  try {
    await validateArgs(args);
    return [];
  } catch (error) {
    const extensions = (error as { extensions?: { code?: string; field?: string; fields?: Array<{ field: string }> } }).extensions;
    if (extensions?.code !== 'BAD_USER_INPUT') throw error;
    expect(extensions.field).toBe(extensions.fields![0].field);
    return extensions.fields!.map((failure) => failure.field);
  }
}

describe('createEvent arguments', () => {
  it('accepts a plain event', async () => {
    expect(await failingFields(createArgs())).toEqual([]);
  });

  it.each<[string, Partial<CreateEventInput>, string]>([
    ['an empty subject', { subject: '' }, 'input.subject'],
    ['a blank subject', { subject: '   ' }, 'input.subject'],
    ['a subject of 256 characters', { subject: 'x'.repeat(256) }, 'input.subject'],
    ['a body over 64 KiB', { body: 'x'.repeat(64 * 1024 + 1) }, 'input.body'],
    ['a body over 64 KiB in UTF-8 bytes', { body: 'é'.repeat(32 * 1024 + 1) }, 'input.body'],
    ['a location of 256 characters', { location: 'x'.repeat(256) }, 'input.location'],
    ['501 attendees', { attendees: Array.from({ length: 501 }, (_, i) => attendee(`a${i}@example.com`)) }, 'input.attendees'],
    ['a bad attendee email', { attendees: [attendee('sam@example.com'), attendee('not-an-email')] }, 'input.attendees[1].email'],
    ['an attendee email with spaces', { attendees: [attendee('sam smith@example.com')] }, 'input.attendees[0].email'],
    ['a long attendee name', { attendees: [attendee('sam@example.com', 'x'.repeat(256))] }, 'input.attendees[0].name'],
    ['30 February', { start: time('2026-02-30T09:00:00', 'UTC') }, 'input.start.dateTime'],
    ['an offset in dateTime', { start: time('2026-01-20T09:00:00+01:00', 'UTC') }, 'input.start.dateTime'],
    ['hour 24', { end: time('2026-01-20T24:00:00', 'UTC') }, 'input.end.dateTime'],
    ['an unknown zone', { start: time('2026-01-20T09:00:00', 'Mars/Olympus') }, 'input.start.timeZone'],
    ['an offset as zone', { end: time('2026-01-20T10:00:00', '+01:00') }, 'input.end.timeZone'],
    ['end equal to start', { end: time('2026-01-20T09:00:00', 'Europe/Paris') }, 'input.end'],
    ['end before start as instants', { end: time('2026-01-20T07:30:00', 'UTC') }, 'input.end'],
    ['a malformed calendarId', { calendarId: '../me/messages' }, 'input.calendarId'],
    ['an all-day event not at midnight', { isAllDay: true }, 'input.isAllDay'],
  ])('refuses %s', async (_name, change, field) => {
    expect(await failingFields(createArgs(change))).toEqual([field]);
  });

  it('reports every failing input at once, in the order the input declares them', async () => {
    const args = createArgs({ subject: ' ', start: time('2026-02-30T09:00:00', 'UTC'), end: time('2026-01-20T10:00:00', 'Atlantis'), attendees: [attendee('nobody')] });
    expect(await failingFields(args)).toEqual(['input.subject', 'input.start.dateTime', 'input.end.timeZone', 'input.attendees[0].email']);
  });

  it('prefixes each message with its input path', async () => {
    const failure = await validateArgs(createArgs({ subject: '' })).catch((error) => error);
    expect(failure.extensions.fields).toEqual([{ field: 'input.subject', message: 'input.subject must be 1 to 255 characters after trimming.' }]);
    expect(failure.message).toBe('input.subject must be 1 to 255 characters after trimming.');
  });

  it('compares start and end as instants across zones', async () => {
    // 09:00 Paris is 08:00 UTC, so an end at 08:30 UTC is after it.
    expect(await failingFields(createArgs({ end: time('2026-01-20T08:30:00', 'UTC') }))).toEqual([]);
  });

  it('accepts 500 attendees and a 255-character subject', async () => {
    const attendees = Array.from({ length: 500 }, (_, i) => attendee(`a${i}@example.com`));
    expect(await failingFields(createArgs({ subject: `  ${'x'.repeat(255)}  `, attendees }))).toEqual([]);
  });
});

describe('updateEvent and deleteEvent arguments', () => {
  const updateArgs = (id: string, change: Partial<UpdateEventInput>, changeKey?: string) =>
    Object.assign(new UpdateEventArgs(), { id, changeKey, input: Object.assign(new UpdateEventInput(), change) });

  it('accepts an empty change', async () => {
    expect(await failingFields(updateArgs('AAMk', {}))).toEqual([]);
  });

  it.each<[string, Partial<UpdateEventInput>, string]>([
    ['a blank subject', { subject: ' ' }, 'input.subject'],
    ['29 February in a common year', { start: time('2027-02-29T09:00:00', 'UTC') }, 'input.start.dateTime'],
    ['end before start', { start: time('2026-01-20T10:00:00', 'UTC'), end: time('2026-01-20T09:00:00', 'UTC') }, 'input.end'],
  ])('refuses %s', async (_name, change, field) => {
    expect(await failingFields(updateArgs('AAMk', change))).toEqual([field]);
  });

  it('reports a bad id, changeKey and input together', async () => {
    expect(await failingFields(updateArgs('../me', { subject: '' }, 'W/"x"'))).toEqual(['input.subject', 'id', 'changeKey']);
  });

  it.each(['', 'a"b', 'x'.repeat(513)])('refuses the changeKey %p', async (changeKey) => {
    expect(await failingFields(Object.assign(new DeleteEventArgs(), { id: 'AAMk', changeKey }))).toEqual(['changeKey']);
  });
});

describe('event and events arguments', () => {
  it.each([
    ['AAMkAGI1AAAt9AHjAAA=', []],
    ['AAMkAG_-x+y=', []],
    // Graph's standard-base64 ids carry '/' and '+'; encodeGraphId keeps them inside one path segment.
    ['AAMkAGI2/x+y==', []],
    ['a/b', []],
    ['', ['id']],
    ['../me', ['id']],
    ['a b', ['id']],
    ['a?x=1', ['id']],
    ['x'.repeat(1025), ['id']],
  ])('event(id: %p)', async (id, fields) => {
    expect(await failingFields(Object.assign(new EventArgs(), { id }))).toEqual(fields);
  });

  it.each(['UTC', 'Europe/Paris', 'America/New_York'])('accepts the time zone %p', async (timeZone) => {
    expect(await failingFields(Object.assign(new EventArgs(), { id: 'AAMk', timeZone }))).toEqual([]);
  });

  it.each(['Nowhere/City', '', '"; drop', 'UTC+1'])('refuses the time zone %p', async (timeZone) => {
    expect(await failingFields(Object.assign(new EventArgs(), { id: 'AAMk', timeZone }))).toEqual(['timeZone']);
  });

  const window = (start: string, end: string, more: Partial<EventsArgs> = {}) =>
    Object.assign(new EventsArgs(), { start: new Date(start), end: new Date(end), ...more });

  it.each<[string, string, string[]]>([
    ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', []],
    ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ['end']],
    ['2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z', ['end']],
    ['2026-01-01T00:00:00Z', '2030-12-31T00:00:00Z', []],
    ['2026-01-01T00:00:00Z', '2031-01-02T00:00:00Z', ['end']],
  ])('events(start: %s, end: %s)', async (start, end, fields) => {
    expect(await failingFields(window(start, end))).toEqual(fields);
  });

  it.each([[1, []], [200, []], [0, ['first']], [-1, ['first']], [201, ['first']], [1.5, ['first']]])('events(first: %p)', async (first, fields) => {
    expect(await failingFields(window('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', { first: first as number }))).toEqual(fields);
  });

  it('reports a bad window, calendar id, zone and page size together', async () => {
    const args = window('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z', { calendarId: 'a b', timeZone: 'Nowhere', first: 0 });
    expect((await failingFields(args)).sort()).toEqual(['calendarId', 'end', 'first', 'timeZone']);
  });
});
