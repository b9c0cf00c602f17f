// calendarView delta: an initial round in pages, later rounds with only what changed, 410 for a token the sandbox no longer knows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNotificationReceiver } from '../support/notification-receiver';
import { ADELE, ALEX, msalClient, rawRequest, signIn, startTestSandbox, type TestSandbox } from './helpers';

let env: TestSandbox;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  env = await startTestSandbox();
  for (const email of [ADELE, ALEX]) tokens[email] = (await signIn(env, msalClient(env), email)).accessToken;
});
afterAll(async () => {
  await env?.close();
});

const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const iso = (ms: number) => new Date(ms).toISOString();
const json = (response: { body: string }) => JSON.parse(response.body);
type Page = { value: Array<Record<string, any>>; '@odata.nextLink'?: string; '@odata.deltaLink'?: string; '@odata.context': string };

function graph(url: string, options: { method?: string; body?: unknown; headers?: Record<string, string>; email?: string } = {}) {
  const path = url.startsWith('https://') ? url.slice(env.sandbox.graphBaseUrl.length) : `/v1.0${url}`;
  return rawRequest(env, path, {
    method: options.method ?? 'GET',
    headers: { authorization: `Bearer ${tokens[options.email ?? ADELE]}`, 'content-type': 'application/json', ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

/** Follows nextLinks to the end of a round; returns the pages. */
async function round(url: string, headers: Record<string, string> = {}, email = ADELE): Promise<Page[]> {
  const pages: Page[] = [];
  for (let next: string | undefined = url; next;) {
    const response = await graph(next, { headers, email });
    expect(response.status).toBe(200);
    const page = json(response) as Page;
    pages.push(page);
    next = page['@odata.nextLink'];
  }
  return pages;
}

const windowQuery = (startMs: number, endMs: number) => `startDateTime=${iso(startMs)}&endDateTime=${iso(endMs)}`;
const fortnight = windowQuery(today - 8 * DAY, today + 11 * DAY);
const itemsOf = (pages: Page[]) => pages.flatMap((page) => page.value);
const eventAt = (subject: string, startMs: number) => ({
  subject, start: { dateTime: iso(startMs).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: iso(startMs + 3_600_000).slice(0, 19), timeZone: 'UTC' },
});

describe('the initial round', () => {
  it('returns the calendarView window in pages of the preferred size, then a deltaLink', async () => {
    const pages = await round(`/me/calendarView/delta?${fortnight}`, { prefer: 'odata.maxpagesize=4' });
    const firstResponse = await graph(`/me/calendarView/delta?${fortnight}`, { headers: { prefer: 'odata.maxpagesize=4' } });
    expect(firstResponse.headers['preference-applied']).toBe('odata.maxpagesize=4');
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.slice(0, -1).every((page) => page.value.length === 4 && page['@odata.nextLink']?.includes('/v1.0/me/calendarView/delta?$skiptoken='))).toBe(true);
    const last = pages[pages.length - 1];
    expect(last['@odata.nextLink']).toBeUndefined();
    expect(last['@odata.deltaLink']).toMatch(new RegExp(`^${env.sandbox.graphBaseUrl}/v1.0/me/calendarView/delta\\?\\$deltatoken=`));
    expect(pages[0]['@odata.context']).toBe(`${env.sandbox.graphBaseUrl}/v1.0/$metadata#Collection(event)`);

    const view: Array<Record<string, any>> = [];
    for (let next: string | undefined = `/me/calendarView?${fortnight}&$top=100`; next;) {
      const page = json(await graph(next)) as Page;
      view.push(...page.value);
      next = page['@odata.nextLink'];
    }
    const items = itemsOf(pages);
    expect(items.map((item) => item.id)).toEqual(view.map((event) => event.id));
    expect(items.every((item) => item['@odata.type'] === '#microsoft.graph.event')).toBe(true);
    expect(items.some((item) => item.type === 'occurrence' && item.seriesMasterId)).toBe(true);
    const { '@odata.type': _type, ...first } = items[0];
    expect(first).toEqual(view[0]);
  });

  it('pages by 10 by default and reads the window names in any case', async () => {
    const pages = await round(`/me/calendarView/delta?StartDateTime=${iso(today - 8 * DAY)}&ENDDATETIME=${iso(today + 11 * DAY)}`);
    expect(pages[0].value).toHaveLength(10);
  });

  it('needs a window, and refuses $select like Graph', async () => {
    const windowless = await graph('/me/calendarView/delta');
    expect(windowless.status).toBe(400);
    expect(json(windowless).error.code).toBe('ErrorInvalidParameter');
    const selected = await graph(`/me/calendarView/delta?${fortnight}&$select=subject`);
    expect(selected.status).toBe(400);
    expect(json(selected).error.message).toBe("The query option '$select' is not supported with delta on calendarView.");
  });
});

describe('later rounds', () => {
  it('return only what was created, updated, deleted or moved out of the window since', async () => {
    const windowStart = today + 30 * DAY;
    const windowEnd = today + 33 * DAY;
    const create = async (subject: string, startMs: number) => json(await graph('/me/events', { method: 'POST', body: eventAt(subject, startMs) })).id as string;
    const kept = await create('Kept', windowStart + DAY);
    const renamed = await create('Renamed', windowStart + DAY + 2 * 3_600_000);
    const deleted = await create('Deleted', windowStart + DAY + 4 * 3_600_000);
    const moved = await create('Moved', windowStart + DAY + 6 * 3_600_000);

    const firstRound = await round(`/me/calendarView/delta?${windowQuery(windowStart, windowEnd)}`);
    const ours = ['Kept', 'Renamed', 'Deleted', 'Moved'];
    // The demo stand-up series runs on into any window.
    expect(itemsOf(firstRound).map((item) => item.subject).filter((subject) => ours.includes(subject))).toEqual(ours);
    const unchanged = await round(firstRound[firstRound.length - 1]['@odata.deltaLink']!);
    expect(itemsOf(unchanged)).toEqual([]);

    expect((await graph(`/me/events/${renamed}`, { method: 'PATCH', body: { subject: 'Renamed, now' } })).status).toBe(200);
    expect((await graph(`/me/events/${deleted}`, { method: 'DELETE' })).status).toBe(204);
    expect((await graph(`/me/events/${moved}`, { method: 'PATCH', body: eventAt('Moved', windowEnd + 5 * DAY) })).status).toBe(200);
    env.sandbox.control.simulateExternalChange(ADELE, { type: 'created', event: eventAt('From Outlook', windowStart + 2 * DAY) });

    const changes = itemsOf(await round(unchanged[unchanged.length - 1]['@odata.deltaLink']!));
    expect(changes.filter((item) => !item['@removed']).map((item) => item.subject)).toEqual(['Renamed, now', 'From Outlook']);
    expect(changes.filter((item) => item['@removed'])).toEqual([
      { '@odata.type': '#microsoft.graph.event', id: deleted, '@removed': { reason: 'deleted' } },
      { '@odata.type': '#microsoft.graph.event', id: moved, '@removed': { reason: 'deleted' } },
    ]);
    expect(changes.some((item) => item.id === kept)).toBe(false);
  });
});

describe('stale tokens', () => {
  it('answer 410 syncStateNotFound after expireDeltaTokens, for unknown tokens and for another user', async () => {
    const pages = await round(`/me/calendarView/delta?${fortnight}`, { prefer: 'odata.maxpagesize=5' });
    const deltaLink = pages[pages.length - 1]['@odata.deltaLink']!;
    const alexUsesIt = await graph(deltaLink, { email: ALEX });
    expect(alexUsesIt.status).toBe(410);
    expect((await graph('/me/calendarView/delta?$deltatoken=not-a-token')).status).toBe(410);
    expect((await graph('/me/calendarView/delta?$skiptoken=not-a-token')).status).toBe(410);
    expect((await graph(deltaLink)).status).toBe(200);

    const firstPage = json(await graph(`/me/calendarView/delta?${fortnight}`, { headers: { prefer: 'odata.maxpagesize=5' } })) as Page;
    const expire = await rawRequest(env, `/_sandbox/users/${ADELE}/expire-delta-tokens`, { method: 'POST' });
    expect(expire.status).toBe(204);
    for (const link of [deltaLink, firstPage['@odata.nextLink']!]) {
      const stale = await graph(link);
      expect(stale.status).toBe(410);
      expect(json(stale).error).toMatchObject({ code: 'syncStateNotFound' });
    }
  });
});

describe('across a restart', () => {
  it('keeps delta tokens and subscriptions in the state file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sandbox-delta-state-'));
    const stateFile = join(folder, 'state.json');
    const receiver = await startNotificationReceiver();
    let sandbox: TestSandbox | undefined;
    try {
      sandbox = await startTestSandbox({ stateFile });
      const token = (await signIn(sandbox, msalClient(sandbox), ADELE)).accessToken;
      const call = (path: string, method = 'GET', body?: unknown) => rawRequest(sandbox!, path, {
        method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const relative = (link: string) => link.slice(sandbox!.sandbox.graphBaseUrl.length);
      let page = json(await call(`/v1.0/me/calendarView/delta?${fortnight}`)) as Page;
      while (page['@odata.nextLink']) page = json(await call(relative(page['@odata.nextLink']))) as Page;
      const deltaPath = relative(page['@odata.deltaLink']!);
      const subscription = await call('/v1.0/subscriptions', 'POST', {
        changeType: 'created', notificationUrl: receiver.url('/notify'), resource: 'me/events', expirationDateTime: iso(Date.now() + DAY), clientState: 'kept',
      });
      expect(subscription.status).toBe(201);
      await sandbox.close();

      sandbox = await startTestSandbox({ stateFile });
      const after = await call(deltaPath);
      expect(after.status).toBe(200);
      expect(json(after).value).toEqual([]);
      expect(sandbox.sandbox.control.subscriptions().map((kept) => kept.id)).toEqual([json(subscription).id]);
      expect((await call('/v1.0/me/events', 'POST', eventAt('After the restart', today + 2 * DAY))).status).toBe(201);
      await sandbox.sandbox.control.deliverNotifications();
      expect(receiver.notifications('/notify').map((notification) => [notification.changeType, notification.clientState])).toEqual([['created', 'kept']]);
    } finally {
      await sandbox?.close();
      await receiver.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
