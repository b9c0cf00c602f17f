// What the gateway's Graph client puts on the wire, read by a loopback stand-in that records raw requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelResolver } from '../../src/channels/channel-resolver';
import { CalendarService } from '../../src/calendar/calendar.service';
import type { CreateEventInput } from '../../src/calendar/calendar.inputs';
import type { ChannelSettings, GatewayConfig } from '../../src/config/config.types';
import { GraphClients } from '../../src/microsoft/graph-client';
import { testConfig } from '../support/test-config';

interface Recorded { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

type Answer = (request: Recorded) => { status: number; body?: unknown };

let server: http.Server | undefined;
let graph: GraphClients | undefined;
let calendar: CalendarService;
let mainChannel: ChannelSettings;
let baseUrl = '';
const recorded: Recorded[] = [];
let answer: Answer = () => ({ status: 200, body: {} });

const EVENT_JSON = {
  id: 'AAMkAGI2/x+y==', subject: 'Stand-up', start: { dateTime: '2026-01-15T09:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2026-01-15T09:30:00.0000000', timeZone: 'UTC' }, attendees: [], body: { contentType: 'text', content: '' },
};

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
  calendar = new CalendarService(graph, Buffer.alloc(32, 7));
  mainChannel = new ChannelResolver(config).resolve();
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
    await calendar.event('user-1', mainChannel, id);
    await calendar.updateEvent('user-1', mainChannel, id, { subject: 'x' } as never);
    await calendar.deleteEvent('user-1', mainChannel, id).catch(() => undefined);
    expect(recorded.map((request) => `${request.method} ${request.url.split('?')[0]}`)).toEqual([
      `GET /v1.0/me/events/${onTheWire}`, `PATCH /v1.0/me/events/${onTheWire}`, `DELETE /v1.0/me/events/${onTheWire}`,
    ]);
  });

  it('reads ErrorInvalidIdMalformed as BAD_USER_INPUT on the id argument', async () => {
    answer = () => ({ status: 400, body: { error: { code: 'ErrorInvalidIdMalformed', message: 'Id is malformed.' } } });
    await expect(calendar.event('user-1', mainChannel, 'AAMk')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  });
});

describe('createEvent idempotency', () => {
  it('sends one transactionId per createEvent and keeps it when the POST is retried after a 503', async () => {
    let posts = 0;
    answer = (request) => (request.method === 'POST' && ++posts === 1 ? { status: 503, body: { error: { code: 'serviceNotAvailable' } } } : { status: 201, body: EVENT_JSON });
    await calendar.createEvent('user-1', mainChannel, createInput('UTC'));
    await calendar.createEvent('user-1', mainChannel, createInput('UTC'));
    const ids = recorded.filter((request) => request.method === 'POST').map((request) => JSON.parse(request.body).transactionId as string);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });
});

describe('time-zone names sent to Graph', () => {
  it.each([
    ['Z', 'UTC'], ['GMT', 'UTC'], ['etc/utc', 'UTC'], ['europe/paris', 'Romance Standard Time'], ['romance standard time', 'Romance Standard Time'],
    ['Asia/Calcutta', 'India Standard Time'], ['America/Toronto', 'Eastern Standard Time'], ['America/Buenos_Aires', 'Argentina Standard Time'],
    ['sri lanka standard time', 'Sri Lanka Standard Time'], ['utc-11', 'UTC-11'],
  ])('sends %p as the Windows name %p in the body and the Prefer header', async (typed, windows) => {
    answer = () => ({ status: 201, body: EVENT_JSON });
    await calendar.createEvent('user-1', mainChannel, createInput(typed));
    const [post] = recorded;
    expect(JSON.parse(post.body).start.timeZone).toBe(windows);
    expect(JSON.parse(post.body).end.timeZone).toBe(windows);
    expect(post.headers.prefer).toBe(`outlook.timezone="${windows}"`);
  });

  it('sends the Windows name in Prefer for reads too, and shows the caller\'s name', async () => {
    const inParis = { ...EVENT_JSON, start: { ...EVENT_JSON.start, timeZone: 'Romance Standard Time' }, end: { ...EVENT_JSON.end, timeZone: 'Romance Standard Time' } };
    answer = () => ({ status: 200, body: { value: [inParis] } });
    const page = await calendar.events('user-1', mainChannel, { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-02T00:00:00Z'), timeZone: 'europe/paris' });
    expect(recorded[0].headers.prefer).toBe('outlook.timezone="Romance Standard Time"');
    expect(page.nodes[0].start.timeZone).toBe('Europe/Paris');
  });
});

describe('changeKey preconditions on the wire', () => {
  it("sends If-Match W/\"<changeKey>\" on update and delete only when a changeKey is given", async () => {
    await calendar.updateEvent('user-1', mainChannel, 'AAMkAGI2xy', { subject: 'x' } as never, 'ZlnW4RIA+/==');
    answer = () => ({ status: 204 });
    await calendar.deleteEvent('user-1', mainChannel, 'AAMkAGI2xy', 'ZlnW4RIB+/==');
    answer = () => ({ status: 200, body: EVENT_JSON });
    await calendar.updateEvent('user-1', mainChannel, 'AAMkAGI2xy', { subject: 'x' } as never);
    answer = () => ({ status: 204 });
    await calendar.deleteEvent('user-1', mainChannel, 'AAMkAGI2xy');
    expect(recorded.map((request) => [request.method, request.headers['if-match']])).toEqual([
      ['PATCH', 'W/"ZlnW4RIA+/=="'], ['DELETE', 'W/"ZlnW4RIB+/=="'], ['PATCH', undefined], ['DELETE', undefined],
    ]);
  });

  it("reads the event's changeKey after Graph's 412 and answers CONFLICT with it", async () => {
    answer = (request) => (request.method === 'PATCH'
      ? { status: 412, body: { error: { code: 'ErrorIrresolvableConflict', message: 'The change key passed in the request does not match.' } } }
      : { status: 200, body: { id: 'AAMkAGI2xy', changeKey: 'current+key==' } });
    const failure = await calendar.updateEvent('user-1', mainChannel, 'AAMkAGI2xy', { subject: 'x' } as never, 'stale').catch((error) => error);
    expect(failure.extensions).toEqual({ code: 'CONFLICT', currentChangeKey: 'current+key==' });
    expect(recorded.map((request) => request.method)).toEqual(['PATCH', 'GET']);
    expect(decodeURIComponent(recorded[1].url)).toContain('$select=changeKey');
  });

  it('answers CONFLICT without currentChangeKey when that read fails too', async () => {
    answer = (request) => (request.method === 'DELETE'
      ? { status: 412, body: { error: { code: 'ErrorIrresolvableConflict', message: 'stale' } } }
      : { status: 404, body: { error: { code: 'ErrorItemNotFound', message: 'gone' } } });
    const failure = await calendar.deleteEvent('user-1', mainChannel, 'AAMkAGI2xy', 'stale').catch((error) => error);
    expect(failure.extensions).toEqual({ code: 'CONFLICT' });
  });
});
