// Graph ids in standard base64 and loosely spelled time zones, end to end against the sandbox (which spells zones as Graph does).
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { describeEachDatabase } from '../support/databases';
import { graphql, type GraphQLResponse } from '../support/http';
import { signInAs } from '../support/sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const CREATE = 'mutation($input: CreateEventInput!) { createEvent(input: $input) { id subject start { dateTime timeZone } } }';
const EVENT = 'query($id: ID!, $timeZone: String) { event(id: $id, timeZone: $timeZone) { id subject start { dateTime timeZone } } }';

let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;
let token = '';

const call = <T>(query: string, variables: Record<string, unknown>) => graphql<T>(gateway!.url, query, { token, variables });
const standardBase64 = (id: string) => id.replace(/-/g, '+').replace(/_/g, '/');

async function create(subject: string, timeZone: string) {
  return call<{ createEvent: { id: string; subject: string; start: { dateTime: string; timeZone: string } } }>(CREATE, {
    input: { subject, start: { dateTime: '2026-01-15T09:00:00', timeZone }, end: { dateTime: '2026-01-15T10:00:00', timeZone } },
  });
}

describeEachDatabase('calendar ids, zones and dates', (target) => {
  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    gateway = await startTestGateway({ RATE_LIMITS: 'off', DATABASE_URL: target.freshUrl() }, { sandbox });
    token = (await signInAs(gateway, sandbox.users[0].email)).sessionToken;
  });

  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
    await target.dropAll();
  });

  describe('Graph ids with / and +', () => {
    it('reads, updates and deletes an event by its standard-base64 id', async () => {
      let id = '';
      for (let attempt = 0; attempt < 40 && !/[-_]/.test(id.slice(6)); attempt += 1) id = (await create(`ids ${attempt}`, 'UTC')).data!.createEvent.id;
      const standard = standardBase64(id);
      expect(standard).toMatch(/[/+]/);
      const read = await call<{ event: { id: string } | null }>(EVENT, { id: standard });
      expect(read.errors).toBeUndefined();
      expect(read.data!.event?.id).toBe(id);
      const updated = await call<{ updateEvent: { subject: string } }>('mutation($id: ID!) { updateEvent(id: $id, input: { subject: "renamed" }) { subject } }', { id: standard });
      expect(updated.data?.updateEvent.subject).toBe('renamed');
      const deleted = await call<{ deleteEvent: boolean }>('mutation($id: ID!) { deleteEvent(id: $id) }', { id: standard });
      expect(deleted.data?.deleteEvent).toBe(true);
    });

    it('answers BAD_USER_INPUT on id when Graph says the id is malformed', async () => {
      const response: GraphQLResponse<unknown> = await call(EVENT, { id: 'AAMk/not+an=id' });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    });
  });

  describe('time-zone spellings', () => {
    it.each([
      ['Z', 'UTC'], ['GMT', 'UTC'], ['etc/utc', 'UTC'], ['europe/paris', 'Europe/Paris'], ['romance standard time', 'Romance Standard Time'],
    ])('creates an event in %p (sent to Graph as %p)', async (typed, canonical) => {
      const created = await create(`zone ${typed}`, typed);
      expect(created.errors).toBeUndefined();
      expect(created.data!.createEvent.start.timeZone).toBe(canonical);
    });

    it('reads with a loosely spelled timeZone argument', async () => {
      const created = await create('read zone', 'UTC');
      const read = await call<{ event: { start: { dateTime: string; timeZone: string } } }>(EVENT, { id: created.data!.createEvent.id, timeZone: 'europe/paris' });
      expect(read.errors).toBeUndefined();
      expect(read.data!.event.start).toEqual({ dateTime: expect.stringMatching(/^2026-01-15T10:00:00/), timeZone: 'Europe/Paris' });
    });
  });

  describe('DateTime arguments', () => {
    const EVENTS = 'query($start: DateTime!, $end: DateTime!) { events(start: $start, end: $end) { nodes { id } } }';

    it.each([
      ['a variable without an offset', { start: '2026-01-15T09:00:00', end: '2026-01-16T00:00:00Z' }, 'start'],
      ['a variable that is not a date', { start: '2026-01-15T00:00:00Z', end: 'next tuesday' }, 'end'],
      ['a variable on a day that does not exist', { start: '2026-02-30T00:00:00Z', end: '2026-03-02T00:00:00Z' }, 'start'],
    ])('names the argument in BAD_USER_INPUT for %s', async (_case, variables, field) => {
      const response = await call(EVENTS, variables);
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field, fields: [{ field, message: expect.stringMatching(new RegExp(`^${field} must be a real ISO 8601 date-time`)) }] });
    });

    it('names the argument for an inline literal too', async () => {
      const response = await call('{ events(start: "2026-01-15T00:00:00Z", end: "yesterday") { nodes { id } } }', {});
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'end', fields: [{ field: 'end', message: expect.stringMatching(/^\S+ must be /) }] });
    });
  });
});
