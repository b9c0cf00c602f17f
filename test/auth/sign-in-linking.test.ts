// Linking a Microsoft account to a signed-in user: only that user's session can complete it, never the browser callback.
import type { Sandbox } from '../../src/sandbox';
import { describeEachDatabase, queryValue } from '../support/databases';
import { errorCodes, graphql } from '../support/http';
import { completeSignIn, followAuthorization, signInAs, startSignIn } from '../support/microsoft-sign-in';
import { startSandboxedGateway, stopSandboxedGateway, type StartedGateway } from '../support/start-gateway';

const APP_ORIGIN = 'https://app.example';
let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

const emailOf = (index: number) => sandbox!.users[index].email;
const reasonOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.reason;
const count = (sql: string, ...params: unknown[]) => queryValue<number>(gateway!.database, sql, params);

/** The attacker (signed in) starts a BETA link; the victim signs in at Microsoft with the URL they were sent. */
async function linkStartedBy(token: string, victimEmail: string, returnTo?: string) {
  const started = await startSignIn(gateway!.url, { channel: 'BETA', returnTo }, token);
  const callback = await followAuthorization(started.authorizationUrl, { login_hint: victimEmail });
  return { started, callback, code: callback.searchParams.get('code')!, state: callback.searchParams.get('state')! };
}

describeEachDatabase('linking a Microsoft account to a signed-in user', (target) => {
  beforeAll(async () => {
    ({ sandbox, gateway } = await startSandboxedGateway(target.freshUrl(), { ALLOWED_RETURN_URLS: APP_ORIGIN }));
  });

  afterAll(() => stopSandboxedGateway({ sandbox, gateway }, target));

  it('keeps Microsoft authorize URL as the authorization URL of a linking sign-in', async () => {
    const attacker = await signInAs(gateway!.url, emailOf(0));
    const started = await startSignIn(gateway!.url, { channel: 'BETA' }, attacker.sessionToken);
    expect([sandbox!.authorityHost, sandbox!.browserBaseUrl]).toContain(new URL(started.authorizationUrl).origin);
    expect(new URL(started.authorizationUrl).pathname).toMatch(/\/oauth2\/v2\.0\/authorize$/);
  });

  it('the browser callback hands a linking state to returnTo in the fragment without completing it', async () => {
    const attacker = await signInAs(gateway!.url, emailOf(0));
    const { callback, code, state } = await linkStartedBy(attacker.sessionToken, emailOf(1), `${APP_ORIGIN}/linked`);
    const response = await fetch(`${gateway!.url}${callback.pathname}${callback.search}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${APP_ORIGIN}/linked`);
    expect(location.search).toBe('');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('code')).toBe(code);
    expect(fragment.get('state')).toBe(state);
    expect(fragment.get('session_token')).toBeNull();
    // Nothing was stored: the victim's identity joined no one and the attacker has no BETA connection.
    expect(await count('SELECT count(*) FROM users WHERE microsoft_user_id = ?', sandbox!.users[1].id)).toBe(0);
    expect(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE user_id = ?', attacker.viewer.id)).toBe(0);
  });

  it('the browser callback without returnTo asks to finish in the app and shows no session', async () => {
    const attacker = await signInAs(gateway!.url, emailOf(0));
    const { callback } = await linkStartedBy(attacker.sessionToken, emailOf(1));
    const response = await fetch(`${gateway!.url}${callback.pathname}${callback.search}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('Finish in the app');
    expect(page).not.toContain('session-token');
    expect(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE user_id = ?', attacker.viewer.id)).toBe(0);
  });

  it('refuses a linking completion without the starter session and stores nothing', async () => {
    const attacker = await signInAs(gateway!.url, emailOf(0));
    const { code, state } = await linkStartedBy(attacker.sessionToken, emailOf(1));
    const victim = await completeSignIn(gateway!.url, { channel: 'BETA', code, state });
    expect(errorCodes(victim)).toEqual(['SIGN_IN_FAILED']);
    expect(reasonOf(victim)).toBe('INVALID_STATE');
    expect(victim.errors?.[0]?.message).toMatch(/only that user can complete it/);
    expect(await count('SELECT count(*) FROM users WHERE microsoft_user_id = ?', sandbox!.users[1].id)).toBe(0);
    expect(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE user_id = ?', attacker.viewer.id)).toBe(0);
  });

  it("refuses a linking completion with another user's session", async () => {
    const attacker = await signInAs(gateway!.url, emailOf(0));
    const other = await signInAs(gateway!.url, emailOf(2));
    const { code, state } = await linkStartedBy(attacker.sessionToken, emailOf(3));
    const completed = await completeSignIn(gateway!.url, { channel: 'BETA', code, state }, other.sessionToken);
    expect(reasonOf(completed)).toBe('INVALID_STATE');
    expect(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE user_id IN (?, ?)', attacker.viewer.id, other.viewer.id)).toBe(0);
  });

  it('completes the link for the starter after the callback handed it over', async () => {
    const starter = await signInAs(gateway!.url, emailOf(2));
    const { callback, code, state } = await linkStartedBy(starter.sessionToken, emailOf(2), `${APP_ORIGIN}/linked`);
    expect((await fetch(`${gateway!.url}${callback.pathname}${callback.search}`, { redirect: 'manual' })).status).toBe(303);
    const completed = await completeSignIn(gateway!.url, { channel: 'BETA', code, state }, starter.sessionToken);
    expect(completed.data?.completeMicrosoftSignIn.viewer.id).toBe(starter.viewer.id);
    expect(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE user_id = ?', starter.viewer.id)).toBe(1);
  });
});
