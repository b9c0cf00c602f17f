// A real browser (Debian's headless Chromium via playwright-core) signs in through the gateway's start route, the sandbox's pages and the callback.
import type { Browser, BrowserContext } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { graphql } from '../support/http';
import { startSignIn } from '../support/microsoft-sign-in';
import { freePort, launchChromiumBrowser, shouldRunBrowserTests, warnWhenSkipped } from '../support/chromium';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

warnWhenSkipped('the browser sign-in test');

const isCallback = (url: URL) => url.pathname === '/auth/microsoft/callback';

(shouldRunBrowserTests ? describe : describe.skip)('signing in with a browser', () => {
  let sandbox: Sandbox | undefined;
  let gateway: StartedGateway | undefined;
  let chromiumProcess: Browser | undefined;
  /** One person's browser; the login-CSRF test adds an attacker's and a victim's, which share no cookies. */
  let browser: BrowserContext | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    const port = await freePort();
    gateway = await startTestGateway({ SANDBOX: 'on', RATE_LIMITS: 'off', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, { sandbox });
    chromiumProcess = await launchChromiumBrowser();
    browser = await chromiumProcess.newContext();
  }, 60_000);

  afterAll(async () => {
    await chromiumProcess?.close();
    await gateway?.close();
    await sandbox?.close();
  });

  it('picks a user on the sign-in page, lands on the callback, and the session answers viewer', async () => {
    const started = await startSignIn(gateway!.url, {});
    const page = await browser!.newPage();
    await page.goto(started.authorizationUrl);
    const user = sandbox!.users[1];
    await page.getByRole('button', { name: new RegExp(user.displayName) }).click();
    await page.waitForURL((url) => url.pathname === '/auth/microsoft/callback');
    const sessionToken = (await page.locator('#session-token').textContent())?.trim();
    expect(sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const viewer = await graphql<{ viewer: { email: string; connections: Array<{ channel: string; active: boolean }> } }>(
      gateway!.url,
      '{ viewer { email connections { channel active } } }',
      { token: sessionToken },
    );
    expect(viewer.data?.viewer).toEqual({ email: user.email, connections: [{ channel: 'MAIN', active: true }] });
  }, 60_000);

  it('shows CONSENT_DECLINED when the user declines', async () => {
    const started = await startSignIn(gateway!.url, {});
    const page = await browser!.newPage();
    await page.goto(started.authorizationUrl);
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.waitForURL((url) => url.pathname === '/auth/microsoft/callback');
    expect(await page.locator('#reason').textContent()).toBe('CONSENT_DECLINED');
  }, 60_000);

  it("gives a victim who opens an attacker's callback link no session, and leaves the sign-in to the attacker's browser", async () => {
    const attacker = await chromiumProcess!.newContext();
    const victim = await chromiumProcess!.newContext();
    try {
      const started = await startSignIn(gateway!.url, {});
      const attackerPage = await attacker.newPage();
      // The attacker signs in as himself and stops where Microsoft sends the browser back: that link is the bait.
      // Playwright does not route the target of a redirect, so the sandbox's answer is fetched here and its redirect
      // to the callback is kept instead of followed.
      let callbackUrl: string | undefined;
      const reachedCallback = new Promise<void>((resolve) => {
        void attackerPage.route(
          (url) => url.origin === sandbox!.browserBaseUrl,
          async (route) => {
            const answer = await route.fetch({ maxRedirects: 0 });
            const location = answer.headers().location;
            if (!location || !isCallback(new URL(location))) return route.fulfill({ response: answer });
            callbackUrl = location;
            await route.abort();
            resolve();
          },
        );
      });
      await attackerPage.goto(started.authorizationUrl);
      const attackerUser = sandbox!.users[2];
      await attackerPage.getByRole('button', { name: new RegExp(attackerUser.displayName) }).click({ noWaitAfter: true });
      await reachedCallback;
      expect(new URL(callbackUrl!).searchParams.get('code')).toBeTruthy();

      const victimPage = await victim.newPage();
      await victimPage.goto(callbackUrl!);
      expect(await victimPage.locator('#reason').textContent()).toBe('BINDING_MISMATCH');
      expect(await victimPage.locator('#session-token').count()).toBe(0);
      expect(new URL(victimPage.url()).hash).toBe('');
      expect(await victimPage.content()).not.toMatch(/session.token|[A-Za-z0-9_-]{43}/i);
      expect(await victim.cookies()).toEqual([]);

      // The state was not spent: the attacker's own browser, holding the binding cookie, still completes it.
      await attackerPage.unrouteAll();
      await attackerPage.goto(callbackUrl!);
      const sessionToken = (await attackerPage.locator('#session-token').textContent())?.trim();
      const viewer = await graphql<{ viewer: { email: string } }>(gateway!.url, '{ viewer { email } }', { token: sessionToken });
      expect(viewer.data?.viewer.email).toBe(attackerUser.email);
    } finally {
      await attacker.close();
      await victim.close();
    }
  }, 60_000);
});
