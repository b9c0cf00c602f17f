// A browser app on another origin signs in through the gateway and calls its calendar with fetch, across origins (CORS).
import { createServer, type Server } from 'node:http';
import { BrowserWithGateway, freePort, shouldRunBrowserTests, warnWhenSkipped } from '../support/chromium';

warnWhenSkipped('the cross-origin app browser test');

const SUBJECT = 'Planned from another origin';

/**
 * The whole app: without a session it starts the sign-in with returnTo pointing back at itself and goes to
 * authorizationUrl; back with `#session_token=…` it lists events, creates one and lists again, and shows what it got.
 */
function appPage(gatewayUrl: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Calendar app</title></head>
<body><pre id="result">working</pre>
<script>
const GATEWAY = ${JSON.stringify(gatewayUrl)};
async function graphql(query, variables, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const response = await fetch(GATEWAY + '/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: await response.json() };
}
const EVENTS = 'query Events($start: DateTime!, $end: DateTime!) { events(start: $start, end: $end) { nodes { id subject } } }';
const CREATE = 'mutation Create($input: CreateEventInput!) { createEvent(input: $input) { id subject } }';
async function run() {
  const token = new URLSearchParams(location.hash.slice(1)).get('session_token');
  if (!token) {
    const started = await graphql('mutation Start($returnTo: String) { startMicrosoftSignIn(returnTo: $returnTo) { authorizationUrl } }',
      { returnTo: location.origin + location.pathname });
    location.assign(started.body.data.startMicrosoftSignIn.authorizationUrl);
    return undefined;
  }
  history.replaceState(null, '', location.pathname);
  const day = 86400000;
  const range = { start: new Date(Date.now() - 7 * day).toISOString(), end: new Date(Date.now() + 14 * day).toISOString() };
  const tomorrow = new Date(Date.now() + day).toISOString().slice(0, 10);
  const before = await graphql(EVENTS, range, token);
  const created = await graphql(CREATE, { input: {
    subject: ${JSON.stringify(SUBJECT)},
    start: { dateTime: tomorrow + 'T15:00:00', timeZone: 'UTC' },
    end: { dateTime: tomorrow + 'T15:30:00', timeZone: 'UTC' },
  } }, token);
  const after = await graphql(EVENTS, range, token);
  return { before, created, after };
}
const result = document.getElementById('result');
run().then(
  (outcome) => { if (outcome) { result.textContent = JSON.stringify(outcome); result.dataset.done = 'true'; } },
  (error) => { result.textContent = JSON.stringify({ failure: String(error) }); result.dataset.done = 'true'; },
);
</script></body></html>`;
}

interface GraphQLAnswer<T> {
  status: number;
  body: { data?: T; errors?: unknown[] };
}
type EventsAnswer = GraphQLAnswer<{ events: { nodes: Array<{ id: string; subject: string }> } }>;

(shouldRunBrowserTests ? describe : describe.skip)('a browser app on another origin', () => {
  const setup = new BrowserWithGateway();
  let appServer: Server | undefined;
  let appUrl = '';

  beforeAll(async () => {
    const appPort = await freePort();
    // Another origin: another host name and port than the gateway's http://127.0.0.1:<port>.
    const appOrigin = `http://localhost:${appPort}`;
    appUrl = `${appOrigin}/calendar-app`;
    await setup.start({ ALLOWED_RETURN_URLS: appOrigin, CORS_ORIGINS: appOrigin });
    const page = appPage(setup.origin);
    appServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
    await new Promise<void>((resolve) => appServer!.listen(appPort, '127.0.0.1', resolve));
  }, 60_000);

  afterAll(async () => {
    const appClosed = new Promise((resolve) => (appServer?.listening ? appServer.close(resolve) : resolve(undefined)));
    // The browser's keep-alive connections would hold close() open.
    appServer?.closeAllConnections();
    await appClosed;
    await setup.close();
  });

  it('signs in, comes back with the session in the fragment, lists events and creates one', async () => {
    const page = await setup.browser!.newPage();
    await page.goto(appUrl);
    // The app sent the browser on to authorizationUrl: the sandbox's sign-in page, wherever the gateway routed it.
    const user = setup.sandbox!.users[2];
    await page.getByRole('button', { name: new RegExp(user.displayName) }).click();
    await page.waitForURL((url) => url.href === appUrl);
    await page.locator('#result[data-done="true"]').waitFor({ timeout: 30_000 });
    const outcome = JSON.parse((await page.locator('#result').textContent())!) as {
      failure?: string;
      before: EventsAnswer;
      created: GraphQLAnswer<{ createEvent: { id: string; subject: string } }>;
      after: EventsAnswer;
    };

    expect(outcome.failure).toBeUndefined();
    expect(outcome.before.status).toBe(200);
    expect(outcome.before.body.errors).toBeUndefined();
    expect(outcome.before.body.data!.events.nodes.length).toBeGreaterThan(0);
    expect(outcome.created.body).toEqual({ data: { createEvent: { id: expect.any(String), subject: SUBJECT } } });
    const created = outcome.created.body.data!.createEvent;
    expect(outcome.after.body.data!.events.nodes).toContainEqual({ id: created.id, subject: SUBJECT });
    expect(outcome.before.body.data!.events.nodes).not.toContainEqual({ id: created.id, subject: SUBJECT });
  }, 60_000);
});
