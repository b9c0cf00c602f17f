// Graph subscriptions and change notifications: handshake, limits, renewal, delivery on every kind of change, lifecycle events.
import type { Client } from '@microsoft/microsoft-graph-client';
import { politeReceiver, startNotificationReceiver, type NotificationReceiver } from '../support/notification-receiver';
import { ADELE, ALEX, graphClient, msalClient, rawRequest, signIn, startTestSandbox, type TestSandbox } from './helpers';

let env: TestSandbox;
let receiver: NotificationReceiver;
const tokens: Record<string, string> = {};
let adele: Client;

beforeAll(async () => {
  receiver = await startNotificationReceiver();
  // Batches and retries wait a minute: only deliverNotifications() (which skips the waits) sends within a test.
  env = await startTestSandbox({ notifications: { batchWindowMs: 60_000, retryDelaysMs: [60_000, 60_000], validationTimeoutMs: 300 } });
  for (const email of [ADELE, ALEX]) tokens[email] = (await signIn(env, msalClient(env), email)).accessToken;
  adele = graphClient(env, async () => tokens[ADELE]);
});
afterAll(async () => {
  await env?.close();
  await receiver?.close();
});
beforeEach(async () => {
  for (const subscription of env.sandbox.control.subscriptions()) {
    await graph('DELETE', `/subscriptions/${subscription.id}`, undefined, subscription.creatorId === env.sandbox.users[0].id ? ADELE : ALEX);
  }
  await env.sandbox.control.deliverNotifications();
  receiver.behaviour = politeReceiver;
  receiver.posts.length = 0;
  env.sandbox.control.reset();
});

const MINUTE = 60_000;
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * MINUTE).toISOString();
const json = (response: { body: string }) => JSON.parse(response.body);

function graph(method: string, path: string, body?: unknown, email = ADELE) {
  return rawRequest(env, `/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[email]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const subscriptionBody = (overrides: Record<string, unknown> = {}) => ({
  changeType: 'created,updated,deleted',
  notificationUrl: receiver.url('/notify'),
  lifecycleNotificationUrl: receiver.url('/lifecycle'),
  resource: 'me/events',
  expirationDateTime: inMinutes(60),
  clientState: 'adele-secret-state',
  ...overrides,
});

async function subscribe(overrides: Record<string, unknown> = {}, email = ADELE): Promise<Record<string, any>> {
  const response = await graph('POST', '/subscriptions', subscriptionBody(overrides), email);
  expect(response.status).toBe(201);
  return json(response);
}

const newEvent = (subject: string) => ({
  subject,
  start: { dateTime: inMinutes(120).slice(0, 19), timeZone: 'UTC' },
  end: { dateTime: inMinutes(150).slice(0, 19), timeZone: 'UTC' },
});

describe('creating a subscription', () => {
  it('validates both URLs with the handshake, then answers 201 with the subscription', async () => {
    const created = await subscribe();
    const handshakes = receiver.posts.filter((post) => post.query.has('validationToken'));
    expect(handshakes.map((post) => post.path)).toEqual(['/notify', '/lifecycle']);
    expect(handshakes[0].contentType).toBe('text/plain; charset=utf-8');
    expect(handshakes[0].query.get('validationToken')).toMatch(/ /);
    expect(created).toMatchObject({
      '@odata.context': `${env.sandbox.graphBaseUrl}/v1.0/$metadata#subscriptions/$entity`,
      resource: 'me/events', changeType: 'created,updated,deleted', clientState: 'adele-secret-state',
      notificationUrl: receiver.url('/notify'), lifecycleNotificationUrl: receiver.url('/lifecycle'),
      applicationId: 'test-client-0001', creatorId: env.sandbox.users[0].id, latestSupportedTlsVersion: 'v1_2', notificationContentType: null,
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.expirationDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect(json(await graph('GET', `/subscriptions/${created.id}`))).toMatchObject({ id: created.id, clientState: 'adele-secret-state' });
  });

  it.each([
    ['answers 404', { status: 404 }, "Subscription validation request failed. HTTP status code is 'NotFound'. Notification endpoint must respond with 200 OK to validation request."],
    ['echoes something else', { status: 200, contentType: 'text/plain', body: 'not the token' }, 'Subscription validation request failed. Response must exactly match validationToken query parameter (as text/plain).'],
    ['echoes the token as HTML', 'html', 'Subscription validation request failed. Response must exactly match validationToken query parameter (as text/plain).'],
    ['never answers', { status: 0, hang: true }, 'Subscription validation request timed out.'],
  ])('refuses with 400 and creates nothing when the receiver %s', async (_name, reply, message) => {
    receiver.behaviour = (post) => reply === 'html'
      ? { status: 200, contentType: 'text/html', body: post.query.get('validationToken') ?? '' }
      : reply as { status: number };
    const response = await graph('POST', '/subscriptions', subscriptionBody());
    expect(response.status).toBe(400);
    expect(json(response).error).toMatchObject({ code: 'ValidationError', message });
    expect(env.sandbox.control.subscriptions()).toEqual([]);
  });

  it('refuses when only the lifecycle URL fails its handshake', async () => {
    receiver.behaviour = (post) => (post.path === '/lifecycle' ? { status: 500 } : politeReceiver(post));
    const response = await graph('POST', '/subscriptions', subscriptionBody());
    expect(response.status).toBe(400);
    expect(env.sandbox.control.subscriptions()).toEqual([]);
  });

  it.each([
    ['a plain-HTTP URL that is not loopback', { notificationUrl: 'http://gateway.example/notify' }, 'ValidationError'],
    ['an expiration in the past', { expirationDateTime: inMinutes(-1) }, 'ExtensionError'],
    ['an expiration over 10,080 minutes ahead', { expirationDateTime: inMinutes(10_081) }, 'ExtensionError'],
    ['a clientState over 128 characters', { clientState: 'x'.repeat(129) }, 'ValidationError'],
    ['an unknown change type', { changeType: 'created,moved' }, 'ValidationError'],
    ['a resource other than events', { resource: 'me/messages' }, 'ValidationError'],
  ])('refuses %s without calling the receiver', async (_name, overrides, code) => {
    const response = await graph('POST', '/subscriptions', subscriptionBody(overrides));
    expect(response.status).toBe(400);
    expect(json(response).error.code).toBe(code);
    expect(receiver.posts).toEqual([]);
  });

  it('names the Outlook maximum in its message', async () => {
    const response = await graph('POST', '/subscriptions', subscriptionBody({ expirationDateTime: inMinutes(10_081) }));
    expect(json(response).error.message).toBe('Subscription expiration can only be 10080 minutes in the future.');
  });

  it('accepts /me/events and users/{id}/events, but not another user\'s mailbox', async () => {
    await subscribe({ resource: '/me/events', expirationDateTime: inMinutes(10_079) });
    await subscribe({ resource: `users/${env.sandbox.users[0].id}/events` });
    const other = await graph('POST', '/subscriptions', subscriptionBody({ resource: `users/${env.sandbox.users[1].id}/events` }));
    expect(other.status).toBe(403);
  });
});

describe('managing a subscription', () => {
  it('renews with PATCH, refuses other changes, deletes and reauthorizes', async () => {
    const { id } = await subscribe();
    const renewed = await graph('PATCH', `/subscriptions/${id}`, { expirationDateTime: inMinutes(600) });
    expect(renewed.status).toBe(200);
    expect(Date.parse(json(renewed).expirationDateTime)).toBeGreaterThan(Date.now() + 590 * MINUTE);
    expect((await graph('PATCH', `/subscriptions/${id}`, { expirationDateTime: inMinutes(10_081) })).status).toBe(400);
    const lifecycle = await graph('PATCH', `/subscriptions/${id}`, { lifecycleNotificationUrl: receiver.url('/other') });
    expect(lifecycle.status).toBe(400);
    expect(json(lifecycle).error.code).toBe('ValidationError');
    expect((await graph('POST', `/subscriptions/${id}/reauthorize`)).status).toBe(204);
    expect((await graph('DELETE', `/subscriptions/${id}`)).status).toBe(204);
    expect((await graph('GET', `/subscriptions/${id}`)).status).toBe(404);
  });

  it("answers 404 for another user's subscription", async () => {
    const { id } = await subscribe();
    for (const [method, path] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', '/reauthorize']]) {
      const response = await graph(method, `/subscriptions/${id}${path}`, method === 'PATCH' ? { expirationDateTime: inMinutes(90) } : undefined, ALEX);
      expect(response.status).toBe(404);
    }
    expect((await graph('GET', `/subscriptions/${id}`)).status).toBe(200);
  });
});

describe('change notifications', () => {
  it('posts created, updated and deleted for Graph writes, shaped as Graph does', async () => {
    const subscription = await subscribe();
    const event = await adele.api('/me/events').post(newEvent('Watched'));
    await env.sandbox.control.deliverNotifications();
    const updated = await adele.api(`/me/events/${event.id}`).patch({ subject: 'Watched, renamed' });
    await env.sandbox.control.deliverNotifications();
    await adele.api(`/me/events/${event.id}`).delete();
    await env.sandbox.control.deliverNotifications();

    const notifications = receiver.notifications('/notify');
    expect(notifications.map((notification) => notification.changeType)).toEqual(['created', 'updated', 'deleted']);
    const userId = env.sandbox.users[0].id;
    expect(notifications[1]).toEqual({
      id: expect.any(String),
      subscriptionId: subscription.id,
      subscriptionExpirationDateTime: subscription.expirationDateTime,
      clientState: 'adele-secret-state',
      changeType: 'updated',
      resource: `Users/${userId}/Events/${event.id}`,
      resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': `Users/${userId}/Events/${event.id}`, '@odata.etag': `W/"${updated.changeKey}"`, id: event.id },
      tenantId: env.sandbox.users[0].tenantId,
    });
    const post = receiver.posts.find((candidate) => candidate.path === '/notify' && !candidate.query.has('validationToken'))!;
    expect(post.contentType).toMatch(/^application\/json/);
    expect(env.sandbox.control.counters().notifications).toEqual({ delivered: 3, failed: 0, retried: 0 });
  });

  it('gathers changes made close together into one POST, and sends only the change types asked for', async () => {
    await subscribe();
    await subscribe({ changeType: 'deleted', clientState: 'deletions-only' });
    const first = await adele.api('/me/events').post(newEvent('One'));
    await adele.api('/me/events').post(newEvent('Two'));
    await adele.api(`/me/events/${first.id}`).delete();
    await env.sandbox.control.deliverNotifications();
    const posts = receiver.posts.filter((post) => post.path === '/notify' && !post.query.has('validationToken'));
    expect(posts).toHaveLength(1);
    const items = JSON.parse(posts[0].body).value as Array<Record<string, any>>;
    // The first event came and went before the batch was sent: both are told, in order.
    expect(items.map((item) => [item.clientState, item.changeType, item.resourceData.id])).toEqual([
      ['adele-secret-state', 'created', first.id], ['adele-secret-state', 'created', expect.any(String)],
      ['adele-secret-state', 'deleted', first.id], ['deletions-only', 'deleted', first.id],
    ]);
  });

  it('notifies changes another client makes (control surface and its HTTP twin), not changes to other mailboxes', async () => {
    await subscribe();
    const created = env.sandbox.control.simulateExternalChange(ADELE, { type: 'created', event: newEvent('Booked in Outlook') })!;
    env.sandbox.control.simulateExternalChange(ALEX, { type: 'created', event: newEvent('Alex, elsewhere') });
    await env.sandbox.control.deliverNotifications();
    const viaHttp = await rawRequest(env, '/_sandbox/external-changes', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADELE, type: 'updated', id: created.id, changes: { subject: 'Moved in Outlook' } }),
    });
    expect(viaHttp.status).toBe(200);
    expect(json(viaHttp)).toMatchObject({ id: created.id, subject: 'Moved in Outlook' });
    await env.sandbox.control.deliverNotifications();
    env.sandbox.control.simulateExternalChange(ADELE, { type: 'deleted', id: String(created.id) });
    await env.sandbox.control.deliverNotifications();

    const notifications = receiver.notifications('/notify');
    expect(notifications.map((notification) => [notification.changeType, notification.resourceData.id])).toEqual([
      ['created', created.id], ['updated', created.id], ['deleted', created.id],
    ]);
    expect(notifications.every((notification) => notification.clientState === 'adele-secret-state')).toBe(true);
    expect((await adele.api(`/me/events/${created.id}`).get().catch((error) => error)).statusCode).toBe(404);
  });

  it('watches one calendar when the resource names it', async () => {
    const calendars = json(await graph('GET', '/me/calendars')).value as Array<{ id: string; isDefaultCalendar: boolean }>;
    const [main, holidays] = [calendars.find((calendar) => calendar.isDefaultCalendar)!, calendars.find((calendar) => !calendar.isDefaultCalendar)!];
    await subscribe({ resource: `me/calendars/${main.id}/events` });
    env.sandbox.control.simulateExternalChange(ADELE, { type: 'created', event: newEvent('Holiday'), calendarId: holidays.id });
    const watched = env.sandbox.control.simulateExternalChange(ADELE, { type: 'created', event: newEvent('Work') })!;
    await env.sandbox.control.deliverNotifications();
    expect(receiver.notifications('/notify').map((notification) => notification.resourceData.id)).toEqual([watched.id]);
  });

  it('redelivers the last notification on demand, as Graph may', async () => {
    await subscribe();
    await adele.api('/me/events').post(newEvent('Twice'));
    await env.sandbox.control.deliverNotifications();
    await env.sandbox.control.redeliverLastNotification();
    const notifications = receiver.notifications('/notify');
    expect(notifications).toHaveLength(2);
    expect(notifications[1]).toEqual(notifications[0]);
  });

  it('retries a failing receiver, then drops the notification', async () => {
    await subscribe();
    let failuresLeft = 2;
    receiver.behaviour = (post) => (post.query.has('validationToken') || failuresLeft-- <= 0 ? politeReceiver(post) : { status: 503 });
    await adele.api('/me/events').post(newEvent('Eventually'));
    await env.sandbox.control.deliverNotifications();
    expect(receiver.posts.filter((post) => post.path === '/notify' && !post.query.has('validationToken'))).toHaveLength(3);
    expect(env.sandbox.control.counters().notifications).toEqual({ delivered: 1, failed: 0, retried: 2 });

    receiver.behaviour = (post) => (post.query.has('validationToken') ? politeReceiver(post) : { status: 500 });
    await adele.api('/me/events').post(newEvent('Never'));
    await env.sandbox.control.deliverNotifications();
    expect(env.sandbox.control.counters().notifications).toEqual({ delivered: 1, failed: 1, retried: 4 });
  });

  it('stops when the subscription is deleted', async () => {
    const { id } = await subscribe();
    expect((await graph('DELETE', `/subscriptions/${id}`)).status).toBe(204);
    await adele.api('/me/events').post(newEvent('Unwatched'));
    await env.sandbox.control.deliverNotifications();
    expect(receiver.notifications('/notify')).toEqual([]);
  });
});

describe('lifecycle notifications', () => {
  it('posts each lifecycle event to the lifecycle URL; subscriptionRemoved also removes the subscription', async () => {
    const subscription = await subscribe();
    await env.sandbox.control.sendLifecycleNotification(subscription.id, 'reauthorizationRequired');
    await env.sandbox.control.sendLifecycleNotification(subscription.id, 'missed');
    expect((await graph('GET', `/subscriptions/${subscription.id}`)).status).toBe(200);
    const viaHttp = await rawRequest(env, `/_sandbox/subscriptions/${subscription.id}/lifecycle`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lifecycleEvent: 'subscriptionRemoved' }),
    });
    expect(viaHttp.status).toBe(204);
    expect(receiver.notifications('/lifecycle')).toEqual(['reauthorizationRequired', 'missed', 'subscriptionRemoved'].map((lifecycleEvent) => ({
      subscriptionId: subscription.id,
      subscriptionExpirationDateTime: subscription.expirationDateTime,
      tenantId: env.sandbox.users[0].tenantId,
      clientState: 'adele-secret-state',
      lifecycleEvent,
    })));
    expect(receiver.notifications('/notify')).toEqual([]);
    expect((await graph('GET', `/subscriptions/${subscription.id}`)).status).toBe(404);
  });

  it('refuses a lifecycle event for a subscription without a lifecycle URL', async () => {
    const subscription = await subscribe({ lifecycleNotificationUrl: undefined });
    await expect(env.sandbox.control.sendLifecycleNotification(subscription.id, 'missed')).rejects.toThrow(/no lifecycleNotificationUrl/);
  });
});

describe('delivery without the controls', () => {
  it('posts on its own after the batching window', async () => {
    const untimed = await startTestSandbox();
    try {
      const token = (await signIn(untimed, msalClient(untimed), ADELE)).accessToken;
      const call = (method: string, path: string, body: unknown) => rawRequest(untimed, `/v1.0${path}`, {
        method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      expect((await call('POST', '/subscriptions', subscriptionBody({ notificationUrl: receiver.url('/on-its-own') }))).status).toBe(201);
      const arrival = receiver.nextNotification('/on-its-own');
      expect((await call('POST', '/me/events', newEvent('Arrives unasked'))).status).toBe(201);
      // Only a hang fails this: the test's own timeout is the limit.
      const post = await arrival;
      expect(JSON.parse(post.body).value).toEqual([expect.objectContaining({ changeType: 'created', clientState: 'adele-secret-state' })]);
    } finally {
      await untimed.close();
    }
  });
});

describe('expiry', () => {
  it('forgets an expired subscription and stops delivering to it', async () => {
    let clock = Date.now();
    const timed = await startTestSandbox({ now: () => clock });
    try {
      const token = (await signIn(timed, msalClient(timed), ADELE)).accessToken;
      const call = (method: string, path: string, body?: unknown) => rawRequest(timed, `/v1.0${path}`, {
        method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const created = await call('POST', '/subscriptions', subscriptionBody({ expirationDateTime: new Date(clock + 10 * MINUTE).toISOString() }));
      expect(created.status).toBe(201);
      clock += 11 * MINUTE;
      expect((await call('GET', `/subscriptions/${json(created).id}`)).status).toBe(404);
      expect((await call('POST', '/me/events', newEvent('After expiry'))).status).toBe(201);
      await timed.sandbox.control.deliverNotifications();
      expect(receiver.notifications('/notify')).toEqual([]);
      expect(timed.sandbox.control.subscriptions()).toEqual([]);
    } finally {
      await timed.close();
    }
  });
});
