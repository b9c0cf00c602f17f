// The GraphQL IDE renders and runs queries in real Chromium with every request to another origin cut off.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { freePort, launchChromium, shouldRunBrowserTests, warnWhenSkipped } from '../support/chromium';
import { startSignIn } from '../support/microsoft-sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

warnWhenSkipped('the GraphQL IDE browser test');

/** Screenshots for a person to look at; outside the repository. */
const SCREENSHOTS = join(tmpdir(), 'ms-graph-gateway-screenshots');

(shouldRunBrowserTests ? describe : describe.skip)('the GraphQL IDE in a browser, offline', () => {
  const userDataDir = mkdtempSync(join(tmpdir(), 'gw-chromium-ide-'));
  let sandbox: Sandbox | undefined;
  let gateway: StartedGateway | undefined;
  let browser: BrowserContext | undefined;
  let gatewayOrigin = '';
  /** Requests to any other origin, which the test aborts: the IDE must need none. */
  const leftTheGateway: string[] = [];
  const servedByGateway: string[] = [];
  const policyViolations: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox({ quiet: true });
    const port = await freePort();
    gatewayOrigin = `http://127.0.0.1:${port}`;
    gateway = await startTestGateway({ NODE_ENV: 'development', SANDBOX: 'on', RATE_LIMITS: 'off', PORT: String(port), PUBLIC_URL: gatewayOrigin }, { sandbox });
    browser = await launchChromium(userDataDir);
    browser.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) policyViolations.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await sandbox?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  /** From now on, only the gateway's own origin answers this page. */
  async function cutOffEverythingButTheGateway(page: Page): Promise<void> {
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === gatewayOrigin) {
        servedByGateway.push(new URL(url).pathname);
        return route.continue();
      }
      leftTheGateway.push(url);
      return route.abort('internetdisconnected');
    });
  }

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
    const page = await browser!.newPage();
    await cutOffEverythingButTheGateway(page);
    await page.goto(`${gatewayOrigin}/graphql`);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
    await replaceQuery(page, '{ health { status } }');
    await page.locator('.graphiql-execute-button').click();
    const answer = await resultContaining(page, '"status":');
    expect(answer).toMatch(/"health": \{ "status": "(OK|DEGRADED|DOWN)" \}/);
    await page.screenshot({ path: join(SCREENSHOTS, 'graphql-ide.png') });
    // The cut-off saw the IDE's own files go by (so it was in force), and nothing for anywhere else.
    expect(servedByGateway).toEqual(expect.arrayContaining(['/graphql', '/graphql-ide/ruru.js', '/graphql-ide/graphqlWorker.js']));
    expect(leftTheGateway).toEqual([]);
    expect(policyViolations).toEqual([]);
  }, 60_000);

  it('opens from the signed-in page with the session’s Authorization header already set', async () => {
    const started = await startSignIn(gateway!.url, {});
    const page = await browser!.newPage();
    await page.goto(started.authorizationUrl);
    const user = sandbox!.users[0];
    await page.getByRole('button', { name: new RegExp(user.displayName) }).click();
    await page.waitForURL((url) => url.pathname === '/auth/microsoft/callback');
    const sessionToken = (await page.locator('#session-token').textContent())!.trim();
    expect(await page.locator('#authorization-headers').textContent()).toBe(JSON.stringify({ Authorization: `Bearer ${sessionToken}` }));

    await cutOffEverythingButTheGateway(page);
    await page.locator('#open-ide').click();
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
    // The token leaves the address bar once the IDE has read it.
    expect(page.url()).toBe(`${gatewayOrigin}/graphql`);
    await replaceQuery(page, '{ viewer { email } }');
    await page.locator('.graphiql-execute-button').click();
    expect(await resultContaining(page, user.email)).toContain(`"email": "${user.email}"`);
    await page.screenshot({ path: join(SCREENSHOTS, 'graphql-ide-signed-in.png') });
    expect(leftTheGateway).toEqual([]);
    expect(policyViolations).toEqual([]);
  }, 60_000);
});
