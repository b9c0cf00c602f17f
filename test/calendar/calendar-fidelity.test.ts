// Calendar fidelity with Graph end to end: every zone Graph takes, Graph's value sets as enums, and changeKey preconditions.
import { describeEachDatabase } from '../support/databases';
import { graphql, type GraphQLResponse } from '../support/http';
import { signInAs } from '../support/sign-in';
import { startSandboxedGateway, stopSandboxedGateway, type SandboxedGateway } from '../support/start-gateway';

const FIELDS = 'id subject changeKey showAs importance type attendees { email response } start { dateTime timeZone } end { dateTime timeZone }';
const CREATE = `mutation($input: CreateEventInput!) { createEvent(input: $input) { ${FIELDS} } }`;
const EVENT = `query($id: ID!, $timeZone: String) { event(id: $id, timeZone: $timeZone) { ${FIELDS} } }`;
const EVENTS = `query($start: DateTime!, $end: DateTime!, $timeZone: String) { events(start: $start, end: $end, timeZone: $timeZone, first: 200) { nodes { ${FIELDS} } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateEventInput!, $changeKey: String) { updateEvent(id: $id, input: $input, changeKey: $changeKey) { ${FIELDS} } }`;
const DELETE = 'mutation($id: ID!, $changeKey: String) { deleteEvent(id: $id, changeKey: $changeKey) }';

interface EventTime { dateTime: string; timeZone: string }
interface EventData {
  id: string; subject: string; changeKey: string; showAs: string; importance: string; type: string;
  attendees: Array<{ email: string; response: string }>; start: EventTime; end: EventTime;
}

let started: Partial<SandboxedGateway> = {};
let token = '';

const call = <T>(query: string, variables: Record<string, unknown>) => graphql<T>(started.gateway!.url, query, { token, variables });
const extensionsOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions;

async function create(subject: string, timeZone = 'UTC', day = '2026-01-15'): Promise<EventData> {
  const response = await call<{ createEvent: EventData }>(CREATE, {
    input: {
      subject, start: { dateTime: `${day}T09:00:00`, timeZone }, end: { dateTime: `${day}T10:00:00`, timeZone },
      attendees: [{ email: 'sam@contoso.example', name: 'Sam' }],
    },
  });
  expect(response.errors).toBeUndefined();
  return response.data!.createEvent;
}

describeEachDatabase('calendar fidelity with Graph', (target) => {
  beforeAll(async () => {
    started = await startSandboxedGateway(target.freshUrl());
    token = (await signInAs(started.gateway!, started.sandbox!.users[0].email)).sessionToken;
  });

  afterAll(() => stopSandboxedGateway(started, target));

  beforeEach(() => started.sandbox?.control.reset());

  describe('time zones', () => {
    it.each([
      // Windows names from several regions, beyond the common ones, and the UTC±N names.
      ['Sri Lanka Standard Time', 'Sri Lanka Standard Time', '2026-01-15T03:30:00'],
      ['E. Africa Standard Time', 'E. Africa Standard Time', '2026-01-15T06:00:00'],
      ['hawaiian standard time', 'Hawaiian Standard Time', '2026-01-15T19:00:00'],
      ['Magallanes Standard Time', 'Magallanes Standard Time', '2026-01-15T12:00:00'],
      ['UTC-11', 'UTC-11', '2026-01-15T20:00:00'],
      ['UTC+12', 'UTC+12', '2026-01-14T21:00:00'],
      // IANA canonical names outside Graph's documented set, and links.
      ['America/Toronto', 'America/Toronto', '2026-01-15T14:00:00'],
      ['Asia/Kathmandu', 'Asia/Kathmandu', '2026-01-15T03:15:00'],
      ['Pacific/Chatham', 'Pacific/Chatham', '2026-01-14T19:15:00'],
      ['Asia/Calcutta', 'Asia/Calcutta', '2026-01-15T03:30:00'],
      ['America/Buenos_Aires', 'America/Buenos_Aires', '2026-01-15T12:00:00'],
      ['Europe/Kyiv', 'Europe/Kyiv', '2026-01-15T07:00:00'],
      ['Etc/GMT+5', 'Etc/GMT+5', '2026-01-15T14:00:00'],
    ])('creates and reads an event in %p, shown as %p', async (typed, shown, utcStart) => {
      const created = await create(`zone ${typed}`, typed);
      expect(created.start).toEqual({ dateTime: '2026-01-15T09:00:00.0000000', timeZone: shown });
      expect(created.end).toEqual({ dateTime: '2026-01-15T10:00:00.0000000', timeZone: shown });
      const inUtc = await call<{ event: EventData }>(EVENT, { id: created.id });
      expect(inUtc.data!.event.start).toEqual({ dateTime: `${utcStart}.0000000`, timeZone: 'UTC' });
      const inZone = await call<{ event: EventData }>(EVENT, { id: created.id, timeZone: typed });
      expect(inZone.errors).toBeUndefined();
      expect(inZone.data!.event.start).toEqual({ dateTime: '2026-01-15T09:00:00.0000000', timeZone: shown });
    });

    it('lists events in an IANA zone Graph does not take by name, labelled with that name', async () => {
      const created = await create('listed in Toronto', 'UTC', '2026-02-10');
      const listed = await call<{ events: { nodes: EventData[] } }>(EVENTS, { start: '2026-02-10T00:00:00Z', end: '2026-02-11T00:00:00Z', timeZone: 'America/Toronto' });
      expect(listed.errors).toBeUndefined();
      const node = listed.data!.events.nodes.find((event) => event.id === created.id);
      expect(node?.start).toEqual({ dateTime: '2026-02-10T04:00:00.0000000', timeZone: 'America/Toronto' });
    });

    it.each(['Mars/Olympus_Mons', 'Greenwich Mean Time', 'Pacific Time', 'UTC+14', '+01:00', 'Antarctica/Troll'])(
      'answers BAD_USER_INPUT for %p, before calling Microsoft', async (timeZone) => {
        const created = await call(CREATE, { input: { subject: 'bad zone', start: { dateTime: '2026-01-15T09:00:00', timeZone }, end: { dateTime: '2026-01-15T10:00:00', timeZone } } });
        expect(extensionsOf(created)).toEqual({
          code: 'BAD_USER_INPUT',
          field: 'input.start.timeZone',
          fields: ['input.start.timeZone', 'input.end.timeZone'].map((field) => ({ field, message: expect.stringMatching(new RegExp(`^${field} must be a time zone`)) })),
        });
        const listed = await call(EVENTS, { start: '2026-01-15T00:00:00Z', end: '2026-01-16T00:00:00Z', timeZone });
        expect(extensionsOf(listed)).toEqual({ code: 'BAD_USER_INPUT', field: 'timeZone', fields: [{ field: 'timeZone', message: expect.stringMatching(/^\S+ must be /) }] });
      },
    );
  });

  describe("Graph's value sets as enums", () => {
    it('maps showAs, importance, type and attendee responses to their enum values', async () => {
      const created = await create('enums');
      expect(created).toMatchObject({ showAs: 'BUSY', importance: 'NORMAL', type: 'SINGLE_INSTANCE', attendees: [{ email: 'sam@contoso.example', response: 'NONE' }] });
    });

    it('reads values Graph adds later as UNKNOWN, in a single event and in a list, without failing the query', async () => {
      const created = await create('future values', 'UTC', '2026-03-03');
      started.sandbox!.control.overrideEventFields({
        showAs: 'focusTime', importance: 'critical', type: 'draftInstance',
        attendees: [{ type: 'required', status: { response: 'maybeLater', time: '0001-01-01T00:00:00Z' }, emailAddress: { name: 'Sam', address: 'sam@contoso.example' } }],
      });
      const unknown = { showAs: 'UNKNOWN', importance: 'UNKNOWN', type: 'UNKNOWN', attendees: [{ email: 'sam@contoso.example', response: 'UNKNOWN' }] };
      const read = await call<{ event: EventData }>(EVENT, { id: created.id });
      expect(read.errors).toBeUndefined();
      expect(read.data!.event).toMatchObject(unknown);
      const listed = await call<{ events: { nodes: EventData[] } }>(EVENTS, { start: '2026-03-03T00:00:00Z', end: '2026-03-04T00:00:00Z' });
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.events.nodes.find((event) => event.id === created.id)).toMatchObject(unknown);
    });
  });

  describe('changeKey preconditions', () => {
    it('updates with the current changeKey and answers CONFLICT with the current one for a stale changeKey', async () => {
      const created = await create('versioned');
      const first = await call<{ updateEvent: EventData }>(UPDATE, { id: created.id, input: { subject: 'versioned 2' }, changeKey: created.changeKey });
      expect(first.errors).toBeUndefined();
      const current = first.data!.updateEvent.changeKey;
      expect(current).not.toBe(created.changeKey);

      const stale = await call(UPDATE, { id: created.id, input: { subject: 'lost update' }, changeKey: created.changeKey });
      expect(extensionsOf(stale)).toEqual({ code: 'CONFLICT', currentChangeKey: current });
      expect(stale.errors![0].message).toMatch(/changed since the changeKey/);
      expect((await call<{ event: EventData }>(EVENT, { id: created.id })).data!.event.subject).toBe('versioned 2');
    });

    it('lets the last writer win without a changeKey', async () => {
      const created = await create('no precondition');
      await call(UPDATE, { id: created.id, input: { subject: 'first writer' } });
      const last = await call<{ updateEvent: EventData }>(UPDATE, { id: created.id, input: { subject: 'last writer' } });
      expect(last.errors).toBeUndefined();
      expect(last.data!.updateEvent.subject).toBe('last writer');
    });

    it('deletes only with the current changeKey', async () => {
      const created = await create('delete me');
      const updated = (await call<{ updateEvent: EventData }>(UPDATE, { id: created.id, input: { subject: 'changed' } })).data!.updateEvent;
      const stale = await call(DELETE, { id: created.id, changeKey: created.changeKey });
      expect(extensionsOf(stale)).toEqual({ code: 'CONFLICT', currentChangeKey: updated.changeKey });
      expect((await call<{ event: EventData | null }>(EVENT, { id: created.id })).data!.event?.id).toBe(created.id);
      const deleted = await call<{ deleteEvent: boolean }>(DELETE, { id: created.id, changeKey: updated.changeKey });
      expect(deleted.data?.deleteEvent).toBe(true);
      expect((await call<{ event: EventData | null }>(EVENT, { id: created.id })).data!.event).toBeNull();
    });

    it('refuses a changeKey that cannot be one', async () => {
      const created = await create('odd changeKey');
      const response = await call(UPDATE, { id: created.id, input: { subject: 'x' }, changeKey: 'has "quotes"' });
      expect(extensionsOf(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'changeKey', fields: [{ field: 'changeKey', message: expect.stringMatching(/^\S+ must be /) }] });
    });
  });
});
