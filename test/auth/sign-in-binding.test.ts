// A sign-in completes only for the client that started it: the browser holding the start route's cookie, or the app holding the completion secret.
import type { Sandbox } from '../../src/sandbox';
import { describeEachDatabase, queryValue, runStatement } from '../support/databases';
import { errorCodes, graphql } from '../support/http';
import { authorize, completeSignIn, openCallback, openStart, startSignIn } from '../support/microsoft-sign-in';
import { startSandboxedGateway, stopSandboxedGateway, type StartedGateway } from '../support/start-gateway';

let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

const emailOf = (index: number) => sandbox!.users[index].email;
const reasonOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.reason;
const unspentStates = () => queryValue<number>(gateway!.database, 'SELECT count(*) FROM oauth_states WHERE consumed_at IS NULL', []);

/** Started by the app, opened in its browser, signed in at Microsoft: what comes back to the redirect URI. */
async function authorized(email: string) {
  const started = await startSignIn(gateway!.url, { loginHint: email });
  const { callback, cookie } = await authorize(started.authorizationUrl);
  return { started, callback, cookie, code: callback.searchParams.get('code')!, state: started.state };
}

describeEachDatabase('sign-in binding', (target) => {
  beforeAll(async () => {
    ({ sandbox, gateway } = await startSandboxedGateway(target.freshUrl()));
  });

  afterAll(() => stopSandboxedGateway({ sandbox, gateway }, target));

  describe('the start route', () => {
    it('sets an HttpOnly, SameSite=Lax cookie named for this sign-in and redirects to Microsoft', async () => {
      const started = await startSignIn(gateway!.url, { loginHint: emailOf(0) });
      const response = await fetch(started.authorizationUrl, { redirect: 'manual' });
      expect(response.status).toBe(303);
      expect(new URL(response.headers.get('location')!).pathname).toMatch(/\/oauth2\/v2\.0\/authorize$/);
      expect(new URL(response.headers.get('location')!).searchParams.get('state')).toBe(started.state);
      const setCookie = response.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^ms_sign_in_[0-9a-f]{24}=[A-Za-z0-9_-]{43}; /);
      expect(setCookie).toMatch(/; HttpOnly/i);
      expect(setCookie).toMatch(/; SameSite=Lax/i);
      expect(setCookie).toMatch(/; Path=\/auth\/microsoft(;|$)/);
      expect(setCookie).not.toMatch(/; Secure/i); // plain-HTTP development
      // The URL it hands out carries the state only: no secret that completes the sign-in.
      expect([...new URL(started.authorizationUrl).searchParams.keys()]).toEqual(['state']);
      expect(started.authorizationUrl).not.toContain(started.completionSecret);
    });

    it('binds the first browser only: another browser opening the same link is refused, the first may open it again', async () => {
      const started = await startSignIn(gateway!.url, { loginHint: emailOf(0) });
      const first = await openStart(started.authorizationUrl);
      const other = await fetch(started.authorizationUrl, { redirect: 'manual' });
      expect(other.status).toBe(400);
      expect(other.headers.get('set-cookie')).toBeNull();
      expect(await other.text()).toContain('BINDING_MISMATCH');
      const again = await fetch(started.authorizationUrl, { redirect: 'manual', headers: { cookie: first.cookie } });
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toBe(first.microsoftUrl.toString());
    });

    it('binds no one on a HEAD request, as link checkers send', async () => {
      const started = await startSignIn(gateway!.url, { loginHint: emailOf(0) });
      const probe = await fetch(started.authorizationUrl, { method: 'HEAD', redirect: 'manual' });
      expect(probe.status).toBe(204);
      expect(probe.headers.get('set-cookie')).toBeNull();
      const person = await fetch(started.authorizationUrl, { redirect: 'manual' });
      expect(person.status).toBe(303);
      expect(person.headers.get('set-cookie')).toMatch(/^ms_sign_in_/);
    });

    it('refuses an unknown state', async () => {
      const response = await fetch(`${gateway!.url}/auth/microsoft/start?state=${'A'.repeat(43)}`, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('INVALID_STATE');
    });
  });

  describe('the browser callback', () => {
    it("gives a browser without the binding cookie no session, and leaves the sign-in to the browser that started it", async () => {
      const { callback, cookie } = await authorized(emailOf(1));
      const before = await unspentStates();
      const victim = await openCallback(gateway!.url, callback, undefined, { redirect: 'manual' });
      expect(victim.status).toBe(400);
      expect(victim.headers.get('location')).toBeNull();
      const page = await victim.text();
      expect(page).toContain('BINDING_MISMATCH');
      expect(page).toContain('This sign-in was started in another browser or app; start it again here.');
      expect(page).not.toContain('session-token');
      expect(await unspentStates()).toBe(before);

      const starter = await openCallback(gateway!.url, callback, cookie);
      expect(starter.status).toBe(200);
      const token = /id="session-token">([A-Za-z0-9_-]{43})</.exec(await starter.text())?.[1];
      expect((await graphql(gateway!.url, '{ viewer { email } }', { token })).data).toEqual({ viewer: { email: emailOf(1) } });
      expect(starter.headers.get('set-cookie')).toMatch(/^ms_sign_in_[0-9a-f]{24}=;.*Expires=Thu, 01 Jan 1970/);
    });

    it("refuses another sign-in's cookie", async () => {
      const mine = await authorized(emailOf(1));
      const theirs = await authorized(emailOf(2));
      const forged = `${mine.cookie.split('=')[0]}=${theirs.cookie.split('=')[1]}`;
      const response = await openCallback(gateway!.url, mine.callback, `${forged}; ${theirs.cookie}`);
      expect(await response.text()).toContain('BINDING_MISMATCH');
    });

    it('completes two sign-ins started in two tabs of one browser', async () => {
      const first = await authorized(emailOf(2));
      const second = await authorized(emailOf(3));
      const jar = `${first.cookie}; ${second.cookie}`;
      const pages = await Promise.all([openCallback(gateway!.url, second.callback, jar), openCallback(gateway!.url, first.callback, jar)]);
      expect(pages.map((page) => page.status)).toEqual([200, 200]);
    });
  });

  describe('completeMicrosoftSignIn', () => {
    it.each([
      ['without the completion secret', undefined],
      ['with a wrong completion secret', 'B'.repeat(43)],
      ['with the browser cookie instead of the completion secret', 'cookie'],
    ])('refuses a completion %s with BINDING_MISMATCH and leaves the state unspent', async (_name, given) => {
      const { started, code, state, cookie } = await authorized(emailOf(0));
      const completionSecret = given === 'cookie' ? cookie.split('=')[1] : given;
      const refused = await completeSignIn(gateway!.url, { code, state, completionSecret });
      expect(errorCodes(refused)).toEqual(['SIGN_IN_FAILED']);
      expect(reasonOf(refused)).toBe('BINDING_MISMATCH');
      expect(refused.errors?.[0].message).toBe('This sign-in was started in another browser or app; start it again here.');

      const completed = await completeSignIn(gateway!.url, { code, state, completionSecret: started.completionSecret });
      expect(completed.errors).toBeUndefined();
      expect(completed.data?.completeMicrosoftSignIn.viewer.email).toBe(emailOf(0));
    });

    it('refuses a sign-in pending from before completion secrets existed', async () => {
      const { started, code, state } = await authorized(emailOf(0));
      await runStatement(gateway!.database, 'UPDATE oauth_states SET completion_secret_hash = NULL WHERE consumed_at IS NULL', []);
      const refused = await completeSignIn(gateway!.url, { code, state, completionSecret: started.completionSecret });
      expect(reasonOf(refused)).toBe('BINDING_MISMATCH');
    });
  });
});

describe('the binding cookie behind https', () => {
  let secure: { sandbox?: Sandbox; gateway?: StartedGateway } = {};
  const drop = { dropAll: async () => undefined };
  beforeAll(async () => {
    secure = await startSandboxedGateway(':memory:', { PUBLIC_URL: 'https://gateway.example' });
  });
  afterAll(() => stopSandboxedGateway(secure, drop));

  it('is a __Host- cookie (Secure, Path=/, no Domain), which a sibling host or a plain-http answer cannot plant', async () => {
    const started = await startSignIn(secure.gateway!.url, { loginHint: secure.sandbox!.users[0].email });
    const startPath = new URL(started.authorizationUrl);
    const response = await fetch(`${secure.gateway!.url}${startPath.pathname}${startPath.search}`, { redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^__Host-ms_sign_in_[0-9a-f]{24}=/);
    expect(setCookie).toMatch(/; Path=\/(;|$)/);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).not.toMatch(/; Domain=/i);

    // The same browser, carrying it back, completes the sign-in at the callback.
    const microsoftAuthorize = new URL(response.headers.get('location')!);
    const back = await fetch(microsoftAuthorize, { redirect: 'manual' });
    const redirect = new URL(back.headers.get('location')!);
    const page = await openCallback(secure.gateway!.url, redirect, setCookie.split(';')[0]);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('session-token');
  });
});
