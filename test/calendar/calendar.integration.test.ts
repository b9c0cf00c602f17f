// Calendar fields end to end: gateway over HTTP, real msal-node and Graph client, the sandbox standing in for Microsoft.
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { errorCodes, graphql, type GraphQLResponse } from '../support/http';
import { signInAs } from '../support/sign-in';
import { describeEachDatabase } from '../support/databases';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const EVENT_FIELDS = 'id subject start { dateTime timeZone } end { dateTime timeZone } location attendees { email type } body { contentType content } createdAt';
const CREATE = `mutation($channel: Channel, $input: CreateEventInput!) { createEvent(channel: $channel, input: $input) { ${EVENT_FIELDS} } }`;
const UPDATE = `mutation($channel: Channel, $id: ID!, $input: UpdateEventInput!) { updateEvent(channel: $channel, id: $id, input: $input) { ${EVENT_FIELDS} } }`;
const DELETE = 'mutation($channel: Channel, $id: ID!) { deleteEvent(channel: $channel, id: $id) }';
const EVENT = `query($channel: Channel, $id: ID!, $timeZone: String) { event(channel: $channel, id: $id, timeZone: $timeZone) { ${EVENT_FIELDS} } }`;
const EVENTS = `query($channel: Channel, $start: DateTime!, $end: DateTime!, $calendarId: ID, $timeZone: String, $first: Int, $after: String) {
  events(channel: $channel, start: $start, end: $end, calendarId: $calendarId, timeZone: $timeZone, first: $first, after: $after) {
    nodes { id subject start { dateTime timeZone } } pageInfo { hasNextPage endCursor } } }`;
const CALENDAR = 'query($channel: Channel) { calendar(channel: $channel) { defaultCalendar { id name isDefault canEdit } calendars { id name isDefault canEdit owner { address } } } }';

interface EventData { id: string; subject: string; start: { dateTime: string; timeZone: string }; end: { dateTime: string; timeZone: string }; location: string | null }
interface EventsData { events: { nodes: EventData[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }

const eventInput = (subject: string, day: string, hour = '09:00', timeZone = 'Europe/Paris') => ({
  subject, start: { dateTime: `${day}T${hour}:00`, timeZone }, end: { dateTime: `${day}T${String(Number(hour.slice(0, 2)) + 1).padStart(2, '0')}:${hour.slice(3)}:00`, timeZone },
});

const extensionsOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions;

describeEachDatabase('calendar over the sandbox', (target) => {
  // Graph's retry budget is spent waiting, not storing: those slow tests run once, on SQLite.
  const itOnce = target.dialect === 'sqlite' ? it : it.skip;
  let sandbox: Sandbox | undefined;
  let gateway: StartedGateway | undefined;
  let alice = '';
  let bob = '';
  let aliceEmail = '';

  const as = (token: string) => <T>(query: string, variables: Record<string, unknown> = {}) =>
    graphql<T>(gateway!.url, query, { token, variables });

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    gateway = await startTestGateway({ RATE_LIMITS: 'off', DATABASE_URL: target.freshUrl() }, { sandbox });
    aliceEmail = sandbox.users[0].email;
    alice = (await signInAs(gateway, aliceEmail)).sessionToken;
    await signInAs(gateway, aliceEmail, { channel: 'BETA', sessionToken: alice });
    bob = (await signInAs(gateway, sandbox.users[1].email)).sessionToken;
  });

  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
    await target.dropAll();
  });

  beforeEach(() => sandbox?.control.reset());

  it('refuses calendar fields without a session', async () => {
    const response = await graphql(gateway!.url, CALENDAR);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it.each(['MAIN', 'BETA'])('reads the Microsoft profile on %s', async (channel) => {
    const response = await as(alice)<{ microsoftProfile: { id: string; mail: string; userPrincipalName: string; displayName: string } }>(
      'query($channel: Channel) { microsoftProfile(channel: $channel) { id mail userPrincipalName displayName } }', { channel });
    expect(response.errors).toBeUndefined();
    expect(response.data!.microsoftProfile).toMatchObject({ id: sandbox!.users[0].id, displayName: sandbox!.users[0].displayName });
    expect(response.data!.microsoftProfile.mail?.toLowerCase()).toBe(aliceEmail);
  });

  it.each(['MAIN', 'BETA'])('lists the default calendar and all calendars on %s', async (channel) => {
    const response = await as(alice)<{ calendar: { defaultCalendar: { id: string; isDefault: boolean }; calendars: Array<{ id: string; isDefault: boolean; canEdit: boolean }> } }>(CALENDAR, { channel });
    expect(response.errors).toBeUndefined();
    const { defaultCalendar, calendars } = response.data!.calendar;
    expect(defaultCalendar.isDefault).toBe(true);
    expect(calendars.length).toBeGreaterThanOrEqual(2);
    expect(calendars.filter((calendar) => calendar.isDefault).map((calendar) => calendar.id)).toEqual([defaultCalendar.id]);
    expect(calendars.some((calendar) => !calendar.canEdit)).toBe(true);
  });

  it.each(['MAIN', 'BETA'])('creates, reads, updates and deletes an event on %s', async (channel) => {
    const call = as(alice);
    const created = await call<{ createEvent: EventData }>(CREATE, { channel, input: { ...eventInput(`Crud ${channel}`, '2031-03-03'), location: 'Room 1', attendees: [{ email: 'sam@example.com' }] } });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createEvent.id;
    expect(created.data!.createEvent).toMatchObject({ subject: `Crud ${channel}`, location: 'Room 1', attendees: [{ email: 'sam@example.com', type: 'REQUIRED' }] });

    const read = await call<{ event: EventData & { createdAt: string | null } }>(EVENT, { channel, id });
    expect(read.data!.event).toMatchObject({ id, subject: `Crud ${channel}`, location: 'Room 1' });

    const updated = await call<{ updateEvent: EventData }>(UPDATE, { channel, id, input: { subject: 'Renamed' } });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateEvent).toMatchObject({ id, subject: 'Renamed', location: 'Room 1' });

    const listed = await call<EventsData>(EVENTS, { channel, start: '2031-03-03T00:00:00Z', end: '2031-03-04T00:00:00Z' });
    expect(listed.data!.events.nodes.map((event) => event.id)).toContain(id);

    const deleted = await call<{ deleteEvent: boolean }>(DELETE, { channel, id });
    expect(deleted.data).toEqual({ deleteEvent: true });
    expect((await call<{ event: unknown }>(EVENT, { channel, id })).data).toEqual({ event: null });
    expect(errorCodes(await call(DELETE, { channel, id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await call(UPDATE, { channel, id, input: { subject: 'x' } }))).toEqual(['NOT_FOUND']);
  });

  it('reads an event created at 09:00 Europe/Paris in winter as 08:00 UTC', async () => {
    const call = as(alice);
    const created = await call<{ createEvent: EventData }>(CREATE, { input: eventInput('Paris morning', '2031-01-15') });
    expect(created.data!.createEvent.start.dateTime.startsWith('2031-01-15T09:00:00')).toBe(true);
    const id = created.data!.createEvent.id;
    const inUtc = await call<{ event: EventData }>(EVENT, { id, timeZone: 'UTC' });
    expect(inUtc.data!.event.start.dateTime.startsWith('2031-01-15T08:00:00')).toBe(true);
    expect(inUtc.data!.event.start.timeZone).toBe('UTC');
    const listed = await call<EventsData>(EVENTS, { start: '2031-01-15T00:00:00Z', end: '2031-01-16T00:00:00Z' });
    expect(listed.data!.events.nodes.find((event) => event.id === id)!.start.dateTime.startsWith('2031-01-15T08:00:00')).toBe(true);
    const inNewYork = await call<EventsData>(EVENTS, { start: '2031-01-15T00:00:00Z', end: '2031-01-16T00:00:00Z', timeZone: 'America/New_York' });
    expect(inNewYork.data!.events.nodes.find((event) => event.id === id)!.start.dateTime.startsWith('2031-01-15T03:00:00')).toBe(true);
    await call(DELETE, { id });
  });

  it('pages through a window with no event lost or repeated, oldest first', async () => {
    const call = as(alice);
    // Near today: the sandbox expands the demo mailbox's open-ended stand-up series, which is slow far in the future.
    const firstDay = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    const windowStart = `${firstDay}T00:00:00Z`;
    const windowEnd = new Date(Date.parse(windowStart) + 3 * 86_400_000).toISOString();
    const created: string[] = [];
    for (let slot = 0; slot < 8; slot += 1) {
      const day = new Date(Date.parse(windowStart) + Math.floor(slot / 3) * 86_400_000).toISOString().slice(0, 10);
      const response = await call<{ createEvent: EventData }>(CREATE, { input: eventInput(`Page ${slot}`, day, `${String(12 + (slot % 3) * 2)}:00`, 'UTC') });
      created.push(response.data!.createEvent.id);
    }
    const seen: EventData[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response: GraphQLResponse<EventsData> = await call<EventsData>(EVENTS, { start: windowStart, end: windowEnd, first: 3, after });
      expect(response.errors).toBeUndefined();
      expect(response.data!.events.nodes.length).toBeLessThanOrEqual(3);
      seen.push(...response.data!.events.nodes);
      after = response.data!.events.pageInfo.endCursor;
      expect(Boolean(after)).toBe(response.data!.events.pageInfo.hasNextPage);
      pages += 1;
    } while (after && pages < 20);
    expect(pages).toBeGreaterThanOrEqual(3);
    const ids = seen.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => created.includes(id))).toEqual(created);
    const starts = seen.map((event) => event.start.dateTime);
    expect([...starts].sort()).toEqual(starts);
    for (const id of created) await call(DELETE, { id });
  });

  it('refuses a forged, edited or foreign cursor', async () => {
    const call = as(alice);
    const window = { start: new Date(Date.now() - 30 * 86_400_000).toISOString(), end: new Date(Date.now() + 30 * 86_400_000).toISOString() };
    const first = await call<EventsData>(EVENTS, { ...window, first: 1 });
    const cursor = first.data!.events.pageInfo.endCursor!;
    expect(cursor).toBeTruthy();
    const forged = [
      'e1.eyJza2lwIjoxMDB9.AAAA',
      `${cursor.slice(0, -2)}xx`,
      Buffer.from('https://evil.example/v1.0/me/messages').toString('base64url'),
    ];
    for (const after of forged) {
      expect(extensionsOf(await call(EVENTS, { ...window, first: 1, after }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
    expect(extensionsOf(await as(bob)(EVENTS, { ...window, first: 1, after: cursor }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(extensionsOf(await call(EVENTS, { ...window, first: 1, after: cursor, channel: 'BETA' }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(extensionsOf(await call(EVENTS, { ...window, end: '2099-01-01T00:00:00Z', first: 1, after: cursor }))).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  const base = eventInput('Valid', '2031-04-01', '09:00', 'UTC');
  it.each<[string, string, Record<string, unknown>, string]>([
    ['an empty subject', CREATE, { input: { ...base, subject: '  ' } }, 'input.subject'],
    ['a long subject', CREATE, { input: { ...base, subject: 'x'.repeat(256) } }, 'input.subject'],
    ['a body over 64 KiB', CREATE, { input: { ...base, body: 'x'.repeat(65_537) } }, 'input.body'],
    ['a long location', CREATE, { input: { ...base, location: 'x'.repeat(256) } }, 'input.location'],
    ['501 attendees', CREATE, { input: { ...base, attendees: Array.from({ length: 501 }, (_, i) => ({ email: `p${i}@example.com` })) } }, 'input.attendees'],
    ['a bad attendee email', CREATE, { input: { ...base, attendees: [{ email: 'nobody' }] } }, 'input.attendees[0].email'],
    ['30 February', CREATE, { input: { ...base, start: { dateTime: '2031-02-30T09:00:00', timeZone: 'UTC' } } }, 'input.start.dateTime'],
    ['an unknown time zone', CREATE, { input: { ...base, end: { dateTime: '2031-04-01T10:00:00', timeZone: 'Atlantis/Capital' } } }, 'input.end.timeZone'],
    ['end before start', CREATE, { input: { ...base, end: { dateTime: '2031-04-01T08:00:00', timeZone: 'UTC' } } }, 'input.end'],
    ['a malformed calendar id', CREATE, { input: { ...base, calendarId: 'a/../b' } }, 'input.calendarId'],
    ['a malformed event id', EVENT, { id: '../../me' }, 'id'],
    ['an over-long event id', DELETE, { id: 'A'.repeat(1025) }, 'id'],
    ['an update ending before it starts', UPDATE, { id: 'AAMkAGabc', input: { start: { dateTime: '2031-04-01T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2031-04-01T09:00:00', timeZone: 'UTC' } } }, 'input.end'],
    ['a window ending before it starts', EVENTS, { start: '2031-01-02T00:00:00Z', end: '2031-01-01T00:00:00Z' }, 'end'],
    ['a window over five years', EVENTS, { start: '2031-01-01T00:00:00Z', end: '2036-01-02T00:00:00Z' }, 'end'],
    ['first of 0', EVENTS, { start: '2031-01-01T00:00:00Z', end: '2031-01-02T00:00:00Z', first: 0 }, 'first'],
    ['first of 201', EVENTS, { start: '2031-01-01T00:00:00Z', end: '2031-01-02T00:00:00Z', first: 201 }, 'first'],
    ['an unknown events time zone', EVENTS, { start: '2031-01-01T00:00:00Z', end: '2031-01-02T00:00:00Z', timeZone: 'Nowhere' }, 'timeZone'],
  ])('refuses %s before calling Microsoft', async (_name, query, variables, field) => {
    const response = await as(alice)(query, variables);
    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field, fields: [{ field, message: expect.stringMatching(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')} `)) }] });
    expect(sandbox!.control.counters().graphRequests).toEqual({});
  });

  it('reports every invalid input of a createEvent at once, the first in field, before calling Microsoft', async () => {
    const input = { ...base, subject: ' ', start: { dateTime: '2031-02-30T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2031-04-01T10:00:00', timeZone: 'Atlantis/Capital' } };
    const response = await as(alice)(CREATE, { input });
    expect(response.errors).toHaveLength(1);
    expect(extensionsOf(response)).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.subject',
      fields: [
        { field: 'input.subject', message: 'input.subject must be 1 to 255 characters after trimming.' },
        { field: 'input.start.dateTime', message: 'input.start.dateTime must be a real local date-time without offset, e.g. 2026-11-24T09:30:00.' },
        { field: 'input.end.timeZone', message: expect.stringMatching(/^input\.end\.timeZone must be a time zone Microsoft knows/) },
      ],
    });
    expect(response.errors![0].message).toContain('input.start.dateTime must be a real local date-time');
    expect(sandbox!.control.counters().graphRequests).toEqual({});
  });

  it.each([
    ['a literal', '{ events(start: "yesterday", end: "2031-01-02T00:00:00Z") { nodes { id } } }', {}],
    ['a variable', EVENTS, { start: 'yesterday', end: '2031-01-02T00:00:00Z' }],
  ])('refuses an instant that is not one, given as %s, as BAD_USER_INPUT naming start', async (_name, query, variables) => {
    const response = await as(alice)(query, variables);
    expect(response.status).toBe(400);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0].message).toBe('start must be a real ISO 8601 date-time with an offset, e.g. 2026-11-24T09:30:00Z; got "yesterday".');
    expect(extensionsOf(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'start', fields: [{ field: 'start', message: response.errors![0].message }] });
  });

  it('refuses 30 February and a number as instants, each named', async () => {
    const response = await as(alice)('{ events(start: "2031-02-30T00:00:00Z", end: 1924992000000) { nodes { id } } }');
    expect(response.errors!.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'start' }),
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'end' }),
    ]);
    expect(response.errors![0].message).toContain('"2031-02-30T00:00:00Z" does not exist');
  });

  it('reports a read-only calendar refusing creation as UPSTREAM_REJECTED', async () => {
    const calendars = await as(alice)<{ calendar: { calendars: Array<{ id: string; canEdit: boolean }> } }>(CALENDAR);
    const readOnly = calendars.data!.calendar.calendars.find((calendar) => !calendar.canEdit)!;
    const response = await as(alice)(CREATE, { input: { ...base, calendarId: readOnly.id } });
    expect(extensionsOf(response)).toMatchObject({ code: 'UPSTREAM_REJECTED', upstreamCode: 'ErrorAccessDenied' });
  });

  describe('resilience', () => {
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const window = { start: `${day}T00:00:00Z`, end: `${day}T12:00:00Z` };

    itOnce('retries 429, 503 and 504 as Retry-After asks and then succeeds', async () => {
      sandbox!.control.injectFault({ status: 429, retryAfterSeconds: 1, count: 1, path: '/calendarView' });
      sandbox!.control.injectFault({ status: 503, count: 1, path: '/calendarView' });
      sandbox!.control.injectFault({ status: 504, count: 1, path: '/calendarView' });
      sandbox!.control.resetCounters();
      const timers = jest.spyOn(global, 'setTimeout');
      try {
        const response = await as(alice)(EVENTS, window);
        expect(response.errors).toBeUndefined();
        // The 429 asked for one second, and the gateway waited on a timer for exactly that before asking again.
        expect(timers.mock.calls.map(([, ms]) => ms)).toContain(1000);
      } finally {
        timers.mockRestore();
      }
      expect(sandbox!.control.counters().graphRequests['GET /me/calendarView']).toBe(4);
    });

    it('gives up with UPSTREAM_THROTTLED and retryAfterSeconds when the wait would overrun the budget', async () => {
      sandbox!.control.injectFault({ status: 429, retryAfterSeconds: 30, count: 5, path: '/calendarView' });
      const response = await as(alice)(EVENTS, window);
      expect(extensionsOf(response)).toEqual({ code: 'UPSTREAM_THROTTLED', retryAfterSeconds: 30 });
    });

    itOnce('keeps retrying within its time budget, then answers UPSTREAM_UNAVAILABLE', async () => {
      sandbox!.control.injectFault({ status: 503, count: 100, path: '/calendarView' });
      sandbox!.control.resetCounters();
      const response = await as(alice)(EVENTS, window);
      expect(errorCodes(response)).toEqual(['UPSTREAM_UNAVAILABLE']);
      // It retried, and gave up long before the hundred failures ran out: the budget ended it.
      const attempts = sandbox!.control.counters().graphRequests['GET /me/calendarView'];
      expect(attempts).toBeGreaterThan(1);
      expect(attempts).toBeLessThan(100);
      expect(response.errors![0].message).not.toMatch(/Service|unavailable.*Graph/i);
    }, 20_000);

    it('answers UPSTREAM_UNAVAILABLE at once on a 500', async () => {
      sandbox!.control.injectFault({ status: 500, count: 1, path: '/me/calendar' });
      expect(errorCodes(await as(alice)(CALENDAR))).toEqual(['UPSTREAM_UNAVAILABLE']);
    });

    it('lets 40 concurrent queries of one user all succeed with never more than 4 in flight', async () => {
      sandbox!.control.setLatency(40, '/calendarView');
      const responses = await Promise.all(Array.from({ length: 40 }, () => as(alice)(EVENTS, window)));
      expect(responses.filter((response) => response.errors)).toEqual([]);
      const counters = sandbox!.control.counters();
      expect(counters.throttled).toBe(0);
      expect(counters.peakConcurrencyByMailbox[aliceEmail]).toBeLessThanOrEqual(4);
      expect(counters.peakConcurrencyByMailbox[aliceEmail]).toBeGreaterThanOrEqual(2);
    }, 30_000);

    it('refreshes once and retries when Graph rejects a token revoked server-side', async () => {
      sandbox!.control.expireAccessTokens(aliceEmail);
      const response = await as(alice)(CALENDAR);
      expect(response.errors).toBeUndefined();
      expect(sandbox!.control.counters().tokenGrants.refresh_token).toBe(1);
    });
  });

  describe('a connection Microsoft no longer accepts', () => {
    it('lets the token service\'s RECONNECT_REQUIRED stand after the forced refresh fails', async () => {
      const carol = sandbox!.users[2].email;
      const token = (await signInAs(gateway!, carol)).sessionToken;
      sandbox!.control.revokeRefreshTokens(carol);
      sandbox!.control.expireAccessTokens(carol);
      expect(errorCodes(await as(token)(CALENDAR))).toEqual(['RECONNECT_REQUIRED']);
    });
  });

  describe('two users', () => {
    it('keeps one user\'s events out of the other\'s reach', async () => {
      const created = await as(alice)<{ createEvent: EventData }>(CREATE, { input: eventInput('Alice only', '2031-07-07') });
      const id = created.data!.createEvent.id;
      expect((await as(bob)<{ event: unknown }>(EVENT, { id })).data).toEqual({ event: null });
      expect(errorCodes(await as(bob)(UPDATE, { id, input: { subject: 'Bob was here' } }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await as(bob)(DELETE, { id }))).toEqual(['NOT_FOUND']);
      const bobsView = await as(bob)<EventsData>(EVENTS, { start: '2031-07-07T00:00:00Z', end: '2031-07-08T00:00:00Z' });
      expect(bobsView.data!.events.nodes.map((event) => event.id)).not.toContain(id);
      expect((await as(alice)<{ event: EventData }>(EVENT, { id })).data!.event.subject).toBe('Alice only');
      await as(alice)(DELETE, { id });
    });
  });
});
