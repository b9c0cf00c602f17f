// Graph's calendar slice through the real @microsoft/microsoft-graph-client, signed in with the real msal-node.
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

const DAY = 86_400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const iso = (ms: number) => new Date(ms).toISOString();
const fortnight = { startDateTime: iso(today.getTime() - 8 * DAY), endDateTime: iso(today.getTime() + 11 * DAY) };
const failureOf = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (error: GraphError) => error);
const SEVEN_DIGITS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$/;

describe('/me and calendars', () => {
  it('returns the signed-in user', async () => {
    const me = await adele.api('/me').get();
    expect(me).toMatchObject({ displayName: 'Adele Vance', mail: ADELE, userPrincipalName: ADELE, id: env.sandbox.users[0].id, givenName: 'Adele', surname: 'Vance' });
    expect(me['@odata.context']).toBe(`${env.sandbox.graphBaseUrl}/v1.0/$metadata#users/$entity`);
  });

  it('lists a default editable calendar and a read-only one', async () => {
    const calendars = (await adele.api('/me/calendars').get()).value;
    expect(calendars.map((c: { name: string; canEdit: boolean; isDefaultCalendar: boolean }) => [c.name, c.canEdit, c.isDefaultCalendar]))
      .toEqual([['Calendar', true, true], ['Company holidays', false, false]]);
    expect(calendars[0].id).toMatch(/^AAMkAG[A-Za-z0-9_-]+=*$/);
    const byDefault = await adele.api('/me/calendar').get();
    expect(byDefault.id).toBe(calendars[0].id);
    expect((await adele.api(`/me/calendars/${calendars[1].id}`).get()).name).toBe('Company holidays');
  });

  it('serves beta too', async () => {
    const beta = graphClient(env, async () => tokens[ADELE], 'beta');
    expect((await beta.api('/me').get())['@odata.context']).toContain('/beta/$metadata#users/$entity');
  });
});

describe('calendarView', () => {
  it('requires startDateTime and endDateTime', async () => {
    const error = await failureOf(adele.api('/me/calendarView').get());
    expect(error).toMatchObject({ statusCode: 400, code: 'ErrorInvalidParameter' });
    expect(error.message).toBe('This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
  });

  it('refuses a window over 1825 days', async () => {
    const error = await failureOf(adele.api('/me/calendarView').query({ startDateTime: '2020-01-01T00:00:00Z', endDateTime: '2025-01-01T00:00:00Z' }).get());
    expect(error).toMatchObject({ statusCode: 400, code: 'ErrorInvalidRequest' });
  });

  it('pages by 10 with a full-URL nextLink and expands the weekly series', async () => {
    const first = await adele.api('/me/calendarView').query(fortnight).get();
    expect(first.value).toHaveLength(10);
    expect(first['@odata.nextLink']).toMatch(new RegExp(`^${env.sandbox.graphBaseUrl}/v1.0/me/calendarView\\?.*%24skip=10`));
    const all = [...first.value];
    let next = first['@odata.nextLink'];
    while (next) {
      const pageResult = await adele.api(next).get();
      all.push(...pageResult.value);
      next = pageResult['@odata.nextLink'];
    }
    const standUps = all.filter((event) => event.subject === 'Team stand-up');
    expect(standUps.length).toBeGreaterThanOrEqual(7);
    expect(standUps.every((event) => event.type === 'occurrence' && event.seriesMasterId && event.id !== event.seriesMasterId)).toBe(true);
    expect(new Set(standUps.map((event) => event.seriesMasterId)).size).toBe(1);
    const starts = all.map((event) => Date.parse(`${event.start.dateTime.slice(0, 23)}Z`));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(all.some((event) => event.isAllDay && event.subject === 'Contoso offsite')).toBe(true);
    expect(all.some((event) => event.isOnlineMeeting && event.onlineMeeting?.joinUrl?.startsWith('https://teams.microsoft.com/'))).toBe(true);
    expect(all.find((event) => event.subject === 'Vendor demo')?.isCancelled).toBe(true);
    expect(all.some((event) => event.subject === 'Company anniversary')).toBe(false); // only the default calendar
  });

  it('honours $top, $select and $orderby desc', async () => {
    const result = await adele.api('/me/calendarView').query({ ...fortnight, $top: '3', $select: 'subject,start', $orderby: 'start/dateTime desc' }).get();
    expect(result.value).toHaveLength(3);
    expect(Object.keys(result.value[0]).sort()).toEqual(['@odata.etag', 'id', 'start', 'subject']);
    expect(result['@odata.context']).toContain('/calendarView(subject,start)');
    expect(result.value[0].start.dateTime >= result.value[1].start.dateTime).toBe(true);
  });

  it('renders times in UTC by default and in the Prefer: outlook.timezone zone otherwise, echoing Preference-Applied', async () => {
    const window = { startDateTime: iso(today.getTime() - DAY), endDateTime: iso(today.getTime() + 2 * DAY), $top: '50' };
    const utc = await adele.api('/me/calendarView').query(window).get();
    const call = utc.value.find((event: { subject: string }) => event.subject === 'Customer call with Fabrikam');
    expect(call.start.timeZone).toBe('UTC');
    expect(call.start.dateTime).toMatch(SEVEN_DIGITS);
    expect(call.originalStartTimeZone).toBe('America/Los_Angeles');
    const raw = await rawRequest(env, `/v1.0/me/calendarView?${new URLSearchParams(window)}`, { headers: { authorization: `Bearer ${tokens[ADELE]}`, prefer: 'outlook.timezone="Pacific Standard Time"' } });
    expect(raw.headers['preference-applied']).toBe('outlook.timezone="Pacific Standard Time"');
    const pacific = JSON.parse(raw.body).value.find((event: { subject: string }) => event.subject === 'Customer call with Fabrikam');
    expect(pacific.start).toEqual({ dateTime: `${today.toISOString().slice(0, 10)}T08:00:00.0000000`, timeZone: 'Pacific Standard Time' });
    const error = await failureOf(adele.api('/me/calendarView').header('Prefer', 'outlook.timezone="Mars/Base"').query(window).get());
    expect(error).toMatchObject({ statusCode: 400, code: 'TimeZoneNotSupportedException' });
  });

  it('reads the read-only calendar by id', async () => {
    const calendars = (await adele.api('/me/calendars').get()).value;
    const holidays = await adele.api(`/me/calendars/${calendars[1].id}/calendarView`).query(fortnight).get();
    expect(holidays.value.map((event: { subject: string }) => event.subject).sort()).toEqual(['Company anniversary', 'Spring holiday']);
  });
});

describe('events', () => {
  const newEvent = (subject: string, timeZone = 'Romance Standard Time') => ({
    subject, body: { contentType: 'text', content: 'Agenda: one thing.' },
    start: { dateTime: '2026-06-01T09:00:00', timeZone }, end: { dateTime: '2026-06-01T10:00:00', timeZone },
    location: { displayName: 'Room 1' }, isOnlineMeeting: true,
    attendees: [{ emailAddress: { address: ALEX, name: 'Alex Wilber' }, type: 'required' }],
  });

  it('creates (201), reads, updates with a new changeKey, and deletes (204) an event', async () => {
    const created = await rawRequest(env, '/v1.0/me/events', { method: 'POST', headers: { authorization: `Bearer ${tokens[ADELE]}`, 'content-type': 'application/json' }, body: JSON.stringify(newEvent('Planning')) });
    expect(created.status).toBe(201);
    const event = JSON.parse(created.body);
    expect(event).toMatchObject({
      subject: 'Planning', bodyPreview: 'Agenda: one thing.', type: 'singleInstance', seriesMasterId: null, isOrganizer: true, showAs: 'busy', importance: 'normal', isAllDay: false, isCancelled: false,
      start: { dateTime: '2026-06-01T07:00:00.0000000', timeZone: 'UTC' }, location: { displayName: 'Room 1' }, organizer: { emailAddress: { address: ADELE } },
      attendees: [{ type: 'required', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: { address: ALEX, name: 'Alex Wilber' } }],
      isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness', onlineMeetingUrl: null,
    });
    expect(event.id).toMatch(/^AAMkAG[A-Za-z0-9_-]+=*$/);
    expect(event['@odata.etag']).toBe(`W/"${event.changeKey}"`);
    expect(event.createdDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect(event.webLink).toContain(encodeURIComponent(event.id));
    expect(event.onlineMeeting.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);

    const read = await adele.api(`/me/events/${event.id}`).get();
    expect(read.iCalUId).toBe(event.iCalUId);
    const patched = await adele.api(`/me/events/${event.id}`).patch({ subject: 'Planning (moved)', start: { dateTime: '2026-06-01T11:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-06-01T12:00:00', timeZone: 'UTC' } });
    expect(patched.subject).toBe('Planning (moved)');
    expect(patched.changeKey).not.toBe(event.changeKey);
    expect(patched.start.dateTime).toBe('2026-06-01T11:00:00.0000000');

    const deleted = await rawRequest(env, `/v1.0/me/events/${event.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens[ADELE]}` } });
    expect(deleted.status).toBe(204);
    expect(await failureOf(adele.api(`/me/events/${event.id}`).get())).toMatchObject({ statusCode: 404, code: 'ErrorItemNotFound' });
  });

  it('refuses writes to the read-only calendar with 403 ErrorAccessDenied', async () => {
    const calendars = (await adele.api('/me/calendars').get()).value;
    expect(await failureOf(adele.api(`/me/calendars/${calendars[1].id}/events`).post(newEvent('Nope')))).toMatchObject({ statusCode: 403, code: 'ErrorAccessDenied' });
    const holiday = (await adele.api(`/me/calendars/${calendars[1].id}/calendarView`).query(fortnight).get()).value[0];
    expect(await failureOf(adele.api(`/me/events/${holiday.id}`).delete())).toMatchObject({ statusCode: 403, code: 'ErrorAccessDenied' });
  });

  it('creates in a named calendar and rejects malformed ids, unknown zones and unknown properties', async () => {
    const calendar = (await adele.api('/me/calendar').get()).id;
    const created = await adele.api(`/me/calendars/${calendar}/events`).post(newEvent('In calendar', 'Asia/Tokyo'));
    expect(created.originalStartTimeZone).toBe('Asia/Tokyo');
    expect(created.start.dateTime).toBe('2026-06-01T00:00:00.0000000');
    expect(await failureOf(adele.api('/me/events/not-an-id').get())).toMatchObject({ statusCode: 400, code: 'ErrorInvalidIdMalformed' });
    expect(await failureOf(adele.api('/me/events').post(newEvent('Bad', 'Mars/Base')))).toMatchObject({ statusCode: 400, code: 'TimeZoneNotSupportedException' });
    expect(await failureOf(adele.api('/me/events').post({ ...newEvent('Bad'), colour: 'red' }))).toMatchObject({ statusCode: 400, code: 'BadRequest' });
    expect(await failureOf(adele.api('/me/events').post({ ...newEvent('Bad'), end: { dateTime: '2026-06-01T08:00:00', timeZone: 'Romance Standard Time' } }))).toMatchObject({ statusCode: 400 });
  });

  it('keeps mailboxes apart: another user cannot see or touch the event', async () => {
    const created = await adele.api('/me/events').post(newEvent('Private to Adele'));
    expect(await failureOf(alex.api(`/me/events/${created.id}`).get())).toMatchObject({ statusCode: 404, code: 'ErrorItemNotFound' });
    expect(await failureOf(alex.api(`/me/events/${created.id}`).delete())).toMatchObject({ statusCode: 404 });
    // Alex is invited, so his calendar holds his own copy of the meeting under another id, never Adele's event.
    const alexView = await alex.api('/me/calendarView').query({ startDateTime: '2026-06-01T00:00:00Z', endDateTime: '2026-06-02T00:00:00Z' }).get();
    const alexIds = alexView.value.map((event: { id: string }) => event.id);
    expect(alexIds).not.toContain(created.id);
    expect((await alex.api('/me').get()).mail).toBe(ALEX);
  });

  it('gets, changes and deletes single occurrences of a series', async () => {
    const series = await adele.api('/me/events').post({
      ...newEvent('Weekly sync', 'Europe/Paris'), start: { dateTime: '2026-03-23T09:00:00', timeZone: 'Europe/Paris' }, end: { dateTime: '2026-03-23T09:30:00', timeZone: 'Europe/Paris' },
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-03-23', numberOfOccurrences: 3 } },
    });
    expect(series.type).toBe('seriesMaster');
    const window = { startDateTime: '2026-03-20T00:00:00Z', endDateTime: '2026-04-30T00:00:00Z' };
    const view = (await adele.api('/me/calendarView').query(window).get()).value.filter((event: { seriesMasterId: string }) => event.seriesMasterId === series.id);
    // Paris moves to summer time on 29 March: wall-clock 09:00 stays, UTC shifts from 08:00 to 07:00.
    expect(view.map((event: { start: { dateTime: string } }) => event.start.dateTime)).toEqual(['2026-03-23T08:00:00.0000000', '2026-03-30T07:00:00.0000000', '2026-04-06T07:00:00.0000000']);
    const second = await adele.api(`/me/events/${view[1].id}`).patch({ subject: 'Weekly sync (moved room)' });
    expect(second).toMatchObject({ type: 'exception', subject: 'Weekly sync (moved room)', seriesMasterId: series.id });
    await adele.api(`/me/events/${view[2].id}`).delete();
    const after = (await adele.api('/me/calendarView').query(window).get()).value.filter((event: { seriesMasterId: string }) => event.seriesMasterId === series.id);
    expect(after.map((event: { subject: string }) => event.subject)).toEqual(['Weekly sync', 'Weekly sync (moved room)']);
  });
});

describe('time zones as Graph takes them', () => {
  const at = (timeZone: string) => ({
    subject: `In ${timeZone}`, start: { dateTime: '2026-06-01T09:00:00', timeZone }, end: { dateTime: '2026-06-01T10:00:00', timeZone },
  });
  const window = { startDateTime: '2026-06-01T00:00:00Z', endDateTime: '2026-06-02T00:00:00Z' };

  it.each([
    'Sri Lanka Standard Time', 'E. Africa Standard Time', 'Magallanes Standard Time', 'Chatham Islands Standard Time', 'UTC-11', 'UTC+12', 'UTC',
    'Asia/Kolkata', 'America/Argentina/Buenos_Aires', 'Europe/Kyiv', 'Etc/GMT+12', 'Pacific/Kiritimati',
  ])('takes %p in event times and in Prefer: outlook.timezone', async (timeZone) => {
    const created = await adele.api('/me/events').post(at(timeZone));
    expect(created.originalStartTimeZone).toBe(timeZone);
    const raw = await rawRequest(env, `/v1.0/me/events/${created.id}`, { headers: { authorization: `Bearer ${tokens[ADELE]}`, prefer: `outlook.timezone="${timeZone}"` } });
    expect(raw.status).toBe(200);
    expect(raw.headers['preference-applied']).toBe(`outlook.timezone="${timeZone}"`);
    expect(JSON.parse(raw.body).start).toEqual({ dateTime: '2026-06-01T09:00:00.0000000', timeZone });
  });

  it.each(['Asia/Calcutta', 'America/Buenos_Aires', 'America/Toronto', 'europe/paris', 'sri lanka standard time', 'Greenwich Mean Time', 'UTC+14'])(
    'refuses %p with 400 TimeZoneNotSupportedException, in the body and in Prefer', async (timeZone) => {
      const inBody = await failureOf(adele.api('/me/events').post(at(timeZone)));
      expect(inBody).toMatchObject({ statusCode: 400, code: 'TimeZoneNotSupportedException' });
      expect(inBody.message).toBe(`A valid TimeZone value must be specified. The following TimeZone value is not supported: '${timeZone}'.`);
      const inPrefer = await failureOf(adele.api('/me/calendarView').header('Prefer', `outlook.timezone="${timeZone}"`).query(window).get());
      expect(inPrefer).toMatchObject({ statusCode: 400, code: 'TimeZoneNotSupportedException' });
    },
  );
});

describe('If-Match on events', () => {
  const draft = { subject: 'Versioned', start: { dateTime: '2026-06-02T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-06-02T10:00:00', timeZone: 'UTC' } };
  const send = (method: string, id: string, ifMatch: string | undefined, body?: unknown) => rawRequest(env, `/v1.0/me/events/${id}`, {
    method,
    headers: { authorization: `Bearer ${tokens[ADELE]}`, 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  it('changes the event only while the etag names its current changeKey, with a new changeKey each time', async () => {
    const created = await adele.api('/me/events').post(draft);
    const first = await send('PATCH', created.id, created['@odata.etag'], { subject: 'Versioned 2' });
    expect(first.status).toBe(200);
    const updated = JSON.parse(first.body);
    expect(updated.changeKey).not.toBe(created.changeKey);
    const stale = await send('PATCH', created.id, `W/"${created.changeKey}"`, { subject: 'Versioned 3' });
    expect(stale.status).toBe(412);
    expect(JSON.parse(stale.body).error.code).toBe('ErrorIrresolvableConflict');
    expect((await adele.api(`/me/events/${created.id}`).get()).subject).toBe('Versioned 2');
    expect((await send('PATCH', created.id, `"${updated.changeKey}"`, { subject: 'Strong etag' })).status).toBe(200);
    expect((await send('PATCH', created.id, '*', { subject: 'Any version' })).status).toBe(200);
    expect((await send('PATCH', created.id, undefined, { subject: 'No precondition' })).status).toBe(200);
  });

  it('deletes only the current version', async () => {
    const created = await adele.api('/me/events').post(draft);
    const updated = await adele.api(`/me/events/${created.id}`).patch({ subject: 'Changed' });
    const stale = await send('DELETE', created.id, `W/"${created.changeKey}"`);
    expect(stale.status).toBe(412);
    expect(JSON.parse(stale.body).error.code).toBe('ErrorIrresolvableConflict');
    expect((await send('DELETE', created.id, `W/"${updated.changeKey}"`)).status).toBe(204);
  });
});

describe('event field overrides (control surface)', () => {
  it('renders values Microsoft may add later until reset', async () => {
    const created = await adele.api('/me/events').post({ subject: 'Future values', start: { dateTime: '2026-06-03T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-06-03T10:00:00', timeZone: 'UTC' } });
    env.sandbox.control.overrideEventFields({ showAs: 'focusTime', importance: 'urgent' });
    expect(await adele.api(`/me/events/${created.id}`).get()).toMatchObject({ subject: 'Future values', showAs: 'focusTime', importance: 'urgent' });
    env.sandbox.control.reset();
    expect(await adele.api(`/me/events/${created.id}`).get()).toMatchObject({ showAs: 'busy', importance: 'normal' });
  });
});
