// Graph's meeting actions, recurring series, instances, $count and body formats, through the real Graph client.
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { ADELE, ALEX, graphClient, rawRequest, startWithAdeleAndAlex, type TestSandbox } from './helpers';

let env: TestSandbox;
let tokens: Record<string, string>;
let adele: Client;
let alex: Client;

beforeAll(async () => {
  ({ env, tokens, adele, alex } = await startWithAdeleAndAlex());
});
afterAll(async () => {
  await env?.close();
});
beforeEach(() => env.sandbox.control.reset());

const failureOf = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (error: GraphError) => error);
const post = (email: string, path: string, body: unknown = {}, headers: Record<string, string> = {}) => rawRequest(env, path, {
  method: 'POST', headers: { authorization: `Bearer ${tokens[email]}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
});
const get = (email: string, path: string, headers: Record<string, string> = {}) => rawRequest(env, path, { headers: { authorization: `Bearer ${tokens[email]}`, ...headers } });

interface GraphEventJson {
  id: string; subject: string; iCalUId: string; isOrganizer: boolean; isCancelled: boolean; type: string; originalStart?: string;
  responseStatus: { response: string; time: string }; attendees: Array<{ emailAddress: { address: string }; status: { response: string } }>;
}

async function meetingWithAlex(subject: string, day: string): Promise<{ mine: GraphEventJson; alexCopy: GraphEventJson }> {
  const mine = await adele.api('/me/events').post({
    subject, start: { dateTime: `${day}T09:00:00`, timeZone: 'UTC' }, end: { dateTime: `${day}T10:00:00`, timeZone: 'UTC' },
    attendees: [{ emailAddress: { address: ALEX }, type: 'required' }],
  });
  const view = await alex.api('/me/calendarView').query({ startDateTime: `${day}T00:00:00Z`, endDateTime: `${day}T23:59:59Z` }).get();
  return { mine, alexCopy: view.value.find((event: GraphEventJson) => event.subject === subject) };
}

describe('meeting requests and responses', () => {
  it("delivers the meeting to an attendee's calendar, not organized by them and not yet answered", async () => {
    const { mine, alexCopy } = await meetingWithAlex('Delivered', '2026-07-01');
    expect(alexCopy).toMatchObject({ isOrganizer: false, iCalUId: mine.iCalUId, responseStatus: { response: 'notResponded' }, organizer: { emailAddress: { address: ADELE } } });
    expect(alexCopy.id).not.toBe(mine.id);
  });

  it("accepts with 202 and no body, and the organizer's copy shows the attendee's answer", async () => {
    const { mine, alexCopy } = await meetingWithAlex('To accept', '2026-07-02');
    const answer = await post(ALEX, `/v1.0/me/events/${alexCopy.id}/accept`, { comment: 'See you there', sendResponse: true });
    expect([answer.status, answer.body]).toEqual([202, '']);
    expect((await alex.api(`/me/events/${alexCopy.id}`).get()).responseStatus.response).toBe('accepted');
    const organizerView = (await adele.api(`/me/events/${mine.id}`).get()) as GraphEventJson;
    expect(organizerView.attendees.find((attendee) => attendee.emailAddress.address === ALEX)?.status.response).toBe('accepted');
  });

  it('declines and tentatively accepts; with sendResponse false the organizer is not told', async () => {
    const { mine, alexCopy } = await meetingWithAlex('To decline', '2026-07-03');
    expect((await post(ALEX, `/v1.0/me/events/${alexCopy.id}/tentativelyAccept`, {})).status).toBe(202);
    expect((await alex.api(`/me/events/${alexCopy.id}`).get()).responseStatus.response).toBe('tentativelyAccepted');
    expect((await post(ALEX, `/v1.0/me/events/${alexCopy.id}/decline`, { sendResponse: false })).status).toBe(202);
    expect((await alex.api(`/me/events/${alexCopy.id}`).get()).responseStatus.response).toBe('declined');
    const organizerView = (await adele.api(`/me/events/${mine.id}`).get()) as GraphEventJson;
    expect(organizerView.attendees[0].status.response).toBe('tentativelyAccepted');
  });

  it('refuses a response from the organizer and properties the action does not have', async () => {
    const { mine, alexCopy } = await meetingWithAlex('Own meeting', '2026-07-04');
    expect(await failureOf(adele.api(`/me/events/${mine.id}/accept`).post({}))).toMatchObject({ statusCode: 400, code: 'ErrorInvalidRequest' });
    expect(await failureOf(alex.api(`/me/events/${alexCopy.id}/accept`).post({ colour: 'red' }))).toMatchObject({ statusCode: 400, code: 'BadRequest' });
  });

  it("cancels for the organizer only (202), marking the organizer's event cancelled and messaging nobody", async () => {
    const { mine, alexCopy } = await meetingWithAlex('To cancel', '2026-07-05');
    expect(await failureOf(alex.api(`/me/events/${alexCopy.id}/cancel`).post({ comment: 'no' }))).toMatchObject({ statusCode: 400, code: 'ErrorAccessDenied' });
    const cancelled = await post(ADELE, `/v1.0/me/events/${mine.id}/cancel`, { comment: 'Plans changed' });
    expect([cancelled.status, cancelled.body]).toEqual([202, '']);
    expect((await adele.api(`/me/events/${mine.id}`).get()).isCancelled).toBe(true);
    expect((await alex.api(`/me/events/${alexCopy.id}`).get()).isCancelled).toBe(false);
  });
});

describe('recurring series', () => {
  const series = (subject: string, recurrence: unknown, day = '2026-09-01') => ({
    subject, start: { dateTime: `${day}T09:00:00`, timeZone: 'Romance Standard Time' }, end: { dateTime: `${day}T09:30:00`, timeZone: 'Romance Standard Time' }, recurrence,
  });

  it('reads a recurrence back with the defaults Graph fills in', async () => {
    const created = await adele.api('/me/events').post(series('Monthly', { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 1 }, range: { type: 'noEnd', startDate: '2026-09-01' } }));
    expect(created.recurrence).toEqual({
      pattern: { type: 'absoluteMonthly', interval: 1, month: 0, dayOfMonth: 1, daysOfWeek: [], firstDayOfWeek: 'sunday', index: 'first' },
      range: { type: 'noEnd', startDate: '2026-09-01', endDate: '0001-01-01', recurrenceTimeZone: 'Romance Standard Time', numberOfOccurrences: 0 },
    });
  });

  it('expands a relativeYearly series (last Friday of November)', async () => {
    const created = await adele.api('/me/events').post(series('Yearly', {
      pattern: { type: 'relativeYearly', interval: 1, month: 11, daysOfWeek: ['friday'], index: 'last' }, range: { type: 'numbered', startDate: '2026-11-27', numberOfOccurrences: 2 },
    }, '2026-11-27'));
    const instances = await adele.api(`/me/events/${created.id}/instances`).query({ startDateTime: '2026-01-01T00:00:00Z', endDateTime: '2028-12-31T00:00:00Z' }).get();
    expect(instances.value.map((event: { start: { dateTime: string } }) => event.start.dateTime.slice(0, 10))).toEqual(['2026-11-27', '2027-11-26']);
  });

  it.each([
    ['weekly without daysOfWeek', { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: '2026-09-01' } }],
    ['absoluteMonthly without dayOfMonth', { pattern: { type: 'absoluteMonthly', interval: 1 }, range: { type: 'noEnd', startDate: '2026-09-01' } }],
    ['absoluteYearly without month', { pattern: { type: 'absoluteYearly', interval: 1, dayOfMonth: 1 }, range: { type: 'noEnd', startDate: '2026-09-01' } }],
    ['endDate without endDate', { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', startDate: '2026-09-01' } }],
    ['numbered without numberOfOccurrences', { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-09-01' } }],
  ])('refuses %s with 400 ErrorPropertyValidationFailure', async (_name, recurrence) => {
    expect(await failureOf(adele.api('/me/events').post(series('Bad', recurrence)))).toMatchObject({ statusCode: 400, code: 'ErrorPropertyValidationFailure' });
  });

  it('lists instances in pages with a nextLink and @odata.count; exceptions keep their originalStart, deleted ones are gone', async () => {
    const master = await adele.api('/me/events').post(series('Daily', { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', startDate: '2026-09-01', endDate: '2026-09-05' } }));
    const window = { startDateTime: '2026-08-31T00:00:00Z', endDateTime: '2026-09-10T00:00:00Z' };
    const first = await adele.api(`/me/events/${master.id}/instances`).query({ ...window, $top: '2', $count: 'true' }).get();
    expect(first['@odata.count']).toBe(5);
    expect(first.value.map((event: GraphEventJson) => [event.type, event.originalStart])).toEqual([['occurrence', '2026-09-01T07:00:00Z'], ['occurrence', '2026-09-02T07:00:00Z']]);
    expect(first['@odata.nextLink']).toContain(`/v1.0/me/events/${master.id}/instances?`);

    const second = first.value[1] as GraphEventJson;
    const moved = await adele.api(`/me/events/${second.id}`).patch({ start: { dateTime: '2026-09-02T15:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-09-02T15:30:00', timeZone: 'UTC' } });
    expect(moved).toMatchObject({ type: 'exception', originalStart: '2026-09-02T07:00:00Z', start: { dateTime: '2026-09-02T15:00:00.0000000' } });
    await adele.api(`/me/events/${first.value[0].id}`).delete();

    const after = await adele.api(`/me/events/${master.id}/instances`).query({ ...window, $count: 'true' }).get();
    expect(after['@odata.count']).toBe(4);
    expect(after.value.map((event: GraphEventJson) => event.type)).toEqual(['exception', 'occurrence', 'occurrence', 'occurrence']);
    expect(after['@odata.nextLink']).toBeUndefined();
  });

  it('shows cancelledOccurrences, uid and occurrenceId on beta only', async () => {
    const master = await adele.api('/me/events').post(series('Beta shape', { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-10-01', numberOfOccurrences: 3 } }, '2026-10-01'));
    const window = { startDateTime: '2026-10-01T00:00:00Z', endDateTime: '2026-10-04T00:00:00Z' };
    const occurrences = (await adele.api(`/me/events/${master.id}/instances`).query(window).get()).value;
    await adele.api(`/me/events/${occurrences[1].id}`).delete();
    const beta = graphClient(env, async () => tokens[ADELE], 'beta');
    const betaMaster = await beta.api(`/me/events/${master.id}`).get();
    expect(betaMaster).toMatchObject({ uid: master.iCalUId, occurrenceId: null, cancelledOccurrences: [`OID.${master.id}.2026-10-02`] });
    expect((await beta.api(`/me/events/${occurrences[0].id}`).get())).toMatchObject({ uid: master.iCalUId, occurrenceId: `OID.${master.id}.2026-10-01` });
    const v1Master = await adele.api(`/me/events/${master.id}`).get();
    expect(['uid', 'occurrenceId', 'cancelledOccurrences'].filter((name) => name in v1Master)).toEqual([]);
  });
});

describe('query options and bodies', () => {
  it('answers $top=0 with the count alone and no nextLink', async () => {
    const window = new URLSearchParams({ startDateTime: '2020-01-01T00:00:00Z', endDateTime: '2024-12-01T00:00:00Z', $top: '0', $count: 'true' });
    await adele.api('/me/events').post({ subject: 'Counted', start: { dateTime: '2022-01-01T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2022-01-01T10:00:00', timeZone: 'UTC' } });
    const counted = JSON.parse((await get(ADELE, `/v1.0/me/calendarView?${window}`)).body);
    expect(counted).toMatchObject({ '@odata.count': 1, value: [] });
    expect(counted['@odata.nextLink']).toBeUndefined();
  });

  it('returns bodies as HTML unless Prefer: outlook.body-content-type="text" asks for text', async () => {
    const created = await adele.api('/me/events').post({
      subject: 'Body', body: { contentType: 'text', content: 'Bring <notes> & coffee' },
      start: { dateTime: '2026-12-01T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-01T10:00:00', timeZone: 'UTC' },
    });
    expect(created.body.contentType).toBe('html');
    expect(created.body.content).toContain('Bring &lt;notes&gt; &amp; coffee');
    const asText = await get(ADELE, `/v1.0/me/events/${created.id}`, { prefer: 'outlook.body-content-type="text"' });
    expect(asText.headers['preference-applied']).toBe('outlook.body-content-type="text"');
    expect(JSON.parse(asText.body).body).toEqual({ contentType: 'text', content: 'Bring <notes> & coffee' });
  });
});
