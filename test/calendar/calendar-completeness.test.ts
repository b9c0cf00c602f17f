// Meeting responses, cancellation, recurring series, online meetings and total counts, end to end through the sandbox.
import { describeEachDatabase } from '../support/databases';
import { graphql, type GraphQLResponse } from '../support/http';
import { signInAs } from '../support/sign-in';
import { startSandboxedGateway, stopSandboxedGateway, type SandboxedGateway } from '../support/start-gateway';

const FIELDS = `id subject type isCancelled responseStatus originalStart seriesMasterId onlineMeetingJoinUrl attendees { email response }
  start { dateTime timeZone }
  recurrence { pattern { type interval daysOfWeek dayOfMonth month index firstDayOfWeek } range { type startDate endDate numberOfOccurrences recurrenceTimeZone } }`;
const CREATE = `mutation($input: CreateEventInput!) { createEvent(input: $input) { ${FIELDS} } }`;
const EVENT = `query($id: ID!) { event(id: $id) { ${FIELDS} } }`;
const EVENTS = `query($start: DateTime!, $end: DateTime!) { events(start: $start, end: $end, first: 200) { totalCount nodes { ${FIELDS} } } }`;
const INSTANCES = `query($id: ID!, $start: DateTime!, $end: DateTime!, $first: Int, $after: String, $timeZone: String) {
  eventInstances(seriesMasterId: $id, start: $start, end: $end, first: $first, after: $after, timeZone: $timeZone) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${FIELDS} } } }`;
const RESPOND = 'mutation($id: ID!, $response: EventResponse!, $comment: String, $sendResponse: Boolean) { respondToEvent(id: $id, response: $response, comment: $comment, sendResponse: $sendResponse) }';
const CANCEL = 'mutation($id: ID!, $comment: String) { cancelEvent(id: $id, comment: $comment) }';
const UPDATE = `mutation($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = 'mutation($id: ID!) { deleteEvent(id: $id) }';

interface EventData {
  id: string; subject: string; type: string; isCancelled: boolean; responseStatus: string | null; originalStart: string | null;
  seriesMasterId: string | null; onlineMeetingJoinUrl: string | null; attendees: Array<{ email: string; response: string }>;
  start: { dateTime: string; timeZone: string }; recurrence: Record<string, Record<string, unknown>> | null;
}
interface Connection { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: EventData[] }

let started: Partial<SandboxedGateway> = {};
const sessions = { adele: '', alex: '' };

const as = <T>(who: keyof typeof sessions, query: string, variables: Record<string, unknown>) =>
  graphql<T>(started.gateway!.url, query, { token: sessions[who], variables });
const extensionsOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions;
const at = (day: string, time: string, timeZone = 'UTC') => ({ dateTime: `${day}T${time}:00`, timeZone });

async function create(input: Record<string, unknown>): Promise<EventData> {
  const response = await as<{ createEvent: EventData }>('adele', CREATE, { input });
  expect(response.errors).toBeUndefined();
  return response.data!.createEvent;
}

/** Adele invites Alex; returns her event and Alex's copy of it, found in his calendar. */
async function meetingWithAlex(subject: string, day: string): Promise<{ mine: EventData; his: EventData }> {
  const mine = await create({ subject, start: at(day, '09:00'), end: at(day, '10:00'), attendees: [{ email: started.sandbox!.users[1].email }] });
  const listed = await as<{ events: Connection }>('alex', EVENTS, { start: `${day}T00:00:00Z`, end: `${day}T23:59:59Z` });
  return { mine, his: listed.data!.events.nodes.find((event) => event.subject === subject)! };
}

describeEachDatabase('calendar completeness', (target) => {
  beforeAll(async () => {
    started = await startSandboxedGateway(target.freshUrl());
    sessions.adele = (await signInAs(started.gateway!, started.sandbox!.users[0].email)).sessionToken;
    sessions.alex = (await signInAs(started.gateway!, started.sandbox!.users[1].email)).sessionToken;
  });

  afterAll(() => stopSandboxedGateway(started, target));

  describe('meeting responses and cancellation', () => {
    it("answers a meeting request; the caller's responseStatus and the organizer's attendee list show it", async () => {
      const { mine, his } = await meetingWithAlex('Accept me', '2026-05-04');
      expect(mine.responseStatus).toBe('ORGANIZER');
      expect(his.responseStatus).toBe('NOT_RESPONDED');
      const answered = await as<{ respondToEvent: boolean }>('alex', RESPOND, { id: his.id, response: 'ACCEPT', comment: 'Will be there' });
      expect(answered.errors).toBeUndefined();
      expect(answered.data!.respondToEvent).toBe(true);
      expect((await as<{ event: EventData }>('alex', EVENT, { id: his.id })).data!.event.responseStatus).toBe('ACCEPTED');
      const organizerView = (await as<{ event: EventData }>('adele', EVENT, { id: mine.id })).data!.event;
      expect(organizerView.attendees).toEqual([{ email: started.sandbox!.users[1].email, response: 'ACCEPTED' }]);
    });

    it('declines or tentatively accepts; sendResponse false keeps the organizer uninformed', async () => {
      const { mine, his } = await meetingWithAlex('Maybe', '2026-05-05');
      await as('alex', RESPOND, { id: his.id, response: 'TENTATIVELY_ACCEPT' });
      expect((await as<{ event: EventData }>('alex', EVENT, { id: his.id })).data!.event.responseStatus).toBe('TENTATIVELY_ACCEPTED');
      await as('alex', RESPOND, { id: his.id, response: 'DECLINE', sendResponse: false });
      expect((await as<{ event: EventData }>('alex', EVENT, { id: his.id })).data!.event.responseStatus).toBe('DECLINED');
      expect((await as<{ event: EventData }>('adele', EVENT, { id: mine.id })).data!.event.attendees[0].response).toBe('TENTATIVELY_ACCEPTED');
    });

    it("passes on Microsoft's refusal of the organizer's own response as UPSTREAM_REJECTED", async () => {
      const { mine } = await meetingWithAlex('Own', '2026-05-06');
      const refused = await as('adele', RESPOND, { id: mine.id, response: 'ACCEPT' });
      expect(extensionsOf(refused)).toEqual({ code: 'UPSTREAM_REJECTED', upstreamCode: 'ErrorInvalidRequest' });
    });

    it("cancels for the organizer; an attendee's attempt is UPSTREAM_REJECTED with Graph's code", async () => {
      const { mine, his } = await meetingWithAlex('Cancel me', '2026-05-07');
      const refused = await as('alex', CANCEL, { id: his.id, comment: 'not mine' });
      expect(extensionsOf(refused)).toEqual({ code: 'UPSTREAM_REJECTED', upstreamCode: 'ErrorAccessDenied' });
      const cancelled = await as<{ cancelEvent: boolean }>('adele', CANCEL, { id: mine.id, comment: 'Plans changed' });
      expect(cancelled.data?.cancelEvent).toBe(true);
      expect((await as<{ event: EventData }>('adele', EVENT, { id: mine.id })).data!.event.isCancelled).toBe(true);
    });

    it('answers NOT_FOUND for an event that is gone and BAD_USER_INPUT for a malformed id or an oversized comment', async () => {
      const gone = await create({ subject: 'Gone', start: at('2026-05-08', '09:00'), end: at('2026-05-08', '10:00') });
      await as('adele', DELETE, { id: gone.id });
      expect(extensionsOf(await as('alex', RESPOND, { id: gone.id, response: 'DECLINE' }))).toEqual({ code: 'NOT_FOUND' });
      expect(extensionsOf(await as('adele', CANCEL, { id: 'not/an id' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      expect(extensionsOf(await as('adele', CANCEL, { id: gone.id, comment: 'x'.repeat(65_537) }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
    });

    it('reports a malformed id and an oversized comment together, before calling Microsoft', async () => {
      started.sandbox!.control.resetCounters();
      const response = await as('adele', RESPOND, { id: 'not/an id', response: 'ACCEPT', comment: 'x'.repeat(65_537) });
      expect(extensionsOf(response)).toEqual({
        code: 'BAD_USER_INPUT', field: 'id',
        fields: [{ field: 'id', message: expect.stringMatching(/^id must be /) }, { field: 'comment', message: expect.stringMatching(/^comment may be at most 64 KiB/) }],
      });
      expect(Object.keys(started.sandbox!.control.counters().graphRequests)).toEqual([]);
    });
  });

  describe('recurring series', () => {
    const weekly = (subject: string, recurrenceTimeZone?: string) => ({
      subject, start: at('2026-03-23', '09:00', 'Europe/Paris'), end: at('2026-03-23', '09:30', 'Europe/Paris'),
      recurrence: {
        pattern: { type: 'WEEKLY', interval: 1, daysOfWeek: ['MONDAY'] },
        range: { type: 'NUMBERED', startDate: '2026-03-23', numberOfOccurrences: 4, ...(recurrenceTimeZone ? { recurrenceTimeZone } : {}) },
      },
    });
    const window = { start: '2026-03-01T00:00:00Z', end: '2026-05-01T00:00:00Z' };

    it("creates a series and reads Graph's recurrence back, defaults included, in the caller's zone name", async () => {
      const series = await create(weekly('Weekly sync'));
      expect(series.type).toBe('SERIES_MASTER');
      expect(series.recurrence).toEqual({
        pattern: { type: 'WEEKLY', interval: 1, daysOfWeek: ['MONDAY'], dayOfMonth: 0, month: 0, index: 'FIRST', firstDayOfWeek: 'SUNDAY' },
        range: { type: 'NUMBERED', startDate: '2026-03-23', endDate: null, numberOfOccurrences: 4, recurrenceTimeZone: 'Europe/Paris' },
      });
      const withOwnZone = await create(weekly('Weekly in Tokyo time', 'Asia/Tokyo'));
      expect(withOwnZone.recurrence!.range.recurrenceTimeZone).toBe('Tokyo Standard Time');
    });

    it('pages the instances of a series with cursors and a total count, each with its original start', async () => {
      const series = await create(weekly('Paged series'));
      const first = (await as<{ eventInstances: Connection }>('adele', INSTANCES, { id: series.id, ...window, first: 3 })).data!.eventInstances;
      expect(first.totalCount).toBe(4);
      expect(first.pageInfo.hasNextPage).toBe(true);
      expect(first.nodes.map((node) => [node.type, node.seriesMasterId, node.originalStart]))
        .toEqual([['OCCURRENCE', series.id, '2026-03-23T08:00:00.000Z'], ['OCCURRENCE', series.id, '2026-03-30T07:00:00.000Z'], ['OCCURRENCE', series.id, '2026-04-06T07:00:00.000Z']]);
      const rest = await as<{ eventInstances: Connection }>('adele', INSTANCES, { id: series.id, ...window, first: 3, after: first.pageInfo.endCursor });
      expect(rest.data!.eventInstances.nodes.map((node) => node.originalStart)).toEqual(['2026-04-13T07:00:00.000Z']);
      expect(rest.data!.eventInstances.pageInfo).toEqual({ hasNextPage: false, endCursor: null });

      const other = await create(weekly('Another series'));
      const misused = await as('adele', INSTANCES, { id: other.id, ...window, first: 3, after: first.pageInfo.endCursor });
      expect(extensionsOf(misused)).toEqual({ code: 'BAD_USER_INPUT', field: 'after', fields: [{ field: 'after', message: expect.stringMatching(/^after /) }] });
    });

    it('edits one occurrence into an exception and deletes another, as Graph does', async () => {
      const series = await create(weekly('Editable series'));
      const [, second, third] = (await as<{ eventInstances: Connection }>('adele', INSTANCES, { id: series.id, ...window })).data!.eventInstances.nodes;
      const moved = await as<{ updateEvent: EventData }>('adele', UPDATE, { id: second.id, input: { subject: 'Moved sync', start: at('2026-03-30', '15:00'), end: at('2026-03-30', '15:30') } });
      expect(moved.data!.updateEvent).toMatchObject({ type: 'EXCEPTION', subject: 'Moved sync', originalStart: '2026-03-30T07:00:00.000Z', start: { dateTime: '2026-03-30T15:00:00.0000000' } });
      expect((await as<{ deleteEvent: boolean }>('adele', DELETE, { id: third.id })).data!.deleteEvent).toBe(true);
      const after = (await as<{ eventInstances: Connection }>('adele', INSTANCES, { id: series.id, ...window })).data!.eventInstances;
      expect(after.totalCount).toBe(3);
      expect(after.nodes.map((node) => [node.type, node.subject])).toEqual([['OCCURRENCE', 'Editable series'], ['EXCEPTION', 'Moved sync'], ['OCCURRENCE', 'Editable series']]);
    });

    it.each([
      ['interval 0', { pattern: { type: 'DAILY', interval: 0 }, range: { type: 'NO_END', startDate: '2026-03-23' } }, 'input.recurrence.pattern.interval'],
      ['WEEKLY without days', { pattern: { type: 'WEEKLY', interval: 1 }, range: { type: 'NO_END', startDate: '2026-03-23' } }, 'input.recurrence.pattern.daysOfWeek'],
      ['RELATIVE_YEARLY without days', { pattern: { type: 'RELATIVE_YEARLY', interval: 1, month: 3 }, range: { type: 'NO_END', startDate: '2026-03-23' } }, 'input.recurrence.pattern.daysOfWeek'],
      ['ABSOLUTE_MONTHLY without dayOfMonth', { pattern: { type: 'ABSOLUTE_MONTHLY', interval: 1 }, range: { type: 'NO_END', startDate: '2026-03-23' } }, 'input.recurrence.pattern.dayOfMonth'],
      ['ABSOLUTE_YEARLY without month', { pattern: { type: 'ABSOLUTE_YEARLY', interval: 1, dayOfMonth: 23 }, range: { type: 'NO_END', startDate: '2026-03-23' } }, 'input.recurrence.pattern.month'],
      ['END_DATE without endDate', { pattern: { type: 'DAILY', interval: 1 }, range: { type: 'END_DATE', startDate: '2026-03-23' } }, 'input.recurrence.range.endDate'],
      ['NUMBERED without a count', { pattern: { type: 'DAILY', interval: 1 }, range: { type: 'NUMBERED', startDate: '2026-03-23' } }, 'input.recurrence.range.numberOfOccurrences'],
      ['a date that does not exist', { pattern: { type: 'DAILY', interval: 1 }, range: { type: 'NO_END', startDate: '2026-02-30' } }, 'input.recurrence.range.startDate'],
      ['an unknown zone', { pattern: { type: 'DAILY', interval: 1 }, range: { type: 'NO_END', startDate: '2026-03-23', recurrenceTimeZone: 'Mars/Base' } }, 'input.recurrence.range.recurrenceTimeZone'],
    ])('refuses %s with BAD_USER_INPUT before calling Microsoft', async (_name, recurrence, field) => {
      started.sandbox!.control.resetCounters();
      const response = await as('adele', CREATE, { input: { subject: 'Bad series', start: at('2026-03-23', '09:00'), end: at('2026-03-23', '10:00'), recurrence } });
      expect(extensionsOf(response)).toEqual({ code: 'BAD_USER_INPUT', field, fields: [{ field, message: expect.stringMatching(new RegExp(`^${field} must `)) }] });
      expect(started.sandbox!.control.counters().graphRequests['POST /me/events']).toBeUndefined();
    });
  });

  describe('every broken rule at once', () => {
    it('reports each broken rule of a series in one BAD_USER_INPUT, before calling Microsoft', async () => {
      started.sandbox!.control.resetCounters();
      const recurrence = { pattern: { type: 'WEEKLY', interval: 0 }, range: { type: 'NUMBERED', startDate: '2026-02-30', recurrenceTimeZone: 'Mars/Base' } };
      const response = await as('adele', CREATE, { input: { subject: ' ', start: at('2026-03-23', '09:00'), end: at('2026-03-23', '10:00'), recurrence } });
      expect((extensionsOf(response)?.fields as Array<{ field: string }>).map((failure) => failure.field)).toEqual([
        'input.subject',
        'input.recurrence.pattern.interval',
        'input.recurrence.pattern.daysOfWeek',
        'input.recurrence.range.startDate',
        'input.recurrence.range.numberOfOccurrences',
        'input.recurrence.range.recurrenceTimeZone',
      ]);
      expect(started.sandbox!.control.counters().graphRequests['POST /me/events']).toBeUndefined();
    });

    it('reports a malformed series id and a page size out of range in eventInstances together', async () => {
      const response = await as('adele', INSTANCES, { id: 'not/an id', start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z', first: 0 });
      expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', fields: expect.arrayContaining([
        { field: 'seriesMasterId', message: expect.stringMatching(/^seriesMasterId must be /) },
        { field: 'first', message: 'first must be between 1 and 200.' },
      ]) });
    });
  });

  describe('online meetings and counts', () => {
    it('creates an online meeting and returns its Teams join link', async () => {
      const meeting = await create({ subject: 'Teams call', start: at('2026-05-11', '09:00'), end: at('2026-05-11', '09:30'), isOnlineMeeting: true });
      expect(meeting.onlineMeetingJoinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
      const plain = await create({ subject: 'In person', start: at('2026-05-11', '10:00'), end: at('2026-05-11', '10:30') });
      expect(plain.onlineMeetingJoinUrl).toBeNull();
    });

    it('counts every event of the window in totalCount, whatever the page size', async () => {
      for (const hour of ['09:00', '11:00', '13:00']) await create({ subject: `Counted ${hour}`, start: at('2026-05-12', hour), end: at('2026-05-12', hour.replace(':00', ':30')) });
      const page = await as<{ events: { totalCount: number; nodes: unknown[] } }>('adele', 'query { events(start: "2026-05-12T00:00:00Z", end: "2026-05-13T00:00:00Z", first: 1) { totalCount nodes { id } } }', {});
      expect(page.data!.events).toMatchObject({ totalCount: 3, nodes: [expect.anything()] });
    });
  });
});
