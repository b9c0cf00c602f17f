// The GraphQL IDE renders and runs queries in real Chromium with every request to another origin cut off.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BrowserWithGateway, shouldRunBrowserTests, warnWhenSkipped } from '../support/chromium';
import { startSignIn } from '../support/microsoft-sign-in';

warnWhenSkipped('the GraphQL IDE browser test');

/** Screenshots for a person to look at; outside the repository. */
const SCREENSHOTS = join(tmpdir(), 'ms-graph-gateway-screenshots');

(shouldRunBrowserTests ? describe : describe.skip)('the GraphQL IDE in a browser, offline', () => {
  const setup = new BrowserWithGateway();
  /** Requests to any other origin, which the test aborts: the IDE must need none. */
  const leftTheGateway: string[] = [];
  const servedByGateway: string[] = [];
  const policyViolations: string[] = [];

  /** Set once a test reaches the IDE: from then on only the gateway's own origin answers the browser. */
  let isCutOff = false;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await setup.start({ NODE_ENV: 'development' });
    const browser = setup.browser!;
    browser.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) policyViolations.push(message.text());
    });
    // On the whole context, so that the editor's workers are cut off too.
    await browser.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (!isCutOff) return route.continue();
      if (url.origin === setup.origin) {
        servedByGateway.push(url.pathname);
        return route.continue();
      }
      leftTheGateway.push(url.href);
      return route.abort('internetdisconnected');
    });
  }, 60_000);

  afterAll(() => setup.close());

  /** The text in the IDE's result pane once it holds `expected`. */
  async function resultContaining(page: Page, expected: string): Promise<string> {
    // The editor renders spaces as no-break spaces, which \s covers.
    const text = () => page.locator('.graphiql-response').innerText().then((shown) => shown.replace(/\s+/g, ' '));
    for (let attempt = 0; attempt < 300 && !(await text()).includes(expected); attempt += 1) await page.waitForTimeout(100);
    return text();
  }

  async function replaceQuery(page: Page, query: string): Promise<void> {
    await page.locator('.graphiql-query-editor .monaco-editor').first().click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(query);
    // The editor closes an opened bracket on its own: drop whatever it added after the cursor.
    await page.keyboard.press('ControlOrMeta+Shift+End');
    await page.keyboard.press('Delete');
  }

  it('renders at /graphql and runs a query whose answer appears on the page', async () => {
    const page = await setup.browser!.newPage();
    isCutOff = true;
    await page.goto(`${setup.origin}/graphql`);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
    await replaceQuery(page, '{ health { status } }');
    await page.locator('.graphiql-execute-button').click();
    const answer = await resultContaining(page, '"status":');
    expect(answer).toMatch(/"health": \{ "status": "(OK|DEGRADED|DOWN)" \}/);
    await page.screenshot({ path: join(SCREENSHOTS, 'graphql-ide.png') });
    // The cut-off saw the IDE's own files go by (so it was in force), and nothing for anywhere else.
    expect(servedByGateway).toEqual(expect.arrayContaining(['/graphql', '/graphql-ide/ruru.js']));
    expect(leftTheGateway).toEqual([]);
    expect(policyViolations).toEqual([]);
  }, 60_000);

  it('opens from the signed-in page with the session’s Authorization header already set', async () => {
    isCutOff = false;
    const started = await startSignIn(setup.gateway!.url, {});
    const page = await setup.browser!.newPage();
    await page.goto(started.authorizationUrl);
    const user = setup.sandbox!.users[0];
    await page.getByRole('button', { name: new RegExp(user.displayName) }).click();
    await page.waitForURL((url) => url.pathname === '/auth/microsoft/callback');
    const sessionToken = (await page.locator('#session-token').textContent())!.trim();
    expect(await page.locator('#authorization-headers').textContent()).toBe(JSON.stringify({ Authorization: `Bearer ${sessionToken}` }));

    isCutOff = true;
    await page.locator('#open-ide').click();
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
    // The token leaves the address bar once the IDE has read it.
    expect(page.url()).toBe(`${setup.origin}/graphql`);
    await replaceQuery(page, '{ viewer { email } }');
    await page.locator('.graphiql-execute-button').click();
    expect(await resultContaining(page, user.email)).toContain(`"email": "${user.email}"`);
    await page.screenshot({ path: join(SCREENSHOTS, 'graphql-ide-signed-in.png') });
    expect(leftTheGateway).toEqual([]);
    expect(policyViolations).toEqual([]);
  }, 60_000);
});
