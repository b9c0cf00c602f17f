// What the gateway's Graph client puts on the wire, read by a loopback stand-in that records raw requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelResolver } from '../../src/channels/channel-resolver';
import { CalendarService } from '../../src/calendar/calendar.service';
import type { CreateEventInput } from '../../src/calendar/calendar.inputs';
import type { GatewayConfig } from '../../src/config/config.types';
import { GraphClients } from '../../src/microsoft/graph-client';
import { testConfig } from '../support/test-config';

interface Recorded { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

type Answer = (request: Recorded) => { status: number; body?: unknown };

let server: http.Server | undefined;
let graph: GraphClients | undefined;
let calendar: CalendarService;
let baseUrl = '';
const recorded: Recorded[] = [];
let answer: Answer = () => ({ status: 200, body: {} });

const EVENT_JSON = {
  id: 'AAMkAGI2/x+y==', subject: 'Stand-up', start: { dateTime: '2026-01-15T09:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2026-01-15T09:30:00.0000000', timeZone: 'UTC' }, attendees: [], body: { contentType: 'text', content: '' },
};
const CALENDAR_JSON = (id: string) => ({ id, name: id, canEdit: true, owner: { name: 'A', address: 'a@example.com' } });

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      recorded.push(entry);
      const { status, body } = answer(entry);
      response.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config: GatewayConfig = { ...testConfig(), graphBaseUrl: baseUrl, extraCaPem: [] };
  graph = new GraphClients({
    config,
    tokens: { getAccessToken: async () => 'test-access-token' },
    retryPolicy: { budgetMs: 2_000, baseDelayMs: 5, maxDelayMs: 20 },
  });
  calendar = new CalendarService(graph, new ChannelResolver(config), Buffer.alloc(32, 7));
});

afterAll(async () => {
  graph?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

beforeEach(() => {
  recorded.length = 0;
  answer = () => ({ status: 200, body: EVENT_JSON });
});

const createInput = (timeZone: string): CreateEventInput =>
  ({ subject: 'Stand-up', start: { dateTime: '2026-01-15T09:00:00', timeZone }, end: { dateTime: '2026-01-15T09:30:00', timeZone } }) as CreateEventInput;

describe('Graph ids on the wire', () => {
  it.each([
    ['/', 'AAMkAGI2/xy', 'AAMkAGI2%2Fxy'],
    ['+', 'AAMkAGI2+xy', 'AAMkAGI2%2Bxy'],
    ['=', 'AAMkAGI2xy==', 'AAMkAGI2xy%3D%3D'],
  ])("percent-encodes '%s' inside the one id segment", async (_char, id, onTheWire) => {
    await calendar.event('user-1', null, id);
    await calendar.updateEvent('user-1', null, id, { subject: 'x' } as never);
    await calendar.deleteEvent('user-1', null, id).catch(() => undefined);
    expect(recorded.map((request) => `${request.method} ${request.url.split('?')[0]}`)).toEqual([
      `GET /v1.0/me/events/${onTheWire}`, `PATCH /v1.0/me/events/${onTheWire}`, `DELETE /v1.0/me/events/${onTheWire}`,
    ]);
  });

  it('reads ErrorInvalidIdMalformed as BAD_USER_INPUT on the id argument', async () => {
    answer = () => ({ status: 400, body: { error: { code: 'ErrorInvalidIdMalformed', message: 'Id is malformed.' } } });
    await expect(calendar.event('user-1', null, 'AAMk')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  });
});

describe('createEvent idempotency', () => {
  it('sends one transactionId per createEvent and keeps it when the POST is retried after a 503', async () => {
    let posts = 0;
    answer = (request) => (request.method === 'POST' && ++posts === 1 ? { status: 503, body: { error: { code: 'serviceNotAvailable' } } } : { status: 201, body: EVENT_JSON });
    await calendar.createEvent('user-1', null, createInput('UTC'));
    await calendar.createEvent('user-1', null, createInput('UTC'));
    const ids = recorded.filter((request) => request.method === 'POST').map((request) => JSON.parse(request.body).transactionId as string);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });
});

describe('time-zone names sent to Graph', () => {
  it.each([
    ['Z', 'UTC'], ['GMT', 'UTC'], ['etc/utc', 'UTC'], ['europe/paris', 'Europe/Paris'], ['romance standard time', 'Romance Standard Time'],
  ])('sends %p as %p in the body and the Prefer header', async (typed, canonical) => {
    answer = () => ({ status: 201, body: EVENT_JSON });
    await calendar.createEvent('user-1', null, createInput(typed));
    const [post] = recorded;
    expect(JSON.parse(post.body).start.timeZone).toBe(canonical);
    expect(JSON.parse(post.body).end.timeZone).toBe(canonical);
    expect(post.headers.prefer).toBe(`outlook.timezone="${canonical}"`);
  });

  it('sends the canonical name in Prefer for reads too', async () => {
    answer = () => ({ status: 200, body: { value: [] } });
    await calendar.events('user-1', { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-02T00:00:00Z'), timeZone: 'europe/paris' });
    expect(recorded[0].headers.prefer).toBe('outlook.timezone="Europe/Paris"');
  });
});

describe('calendar() paging', () => {
  it("follows Graph's nextLink on Graph's own host", async () => {
    answer = (request) => {
      if (request.url.startsWith('/v1.0/me/calendar?') || request.url === '/v1.0/me/calendar') return { status: 200, body: CALENDAR_JSON('AAMkAGcal0') };
      const page = Number(new URL(request.url, baseUrl).searchParams.get('$skiptoken') ?? '0');
      const next = page < 2 ? { '@odata.nextLink': `${baseUrl}/v1.0/me/calendars?$skiptoken=${page + 1}` } : {};
      return { status: 200, body: { value: [CALENDAR_JSON(`AAMkAGcal${page}`)], ...next } };
    };
    const info = await calendar.calendar('user-1', null);
    expect(info.calendars.map((entry) => entry.id)).toEqual(['AAMkAGcal0', 'AAMkAGcal1', 'AAMkAGcal2']);
    expect(recorded.filter((request) => request.url.startsWith('/v1.0/me/calendars')).map((request) => request.headers.authorization)).toEqual(
      Array(3).fill('Bearer test-access-token'),
    );
  });

  it('stops at 10 pages', async () => {
    answer = (request) =>
      request.url.startsWith('/v1.0/me/calendars')
        ? { status: 200, body: { value: [CALENDAR_JSON(`AAMkAG${recorded.length}`)], '@odata.nextLink': `${baseUrl}/v1.0/me/calendars?$skiptoken=more` } }
        : { status: 200, body: CALENDAR_JSON('AAMkAGdefault') };
    const info = await calendar.calendar('user-1', null);
    expect(info.calendars).toHaveLength(10);
  });

  it.each([
    ['another host', 'http://attacker.example/v1.0/me/calendars?$skiptoken=1'],
    ['another port', 'http://127.0.0.1:1/v1.0/me/calendars?$skiptoken=1'],
    ['another API version', '/beta/me/calendars?$skiptoken=1'],
  ])('never follows a nextLink to %s', async (_name, link) => {
    const nextLink = link.startsWith('/') ? `${baseUrl}${link}` : link;
    answer = (request) =>
      request.url.startsWith('/v1.0/me/calendars')
        ? { status: 200, body: { value: [CALENDAR_JSON('AAMkAGcal0')], '@odata.nextLink': nextLink } }
        : { status: 200, body: CALENDAR_JSON('AAMkAGcal0') };
    const info = await calendar.calendar('user-1', null);
    expect(info.calendars).toHaveLength(1);
    expect(recorded).toHaveLength(2);
  });
});
