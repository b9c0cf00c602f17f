// Live calendar end to end: graphql-ws on /graphql, Graph subscriptions and notifications, delta sync and store reads, over the sandbox.
import { Channel } from '../../src/config/channels';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { describeEachDatabase } from '../support/databases';
import { graphql } from '../support/http';
import { eventually, subscribeToCalendar, type LiveClient } from '../support/live-client';
import { signInAs } from '../support/sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const EVENTS = `query($start: DateTime!, $end: DateTime!, $timeZone: String, $first: Int, $after: String) {
  events(start: $start, end: $end, timeZone: $timeZone, first: $first, after: $after) {
    nodes { id subject bodyPreview body { contentType content } start { dateTime timeZone } end { dateTime timeZone } isAllDay isCancelled
      location attendees { email type response } organizer { name address } isOnlineMeeting onlineMeetingUrl webLink showAs importance
      seriesMasterId type createdAt lastModifiedAt changeKey }
    pageInfo { hasNextPage } totalCount } }`;
const DAY = 86_400_000;
const inDays = (days: number, hour = 9) => new Date(Math.floor(Date.now() / DAY) * DAY + days * DAY + hour * 3_600_000);
const utc = (date: Date) => ({ dateTime: date.toISOString().slice(0, 19), timeZone: 'UTC' });

describeEachDatabase('live calendar over the sandbox', (target) => {
  let sandbox: Sandbox | undefined;
  let gateway: StartedGateway | undefined;
  let alice = '';
  let aliceEmail = '';
  const clients: LiveClient[] = [];

  const listen = (token = alice) => {
    const client = subscribeToCalendar(gateway!.url, `Bearer ${token}`);
    clients.push(client);
    return client;
  };
  const aliceUserId = async () => (await graphql<{ viewer: { id: string } }>(gateway!.url, '{ viewer { id } }', { token: alice })).data!.viewer.id;
  /** The subscription exists and the first read is stored: from here on every change is pushed. */
  const whenLive = async () => {
    // Notifications of earlier changes are delivered and processed first: counters read afterwards count this test only.
    await sandbox!.control.deliverNotifications();
    await gateway!.services.live.sync.settled();
    const userId = await aliceUserId();
    await eventually(async () => (await gateway!.services.live.sync.eventsInWindow(userId, Channel.MAIN, inDays(-1), inDays(1))) !== undefined);
  };
  const createdByOutlook = (subject: string, day = 3) =>
    sandbox!.control.simulateExternalChange(aliceEmail, { type: 'created', event: { subject, start: utc(inDays(day)), end: utc(inDays(day, 10)) } }) as { id: string };
  const graphRequests = (route: string) => sandbox!.control.counters().graphRequests[route] ?? 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true, notifications: { retryDelaysMs: [50, 100] } });
    gateway = await startTestGateway({ RATE_LIMITS: 'off', DATABASE_URL: target.freshUrl(), HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1:0' }, { sandbox });
    aliceEmail = sandbox.users[0].email;
    alice = (await signInAs(gateway, aliceEmail)).sessionToken;
  }, 60_000);

  afterEach(() => {
    if (process.env.LIVE_DEBUG) for (const line of gateway!.logLines.splice(0)) if (/"level":(40|50)/.test(line)) process.stderr.write(line);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await gateway?.close();
    await sandbox?.close();
    await target.dropAll();
  });

  it('pushes an event created by Outlook to a subscribed client', async () => {
    const client = listen();
    await whenLive();
    expect(sandbox!.control.subscriptions(aliceEmail)).toHaveLength(1);
    const created = createdByOutlook('Planning from Outlook');
    const change = await client.next((candidate) => candidate.eventId === created.id);
    expect(change).toMatchObject({ kind: 'CREATED', channel: 'MAIN', event: { id: created.id, subject: 'Planning from Outlook' } });
    expect(client.errors).toEqual([]);
  }, 30_000);

  it('answers events from the store exactly as Graph does, without a Graph round trip', async () => {
    listen();
    await whenLive();
    createdByOutlook('Second from Outlook', 5);
    await sandbox!.control.deliverNotifications();
    await whenLive();
    const variables = { start: inDays(-2).toISOString(), end: inDays(30).toISOString() };
    sandbox!.control.resetCounters();
    const fromStore = await graphql(gateway!.url, EVENTS, { token: alice, variables });
    expect(graphRequests('GET /me/calendarView')).toBe(0);
    // An explicit time zone always reads from Graph: the same window, field for field.
    const fromGraph = await graphql(gateway!.url, EVENTS, { token: alice, variables: { ...variables, timeZone: 'UTC' } });
    expect(graphRequests('GET /me/calendarView')).toBe(1);
    expect(fromStore.errors).toBeUndefined();
    expect((fromStore.data as { events: { nodes: unknown[] } }).events.nodes.length).toBeGreaterThan(1);
    expect(fromStore.data).toEqual(fromGraph.data);
  }, 30_000);

  it('reads its own write from the store at once', async () => {
    listen();
    await whenLive();
    const created = await graphql<{ createEvent: { id: string } }>(gateway!.url, 'mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }', {
      token: alice, variables: { input: { subject: 'Written through the gateway', start: utc(inDays(7)), end: utc(inDays(7, 10)) } },
    });
    const id = created.data!.createEvent.id;
    sandbox!.control.resetCounters();
    const read = await graphql<{ event: { subject: string } }>(gateway!.url, 'query($id: ID!) { event(id: $id) { subject } }', { token: alice, variables: { id } });
    expect(read.data!.event.subject).toBe('Written through the gateway');
    expect(graphRequests('GET /me/events/{id}')).toBe(0);
  }, 30_000);

  it('refuses a notification with a wrong clientState: acknowledged, nothing processed', async () => {
    const client = listen();
    await whenLive();
    const [subscription] = sandbox!.control.subscriptions(aliceEmail);
    sandbox!.control.resetCounters();
    const forged = await fetch(`${gateway!.url}/microsoft/notifications`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ subscriptionId: subscription.id, clientState: 'guessed', changeType: 'created', resource: 'me/events/x', resourceData: { id: 'x' } }] }),
    });
    expect(forged.status).toBe(202);
    // A real notification after it is processed; had the forged one been, its delta round would have come first.
    const created = createdByOutlook('After the forgery', 6);
    await client.next((candidate) => candidate.eventId === created.id);
    expect(graphRequests('GET /me/calendarView/delta')).toBe(1);
  }, 30_000);

  it('answers the validation handshake with the token as text', async () => {
    const answer = await fetch(`${gateway!.url}/microsoft/notifications?validationToken=${encodeURIComponent('a token & more')}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await answer.text()).toBe('a token & more');
  });

  it('resyncs after a missed notification and an expired delta token, losing and repeating nothing', async () => {
    const client = listen();
    await whenLive();
    const [subscription] = sandbox!.control.subscriptions(aliceEmail);
    sandbox!.control.expireDeltaTokens(aliceEmail);
    const created = createdByOutlook('Made while notifications were missed', 8);
    await sandbox!.control.sendLifecycleNotification(subscription.id, 'missed');
    await sandbox!.control.deliverNotifications();
    await client.next((candidate) => candidate.eventId === created.id);
    await whenLive();
    expect(client.changes.filter((change) => change.eventId === created.id)).toHaveLength(1);
  }, 30_000);

  it('closes an open socket with 4401 once its session is signed out', async () => {
    const bob = (await signInAs(gateway!, sandbox!.users[1].email)).sessionToken;
    const client = listen(bob);
    await eventually(() => sandbox!.control.subscriptions(sandbox!.users[1].email).length > 0);
    await graphql(gateway!.url, 'mutation { signOut }', { token: bob });
    expect(await client.closed).toBe(4401);
  }, 30_000);

  it('refuses a subscription on a channel the caller has not connected, with the contract error', async () => {
    const client = subscribeToCalendar(gateway!.url, `Bearer ${alice}`, 'BETA');
    clients.push(client);
    await eventually(() => client.errors.length > 0);
    expect(JSON.stringify(client.errors)).toContain('"extensions":{"code":"MICROSOFT_NOT_CONNECTED","channel":"BETA"}');
    expect(client.changes).toEqual([]);
  }, 30_000);

  it('closes a socket without a valid session with 4401', async () => {
    const client = subscribeToCalendar(gateway!.url, 'Bearer not-a-session');
    clients.push(client);
    expect(await client.closed).toBe(4401);
  }, 30_000);
});
