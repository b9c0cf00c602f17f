// Free/busy (schedule) and several calendars read at once (Calendar.events over Graph $batch), end to end against the sandbox.
import { describeEachDatabase } from '../support/databases';
import { graphql, type GraphQLResponse } from '../support/http';
import { signInAs } from '../support/sign-in';
import { startSandboxedGateway, stopSandboxedGateway, type SandboxedGateway } from '../support/start-gateway';

const SCHEDULE = `query($emails: [String!]!, $start: DateTime!, $end: DateTime!, $intervalMinutes: Int, $timeZone: String) {
  schedule(emails: $emails, start: $start, end: $end, intervalMinutes: $intervalMinutes, timeZone: $timeZone) {
    email availabilityView error items { status subject location start { dateTime timeZone } end { dateTime timeZone } }
  }
}`;
const CALENDARS_EVENTS = `query($start: DateTime!, $end: DateTime!, $first: Int) {
  calendar { calendars { id name events(start: $start, end: $end, first: $first) { nodes { subject } pageInfo { hasNextPage endCursor } } } }
}`;
const EVENTS = 'query($calendarId: ID, $start: DateTime!, $end: DateTime!, $after: String) { events(calendarId: $calendarId, start: $start, end: $end, after: $after) { nodes { subject } } }';
const CREATE = 'mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }';

interface CalendarEvents { id: string; name: string; events: { nodes: Array<{ subject: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null }

let started: Partial<SandboxedGateway> = {};
const tokens: Record<string, string> = {};
const WINDOW = { start: '2030-03-03T00:00:00Z', end: '2030-03-04T00:00:00Z' };

const as = <T>(email: string, query: string, variables: Record<string, unknown>) => graphql<T>(started.gateway!.url, query, { token: tokens[email], variables });
// The gateway percent-encodes ids in the path ('=' of base64 ids too), as the sandbox's fault matcher sees them.
const viewPath = (calendar: { id: string }) => `/calendars/${encodeURIComponent(calendar.id)}/calendarView`;
const firstError = (response: GraphQLResponse<unknown>) => response.errors?.[0];

async function create(email: string, subject: string, start: string, end: string, calendarId?: string) {
  const response = await as<{ createEvent: { id: string } }>(email, CREATE, {
    input: { subject, start: { dateTime: start, timeZone: 'UTC' }, end: { dateTime: end, timeZone: 'UTC' }, ...(calendarId ? { calendarId } : {}) },
  });
  expect(response.errors).toBeUndefined();
}

describeEachDatabase('schedule and batched calendar reads', (target) => {
  let adele = '';
  let alex = '';

  beforeAll(async () => {
    started = await startSandboxedGateway(target.freshUrl());
    [adele, alex] = started.sandbox!.users.map((user) => user.email);
    for (const email of [adele, alex]) tokens[email] = (await signInAs(started.gateway!, email)).sessionToken;
  });

  afterAll(() => stopSandboxedGateway(started, target));

  beforeEach(() => started.sandbox?.control.reset());

  describe('schedule', () => {
    it("shows a colleague's free/busy in the caller's zone and keeps an unknown mailbox's failure to its own entry", async () => {
      await create(alex, 'Alex planning', '2030-03-03T09:00:00', '2030-03-03T10:00:00');
      const response = await as<{ schedule: Array<Record<string, unknown>> }>(adele, SCHEDULE, {
        emails: [alex, 'nobody@contoso.example'], start: '2030-03-03T08:00:00Z', end: '2030-03-03T11:00:00Z', intervalMinutes: 60, timeZone: 'Europe/Paris',
      });
      expect(response.errors).toBeUndefined();
      const [alexSchedule, nobody] = response.data!.schedule;
      expect(alexSchedule).toMatchObject({ email: alex, availabilityView: '020', error: null });
      expect(alexSchedule.items).toEqual([{
        status: 'BUSY', subject: 'Alex planning', location: null,
        start: { dateTime: '2030-03-03T10:00:00.0000000', timeZone: 'Europe/Paris' }, end: { dateTime: '2030-03-03T11:00:00.0000000', timeZone: 'Europe/Paris' },
      }]);
      expect(nobody).toEqual({ email: 'nobody@contoso.example', availabilityView: null, items: [], error: 'ErrorMailRecipientNotFound: no mailbox or resource has this address.' });
      // Graph's own message names the address and is not passed on.
      expect(JSON.stringify(response)).not.toContain('has no mailbox associated');
    });

    it.each([
      ['no address', { emails: [] }, 'emails'],
      ['21 addresses', { emails: Array.from({ length: 21 }, (_, index) => `user${index}@contoso.example`) }, 'emails'],
      ['a malformed address', { emails: ['not-an-address'] }, 'emails[0]'],
      ['an interval under 5 minutes', { intervalMinutes: 4 }, 'intervalMinutes'],
      ['an interval over 1440 minutes', { intervalMinutes: 1441 }, 'intervalMinutes'],
      ['an end before the start', { end: '2030-03-02T00:00:00Z' }, 'end'],
      ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ])('answers BAD_USER_INPUT for %s, before calling Microsoft', async (_name, variables, field) => {
      started.sandbox!.control.resetCounters();
      const response = await as(adele, SCHEDULE, { emails: [alex], ...WINDOW, ...variables });
      expect(firstError(response)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(started.sandbox!.control.counters().graphRequests['POST /me/calendar/getSchedule']).toBeUndefined();
    });

    it('reports a malformed address, a short interval, an end before the start and an unknown zone together', async () => {
      const response = await as(adele, SCHEDULE, {
        emails: [alex, 'not-an-address'], start: '2030-03-03T00:00:00Z', end: '2030-03-02T00:00:00Z', intervalMinutes: 4, timeZone: 'Mars/Olympus_Mons',
      });
      expect(firstError(response)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: expect.any(String) });
      const fields = (firstError(response)!.extensions!.fields as Array<{ field: string; message: string }>);
      expect(fields.map((failure) => failure.field).sort()).toEqual(['emails[1]', 'end', 'intervalMinutes', 'timeZone']);
      expect(fields.find((failure) => failure.field === 'emails[1]')!.message).toBe('emails[1] must be a valid email address.');
    });
  });

  describe('Calendar.events', () => {
    it('refuses a page size out of range and a window the wrong way round for every calendar, before reading any', async () => {
      const calendars = (await as<{ calendar: { calendars: CalendarEvents[] } }>(adele, CALENDARS_EVENTS, WINDOW)).data!.calendar.calendars;
      started.sandbox!.control.resetCounters();
      const response = await as<{ calendar: { calendars: CalendarEvents[] } }>(adele, CALENDARS_EVENTS, { start: WINDOW.end, end: WINDOW.start, first: 0 });
      expect(response.errors).toHaveLength(calendars.length);
      for (const error of response.errors!) {
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
        expect((error.extensions!.fields as Array<{ field: string }>).map((failure) => failure.field).sort()).toEqual(['end', 'first']);
      }
      expect(started.sandbox!.control.counters().graphRequests['POST /$batch']).toBeUndefined();
    });

    it('reads every calendar in one $batch and pages on in one calendar with its endCursor', async () => {
      const calendars = (await as<{ calendar: { calendars: CalendarEvents[] } }>(adele, CALENDARS_EVENTS, { ...WINDOW, first: 1 })).data!.calendar.calendars;
      await create(adele, 'first of two', '2030-03-03T09:00:00', '2030-03-03T09:30:00');
      await create(adele, 'second of two', '2030-03-03T10:00:00', '2030-03-03T10:30:00');
      started.sandbox!.control.resetCounters();
      const response = await as<{ calendar: { calendars: CalendarEvents[] } }>(adele, CALENDARS_EVENTS, { ...WINDOW, first: 1 });
      expect(response.errors).toBeUndefined();
      const [own, holidays] = response.data!.calendar.calendars;
      expect(own.events!.nodes.map((node) => node.subject)).toEqual(['first of two']);
      expect(own.events!.pageInfo.hasNextPage).toBe(true);
      expect(holidays.events!.nodes).toEqual([]);
      const counted = started.sandbox!.control.counters().graphRequests;
      expect(counted['POST /$batch']).toBe(1);
      expect(counted['GET /me/calendars/{id}/calendarView']).toBe(calendars.length);

      const next = await as<{ events: { nodes: Array<{ subject: string }> } }>(adele, EVENTS, { calendarId: own.id, ...WINDOW, after: own.events!.pageInfo.endCursor });
      expect(next.errors).toBeUndefined();
      expect(next.data!.events.nodes.map((node) => node.subject)).toEqual(['second of two']);
    });

    it("answers NOT_FOUND for the one calendar Graph does not find and reads the others", async () => {
      const calendars = (await as<{ calendar: { calendars: CalendarEvents[] } }>(adele, CALENDARS_EVENTS, WINDOW)).data!.calendar.calendars;
      await create(adele, 'still read', '2030-03-03T12:00:00', '2030-03-03T13:00:00');
      started.sandbox!.control.injectFault({ status: 404, path: viewPath(calendars[1]) });
      const response = await as<{ calendar: { calendars: CalendarEvents[] } }>(adele, CALENDARS_EVENTS, WINDOW);
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]).toMatchObject({ path: ['calendar', 'calendars', 1, 'events'], extensions: { code: 'NOT_FOUND' } });
      expect(response.data!.calendar.calendars[0].events!.nodes.map((node) => node.subject)).toContain('still read');
      expect(response.data!.calendar.calendars[1].events).toBeNull();
    });

    it("resends a throttled calendar alone once its own Retry-After has passed", async () => {
      const calendars = (await as<{ calendar: { calendars: CalendarEvents[] } }>(adele, CALENDARS_EVENTS, WINDOW)).data!.calendar.calendars;
      started.sandbox!.control.injectFault({ status: 429, retryAfterSeconds: 1, path: viewPath(calendars[0]) });
      started.sandbox!.control.resetCounters();
      const response = await as<{ calendar: { calendars: CalendarEvents[] } }>(adele, CALENDARS_EVENTS, WINDOW);
      expect(response.errors).toBeUndefined();
      expect(response.data!.calendar.calendars.every((calendar) => calendar.events !== null)).toBe(true);
      const counted = started.sandbox!.control.counters().graphRequests;
      // One batch, then the throttled item alone; the other calendar is not read twice.
      expect(counted['POST /$batch']).toBe(1);
      expect(counted['GET /me/calendars/{id}/calendarView']).toBe(calendars.length + 1);
    });

    it('gives up on an item whose Retry-After is past the retry budget: UPSTREAM_THROTTLED for that calendar only', async () => {
      const calendars = (await as<{ calendar: { calendars: CalendarEvents[] } }>(adele, CALENDARS_EVENTS, WINDOW)).data!.calendar.calendars;
      started.sandbox!.control.injectFault({ status: 429, retryAfterSeconds: 120, path: viewPath(calendars[1]) });
      const response = await as<{ calendar: { calendars: CalendarEvents[] } }>(adele, CALENDARS_EVENTS, WINDOW);
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]).toMatchObject({ path: ['calendar', 'calendars', 1, 'events'], extensions: { code: 'UPSTREAM_THROTTLED', retryAfterSeconds: 120 } });
      expect(response.data!.calendar.calendars[0].events).not.toBeNull();
    });
  });
});
