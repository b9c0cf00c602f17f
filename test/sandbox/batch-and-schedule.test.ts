// The sandbox's JSON batching ($batch) and free/busy (getSchedule), through the real Graph client and msal-node.
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { availabilityView } from '../../src/sandbox/graph/schedule-routes';
import { ADELE, ALEX, graphClient, msalClient, signIn, startTestSandbox, type TestSandbox } from './helpers';

let env: TestSandbox;
let adele: Client;
let alex: Client;

beforeAll(async () => {
  env = await startTestSandbox();
  const adeleToken = (await signIn(env, msalClient(env), ADELE)).accessToken;
  const alexToken = (await signIn(env, msalClient(env), ALEX)).accessToken;
  adele = graphClient(env, async () => adeleToken);
  alex = graphClient(env, async () => alexToken);
});
afterAll(async () => {
  await env?.close();
});
beforeEach(() => env.sandbox.control.reset());

const failureOf = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (error: GraphError) => error);
const WINDOW = 'startDateTime=2030-06-03T00:00:00Z&endDateTime=2030-06-04T00:00:00Z';

interface BatchResponse { id: string; status: number; headers: Record<string, string>; body?: { value?: Array<{ subject: string }>; error?: { code: string } } }

async function createEvent(client: Client, subject: string, start: string, end: string, extra: Record<string, unknown> = {}) {
  return client.api('/me/events').post({ subject, start: { dateTime: start, timeZone: 'UTC' }, end: { dateTime: end, timeZone: 'UTC' }, ...extra });
}

describe('$batch', () => {
  it('answers each request on its own, by id, with its status, headers and body', async () => {
    await createEvent(adele, 'batched', '2030-06-03T09:00:00', '2030-06-03T10:00:00');
    const calendars = (await adele.api('/me/calendars').get()).value as Array<{ id: string }>;
    const alexCalendars = (await alex.api('/me/calendars').get()).value as Array<{ id: string }>;
    const answer = await adele.api('/$batch').post({
      requests: [
        { id: 'view', method: 'GET', url: `/me/calendars/${calendars[0].id}/calendarView?${WINDOW}&$select=subject`, headers: { Prefer: 'outlook.timezone="Pacific Standard Time"' } },
        { id: 'missing', method: 'GET', url: `/me/calendars/${alexCalendars[0].id}/calendarView?${WINDOW}` },
        { id: 'me', method: 'GET', url: 'me' },
      ],
    });
    const byId = new Map((answer.responses as BatchResponse[]).map((response) => [response.id, response]));
    expect(byId.get('view')).toMatchObject({ status: 200, headers: { 'Preference-Applied': 'outlook.timezone="Pacific Standard Time"' } });
    expect(byId.get('view')!.body!.value!.map((event) => event.subject)).toContain('batched');
    expect(byId.get('missing')).toMatchObject({ status: 404, body: { error: { code: 'ErrorItemNotFound' } } });
    expect(byId.get('me')).toMatchObject({ status: 200, body: { mail: ADELE } });
    // Graph may answer in any order; the sandbox never answers in request order.
    expect((answer.responses as BatchResponse[]).map((response) => response.id)).toEqual(['me', 'missing', 'view']);
  });

  it('lets a test throttle one item, which carries its own Retry-After', async () => {
    env.sandbox.control.injectFault({ status: 429, retryAfterSeconds: 7, path: '/calendar/calendarView' });
    const answer = await adele.api('/$batch').post({
      requests: [
        { id: '1', method: 'GET', url: `/me/calendar/calendarView?${WINDOW}` },
        { id: '2', method: 'GET', url: `/me/calendarView?${WINDOW}` },
      ],
    });
    const byId = new Map((answer.responses as BatchResponse[]).map((response) => [response.id, response]));
    expect(byId.get('1')).toMatchObject({ status: 429, headers: { 'Retry-After': '7' }, body: { error: { code: 'TooManyRequests' } } });
    expect(byId.get('2')!.status).toBe(200);
    expect(env.sandbox.control.counters().graphRequests).toMatchObject({ 'POST /$batch': 1, 'GET /me/calendar/calendarView': 1, 'GET /me/calendarView': 1 });
  });

  it('runs writes and answers 424 for a request whose dependency failed', async () => {
    const answer = await adele.api('/$batch').post({
      requests: [
        { id: '1', method: 'POST', url: '/me/events', headers: { 'Content-Type': 'application/json' },
          body: { subject: 'written in a batch', start: { dateTime: '2030-06-05T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2030-06-05T10:00:00', timeZone: 'UTC' } } },
        { id: '2', method: 'GET', url: '/me/events/not-an-id' },
        { id: '3', method: 'GET', url: '/me', dependsOn: ['2'] },
      ],
    });
    const byId = new Map((answer.responses as BatchResponse[]).map((response) => [response.id, response]));
    expect(byId.get('1')).toMatchObject({ status: 201, body: { subject: 'written in a batch' } });
    expect(byId.get('2')!.status).toBe(400);
    expect(byId.get('3')!.status).toBe(424);
  });

  it('serves /beta too', async () => {
    const beta = await graphClient(env, async () => (await signIn(env, msalClient(env), ADELE)).accessToken, 'beta')
      .api('/$batch').post({ requests: [{ id: '1', method: 'GET', url: '/me' }] });
    expect(beta.responses[0]).toMatchObject({ id: '1', status: 200, body: { mail: ADELE } });
  });

  it.each([
    ['more than 20 requests', { requests: Array.from({ length: 21 }, (_, index) => ({ id: String(index), method: 'GET', url: '/me' })) }],
    ['no requests', { requests: [] }],
    ['a repeated id (ids ignore case)', { requests: [{ id: 'a', method: 'GET', url: '/me' }, { id: 'A', method: 'GET', url: '/me' }] }],
    ['an absolute url', { requests: [{ id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' }] }],
    ['a body without Content-Type', { requests: [{ id: '1', method: 'POST', url: '/me/events', body: { subject: 'x' } }] }],
  ])('refuses a batch with %s (400)', async (_name, body) => {
    expect(await failureOf(adele.api('/$batch').post(body))).toMatchObject({ statusCode: 400, code: 'BadRequest' });
  });
});

describe('getSchedule', () => {
  const window = (start: string, end: string, timeZone = 'UTC') => ({ startTime: { dateTime: start, timeZone }, endTime: { dateTime: end, timeZone } });

  it("shows another tenant user's busy times and an error entry for an unknown address", async () => {
    await createEvent(alex, 'Alex busy', '2030-07-01T09:00:00', '2030-07-01T10:00:00');
    await createEvent(alex, 'Alex away', '2030-07-01T10:30:00', '2030-07-01T11:00:00', { showAs: 'oof' });
    await createEvent(alex, 'Alex secret', '2030-07-01T11:00:00', '2030-07-01T11:30:00', { sensitivity: 'private', showAs: 'tentative' });
    const answer = await adele.api('/me/calendar/getSchedule').header('Prefer', 'outlook.timezone="Pacific Standard Time"').post({
      schedules: [ALEX, 'nobody@contoso.example'], ...window('2030-07-01T08:00:00', '2030-07-01T12:00:00'), availabilityViewInterval: 30,
    });
    const [alexSchedule, nobody] = answer.value;
    expect(alexSchedule).toMatchObject({ scheduleId: ALEX, availabilityView: '00220310' });
    expect(alexSchedule.scheduleItems).toEqual([
      { isPrivate: false, status: 'busy', subject: 'Alex busy', location: '', start: { dateTime: '2030-07-01T02:00:00.0000000', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2030-07-01T03:00:00.0000000', timeZone: 'Pacific Standard Time' } },
      { isPrivate: false, status: 'oof', subject: 'Alex away', location: '', start: { dateTime: '2030-07-01T03:30:00.0000000', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2030-07-01T04:00:00.0000000', timeZone: 'Pacific Standard Time' } },
      { isPrivate: true, status: 'tentative', start: { dateTime: '2030-07-01T04:00:00.0000000', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2030-07-01T04:30:00.0000000', timeZone: 'Pacific Standard Time' } },
    ]);
    expect(nobody).toMatchObject({ scheduleId: 'nobody@contoso.example', scheduleItems: [], error: { responseCode: 'ErrorMailRecipientNotFound' } });
  });

  it('defaults to 30-minute slots', async () => {
    const answer = await adele.api('/me/calendar/getSchedule').post({ schedules: [ALEX], ...window('2031-01-01T00:00:00', '2031-01-01T02:00:00') });
    expect(answer.value[0].availabilityView).toBe('0000');
  });

  it.each([
    ['no schedules', { schedules: [] }],
    ['21 schedules', { schedules: Array.from({ length: 21 }, (_, index) => `user${index}@contoso.example`) }],
    ['an interval under 5 minutes', { schedules: [ALEX], availabilityViewInterval: 4 }],
    ['an interval over 1440 minutes', { schedules: [ALEX], availabilityViewInterval: 1441 }],
    ['an end before the start', { schedules: [ALEX], ...window('2031-01-02T00:00:00', '2031-01-01T00:00:00') }],
  ])('refuses %s (400)', async (_name, body) => {
    const error = await failureOf(adele.api('/me/calendar/getSchedule').post({ ...window('2031-01-01T00:00:00', '2031-01-02T00:00:00'), ...body }));
    expect(error).toMatchObject({ statusCode: 400, code: 'ErrorInvalidParameter' });
  });

  it.each([
    ['empty window slots are free', [], '000'],
    ['the weightiest status wins a shared slot', [{ status: 'tentative', startMs: 0, endMs: 3 }, { status: 'busy', startMs: 1, endMs: 2 }], '121'],
    ['working elsewhere loses to tentative', [{ status: 'workingElsewhere', startMs: 0, endMs: 2 }, { status: 'tentative', startMs: 0, endMs: 1 }], '140'],
  ])('availabilityView: %s', (_name, minutes, expected) => {
    const items = (minutes as Array<{ status: string; startMs: number; endMs: number }>).map((item) => ({ ...item, startMs: item.startMs * 60_000, endMs: item.endMs * 60_000 }));
    expect(availabilityView(items, { startMs: 0, endMs: 3 * 60_000, intervalMinutes: 1 })).toBe(expected);
  });
});
