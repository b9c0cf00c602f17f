// Throttling, fault injection, server-side token expiry and the /_sandbox HTTP control surface.
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { ADELE, ALEX, graphClient, msalClient, rawRequest, signIn, startTestSandbox, type TestSandbox } from './helpers';

let env: TestSandbox;
const tokens: Record<string, string> = {};
let adele: Client;

beforeAll(async () => {
  env = await startTestSandbox();
  for (const email of [ADELE, ALEX]) tokens[email] = (await signIn(env, msalClient(env), email)).accessToken;
  adele = graphClient(env, async () => tokens[ADELE]);
});
afterAll(async () => {
  await env?.close();
});
beforeEach(() => env.sandbox.control.reset());

const graphGet = (path: string, email = ADELE, headers: Record<string, string> = {}) =>
  rawRequest(env, `/v1.0${path}`, { headers: { authorization: `Bearer ${tokens[email]}`, ...headers } });
const json = (response: { body: string }) => JSON.parse(response.body);

/**
 * Sends a request with setTimeout faked (sockets stay real) and tells whether it was still unanswered after `ms - 1`
 * milliseconds of fake time; then lets that last millisecond pass and returns the answer.
 */
async function answerHeldBackFor<T>(ms: number, send: () => Promise<T>): Promise<{ wasHeldBack: boolean; answer: T }> {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'queueMicrotask', 'Date', 'hrtime', 'performance'] });
  try {
    let isAnswered = false;
    const answer = send().finally(() => (isAnswered = true));
    // The sandbox holds the request back on a timer once the request has reached it.
    while (jest.getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
    await jest.advanceTimersByTimeAsync(ms - 1);
    const wasHeldBack = !isAnswered;
    await jest.advanceTimersByTimeAsync(1);
    return { wasHeldBack, answer: await answer };
  } finally {
    jest.useRealTimers();
  }
}

describe('throttling', () => {
  it('answers the 5th concurrent request per mailbox with 429 ApplicationThrottled and Retry-After', async () => {
    env.sandbox.control.setLatency(300, '/me/calendars');
    const responses = await Promise.all(Array.from({ length: 5 }, () => graphGet('/me/calendars')));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const throttled = responses.find((response) => response.status === 429)!;
    expect(throttled.headers['retry-after']).toBe('1');
    expect(json(throttled).error).toMatchObject({ code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' });
    expect(env.sandbox.control.counters()).toMatchObject({ throttled: 1, peakConcurrencyByMailbox: { [ADELE]: 4 } });
  });

  it('counts concurrency per mailbox: another user is not affected', async () => {
    env.sandbox.control.setLatency(200, '/me');
    const responses = await Promise.all([...Array.from({ length: 4 }, () => graphGet('/me')), graphGet('/me', ALEX)]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('answers 429 TooManyRequests once the per-window budget is spent, and recovers in the next window', async () => {
    let clock = Date.now();
    const small = await startTestSandbox({ throttle: { requestsPerWindow: 3, windowSeconds: 1 }, now: () => clock });
    try {
      const token = (await signIn(small, msalClient(small), ADELE)).accessToken;
      const get = () => rawRequest(small, '/v1.0/me', { headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 3; i += 1) expect((await get()).status).toBe(200);
      const throttled = await get();
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBe('1');
      expect(json(throttled).error).toMatchObject({ code: 'TooManyRequests', message: 'Please retry again later.', innerError: { code: '429', status: '429' } });
      expect(small.sandbox.control.counters().throttled).toBe(1);
      clock += 999;
      expect((await get()).status).toBe(429);
      clock += 1;
      expect((await get()).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('lets the Graph client retry a throttled request after Retry-After', async () => {
    env.sandbox.control.injectFault({ status: 429, retryAfterSeconds: 1, path: '/me', count: 1 });
    const timers = jest.spyOn(global, 'setTimeout');
    try {
      const me = await adele.api('/me').get();
      expect(me.mail).toBe(ADELE);
      // The client's RetryHandler waits on a timer for as long as Retry-After says before it asks again.
      expect(timers.mock.calls.map(([, ms]) => ms)).toContain(1000);
    } finally {
      timers.mockRestore();
    }
    expect(env.sandbox.control.counters().graphRequests['GET /me']).toBe(2);
  });
});

describe('faults and latency', () => {
  it('injects a Graph error in Graph shape for a number of matching requests', async () => {
    env.sandbox.control.injectFault({ status: 503, path: '/calendarView', method: 'GET', count: 2, retryAfterSeconds: 7 });
    const query = '/me/calendarView?startDateTime=2026-01-01T00:00:00Z&endDateTime=2026-01-02T00:00:00Z';
    const first = await graphGet(query);
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('7');
    expect(json(first).error).toMatchObject({ code: 'ServiceNotAvailable', innerError: { 'request-id': first.headers['request-id'] } });
    expect(json(first).error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect((await graphGet(query)).status).toBe(503);
    expect((await graphGet(query)).status).toBe(200);
    expect(env.sandbox.control.counters().graphRequests['GET /me/calendarView']).toBe(3);
  });

  it('injects a token endpoint failure that msal-node surfaces, with a custom body', async () => {
    env.sandbox.control.injectFault({ status: 400, path: '/oauth2/v2.0/token', body: { error: 'invalid_grant', error_description: 'AADSTS50076: MFA required', error_codes: [50076], suberror: 'basic_action' } });
    const failure = await signIn(env, msalClient(env), ADELE).catch((error: Error) => error);
    expect(failure).toMatchObject({ errorCode: 'invalid_grant', subError: 'basic_action' });
    expect((await signIn(env, msalClient(env), ADELE)).accessToken).toEqual(expect.any(String));
  });

  it('delays responses with latency or a delay-only fault', async () => {
    env.sandbox.control.injectFault({ status: 0, delayMs: 250, path: '/me' });
    const delayed = await answerHeldBackFor(250, () => graphGet('/me'));
    expect(delayed.wasHeldBack).toBe(true);
    expect(delayed.answer.status).toBe(200);
    env.sandbox.control.setLatency(150);
    const slowed = await answerHeldBackFor(150, () => rawRequest(env, '/common/discovery/v2.0/keys'));
    expect(slowed.wasHeldBack).toBe(true);
    expect(slowed.answer.status).toBe(200);
  });
});

describe('access tokens', () => {
  it('refuses missing, foreign and server-side expired tokens with 401 InvalidAuthenticationToken', async () => {
    const missing = await rawRequest(env, '/v1.0/me');
    expect(missing.status).toBe(401);
    expect(json(missing).error.code).toBe('InvalidAuthenticationToken');
    expect(missing.headers['www-authenticate']).toContain('Bearer');
    expect((await rawRequest(env, '/v1.0/me', { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' } })).status).toBe(401);
    const own = await signIn(env, msalClient(env), ALEX);
    env.sandbox.control.expireAccessTokens(ALEX);
    const expired = await rawRequest(env, '/v1.0/me', { headers: { authorization: `Bearer ${own.accessToken}` } });
    expect(expired.status).toBe(401);
    expect(json(expired).error).toMatchObject({ code: 'InvalidAuthenticationToken' });
    const renewed = await signIn(env, msalClient(env), ALEX);
    expect((await rawRequest(env, '/v1.0/me', { headers: { authorization: `Bearer ${renewed.accessToken}` } })).status).toBe(200);
    tokens[ALEX] = renewed.accessToken;
  });

  it('surfaces an expired token to the Graph client as a GraphError with status 401', async () => {
    const own = await signIn(env, msalClient(env), ADELE);
    env.sandbox.control.expireAccessTokens(ADELE);
    const error = await graphClient(env, async () => own.accessToken).api('/me').get().catch((failure: GraphError) => failure);
    expect(error).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken' });
    tokens[ADELE] = (await signIn(env, msalClient(env), ADELE)).accessToken;
  });
});

describe('/_sandbox HTTP control surface', () => {
  const post = (path: string, body?: unknown) => rawRequest(env, `/_sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('injects faults, reports counters and resets', async () => {
    expect((await post('/faults', { status: 500, path: '/me' })).status).toBe(204);
    expect((await graphGet('/me')).status).toBe(500);
    const counters = json(await rawRequest(env, '/_sandbox/counters'));
    expect(counters.graphRequests['GET /me']).toBe(1);
    expect((await post('/reset')).status).toBe(204);
    expect(json(await rawRequest(env, '/_sandbox/counters')).graphRequests).toEqual({});
  });

  it('overrides event fields until reset, and refuses a body that is not an object', async () => {
    expect((await post('/event-fields', { showAs: 'focusTime' })).status).toBe(204);
    const window = new URLSearchParams({ startDateTime: new Date(Date.now() - 7 * 86_400_000).toISOString(), endDateTime: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    const shown = json(await graphGet(`/me/calendarView?${window}`)).value;
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown.map((event: { showAs: string }) => event.showAs))).toEqual(new Set(['focusTime']));
    expect((await post('/event-fields', ['not', 'an', 'object'])).status).toBe(400);
    expect((await post('/reset')).status).toBe(204);
    expect(json(await graphGet(`/me/calendarView?${window}`)).value.some((event: { showAs: string }) => event.showAs === 'focusTime')).toBe(false);
  });

  it('expires access tokens, revokes refresh tokens and sets the token lifetime by e-mail', async () => {
    expect((await post('/token-lifetime', { seconds: 900 })).status).toBe(204);
    const client = msalClient(env);
    const result = await signIn(env, client, ALEX);
    expect(result.expiresOn!.getTime() - Date.now()).toBeLessThanOrEqual(901_000);
    expect((await post(`/users/${encodeURIComponent(ALEX)}/expire-access-tokens`)).status).toBe(204);
    expect((await rawRequest(env, '/v1.0/me', { headers: { authorization: `Bearer ${result.accessToken}` } })).status).toBe(401);
    expect((await post(`/users/${encodeURIComponent(ALEX)}/revoke-refresh-tokens`)).status).toBe(204);
    const failure = await client.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'], forceRefresh: true }).catch((error: Error) => error);
    expect(failure).toMatchObject({ errorCode: 'invalid_grant' });
    expect((await post('/users/nobody@contoso.example/expire-access-tokens')).status).toBe(400);
    expect((await post('/latency', { ms: 0 })).status).toBe(204);
    expect((await post('/token-lifetime', { seconds: 3600 })).status).toBe(204);
  });
});

describe('adding users at run time', () => {
  it('gives an added user a mailbox with calendars and events they alone can read', async () => {
    const env = await startTestSandbox();
    try {
      const user = env.sandbox.addUser({ email: 'Load.Tester@contoso.example', displayName: 'Load Tester' });
      expect(user).toEqual(expect.objectContaining({ email: 'load.tester@contoso.example', givenName: 'Load', surname: 'Tester' }));
      expect(env.sandbox.addUser({ email: 'load.tester@contoso.example', displayName: 'Again' }).id).toBe(user.id);
      const signedIn = await signIn(env, msalClient(env), user.email);
      const graph = graphClient(env, async () => signedIn.accessToken);
      expect((await graph.api('/me').get()).id).toBe(user.id);
      const calendars = await graph.api('/me/calendars').get();
      expect(calendars.value).toHaveLength(2);
      const start = new Date(Date.now() - 7 * 86_400_000).toISOString();
      const end = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const view = await graph.api('/me/calendarView').query({ startDateTime: start, endDateTime: end }).top(100).get();
      expect(view.value.length).toBeGreaterThan(3);
    } finally {
      await env.close();
    }
  });
});
