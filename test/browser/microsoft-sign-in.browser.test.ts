// A real browser (Debian's headless Chromium via playwright-core) signs in through the sandbox's pages and the gateway's callback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { freePort, launchChromium, shouldRunBrowserTests, warnWhenSkipped } from '../support/chromium';
import { graphql } from '../support/http';
import { startSignIn } from '../support/microsoft-sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

warnWhenSkipped('the browser sign-in test');

(shouldRunBrowserTests ? describe : describe.skip)('signing in with a browser', () => {
  const userDataDir = mkdtempSync(join(tmpdir(), 'gw-chromium-'));
  let sandbox: Sandbox | undefined;
  let gateway: StartedGateway | undefined;
  let browser: BrowserContext | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    const port = await freePort();
    gateway = await startTestGateway({ SANDBOX: 'on', RATE_LIMITS: 'off', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, { sandbox });
    browser = await launchChromium(userDataDir);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await sandbox?.close();
    rmSync(userDataDir, { recursive: true, force: true });
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
});
