// A real browser (Debian's headless Chromium via playwright-core) signs in through the sandbox's pages and the gateway's callback.
import { BrowserWithGateway, shouldRunBrowserTests, warnWhenSkipped } from '../support/chromium';
import { graphql } from '../support/http';
import { startSignIn } from '../support/microsoft-sign-in';

warnWhenSkipped('the browser sign-in test');

(shouldRunBrowserTests ? describe : describe.skip)('signing in with a browser', () => {
  const setup = new BrowserWithGateway();

  beforeAll(() => setup.start(), 60_000);
  afterAll(() => setup.close());

  it('picks a user on the sign-in page, lands on the callback, and the session answers viewer', async () => {
    const started = await startSignIn(setup.gateway!.url, {});
    const page = await setup.browser!.newPage();
    await page.goto(started.authorizationUrl);
    const user = setup.sandbox!.users[1];
    await page.getByRole('button', { name: new RegExp(user.displayName) }).click();
    await page.waitForURL((url) => url.pathname === '/auth/microsoft/callback');
    const sessionToken = (await page.locator('#session-token').textContent())?.trim();
    expect(sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const viewer = await graphql<{ viewer: { email: string; connections: Array<{ channel: string; active: boolean }> } }>(
      setup.gateway!.url,
      '{ viewer { email connections { channel active } } }',
      { token: sessionToken },
    );
    expect(viewer.data?.viewer).toEqual({ email: user.email, connections: [{ channel: 'MAIN', active: true }] });
  }, 60_000);

  it('shows CONSENT_DECLINED when the user declines', async () => {
    const started = await startSignIn(setup.gateway!.url, {});
    const page = await setup.browser!.newPage();
    await page.goto(started.authorizationUrl);
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.waitForURL((url) => url.pathname === '/auth/microsoft/callback');
    expect(await page.locator('#reason').textContent()).toBe('CONSENT_DECLINED');
  }, 60_000);
});
