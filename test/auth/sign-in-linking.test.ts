// Linking a Microsoft account to a signed-in user: only that user's session can complete it, never the browser callback.
import type { Sandbox } from '../../src/sandbox';
import { describeEachDatabase, queryValue } from '../support/databases';
import { errorCodes, graphql } from '../support/http';
import { authorize, completeSignIn, openCallback, openStart, signInAs, startSignIn } from '../support/microsoft-sign-in';
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
  const { callback, cookie } = await authorize(started.authorizationUrl, { login_hint: victimEmail });
  const { completionSecret } = started;
  return { started, callback, cookie, code: callback.searchParams.get('code')!, state: callback.searchParams.get('state')!, completionSecret };
}

describeEachDatabase('linking a Microsoft account to a signed-in user', (target) => {
  beforeAll(async () => {
    ({ sandbox, gateway } = await startSandboxedGateway(target.freshUrl(), { ALLOWED_RETURN_URLS: APP_ORIGIN }));
  });

  afterAll(() => stopSandboxedGateway({ sandbox, gateway }, target));

  it('sends a linking sign-in through the start route to Microsoft authorize, like any other', async () => {
    const attacker = await signInAs(gateway!.url, emailOf(0));
    const started = await startSignIn(gateway!.url, { channel: 'BETA' }, attacker.sessionToken);
    expect(new URL(started.authorizationUrl).pathname).toBe('/auth/microsoft/start');
    const { microsoftUrl } = await openStart(started.authorizationUrl);
    expect([sandbox!.authorityHost, sandbox!.browserBaseUrl]).toContain(microsoftUrl.origin);
    expect(microsoftUrl.pathname).toMatch(/\/oauth2\/v2\.0\/authorize$/);
  });

  it('the browser callback hands a linking state to returnTo in the fragment without completing it', async () => {
    const attacker = await signInAs(gateway!.url, emailOf(0));
    const { callback, cookie, code, state } = await linkStartedBy(attacker.sessionToken, emailOf(1), `${APP_ORIGIN}/linked`);
    const response = await openCallback(gateway!.url, callback, cookie, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${APP_ORIGIN}/linked`);
    expect(location.search).toBe('');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('code')).toBe(code);
    expect(fragment.get('state')).toBe(state);
    expect(fragment.get('channel')).toBe('BETA');
    expect(fragment.get('session_token')).toBeNull();
    // Nothing was stored: the victim's identity joined no one and the attacker has no BETA connection.
    expect(await count('SELECT count(*) FROM users WHERE microsoft_user_id = ?', sandbox!.users[1].id)).toBe(0);
    expect(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE user_id = ?', attacker.viewer.id)).toBe(0);
  });

  it('the browser callback without returnTo asks to finish in the app and shows no session', async () => {
    const attacker = await signInAs(gateway!.url, emailOf(0));
    const { callback, cookie } = await linkStartedBy(attacker.sessionToken, emailOf(1));
    const response = await openCallback(gateway!.url, callback, cookie);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('Finish in the app');
    expect(page).not.toContain('session-token');
    expect(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE user_id = ?', attacker.viewer.id)).toBe(0);
  });

  it('the page shown without returnTo tells the starter exactly what to send, and that finishes the link', async () => {
    const starter = await signInAs(gateway!.url, emailOf(3));
    const { callback, cookie, completionSecret } = await linkStartedBy(starter.sessionToken, emailOf(3));
    const page = await (await openCallback(gateway!.url, callback, cookie)).text();
    const shown = /<pre id="complete-variables"><code>([^<]*)<\/code>/.exec(page)![1].replace(/&quot;/g, '"');
    const variables = { ...JSON.parse(shown), completionSecret };
    expect(variables.channel).toBe('BETA');
    const mutation = /<pre id="complete-mutation"><code>([^<]*)<\/code>/.exec(page)![1];
    const completed = await graphql<{ completeMicrosoftSignIn: { connection: { channel: string } } }>(gateway!.url, mutation, { variables, token: starter.sessionToken });
    expect(completed.errors).toBeUndefined();
    expect(completed.data!.completeMicrosoftSignIn.connection.channel).toBe('BETA');
  });

  it('refuses a linking completion without the starter session and stores nothing', async () => {
    const attacker = await signInAs(gateway!.url, emailOf(0));
    const { code, state, completionSecret } = await linkStartedBy(attacker.sessionToken, emailOf(1));
    const victim = await completeSignIn(gateway!.url, { channel: 'BETA', code, state, completionSecret });
    expect(errorCodes(victim)).toEqual(['SIGN_IN_FAILED']);
    expect(reasonOf(victim)).toBe('INVALID_STATE');
    expect(victim.errors?.[0]?.message).toMatch(/only that user can complete it/);
    expect(await count('SELECT count(*) FROM users WHERE microsoft_user_id = ?', sandbox!.users[1].id)).toBe(0);
    expect(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE user_id = ?', attacker.viewer.id)).toBe(0);
  });

  it("refuses a linking completion with another user's session", async () => {
    const attacker = await signInAs(gateway!.url, emailOf(0));
    const other = await signInAs(gateway!.url, emailOf(2));
    const { code, state, completionSecret } = await linkStartedBy(attacker.sessionToken, emailOf(3));
    const completed = await completeSignIn(gateway!.url, { channel: 'BETA', code, state, completionSecret }, other.sessionToken);
    expect(reasonOf(completed)).toBe('INVALID_STATE');
    expect(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE user_id IN (?, ?)', attacker.viewer.id, other.viewer.id)).toBe(0);
  });

  it('completes the link for the starter after the callback handed it over', async () => {
    const starter = await signInAs(gateway!.url, emailOf(2));
    const { callback, cookie, code, state, completionSecret } = await linkStartedBy(starter.sessionToken, emailOf(2), `${APP_ORIGIN}/linked`);
    expect((await openCallback(gateway!.url, callback, cookie, { redirect: 'manual' })).status).toBe(303);
    const completed = await completeSignIn(gateway!.url, { channel: 'BETA', code, state, completionSecret }, starter.sessionToken);
    expect(completed.data?.completeMicrosoftSignIn.viewer.id).toBe(starter.viewer.id);
    expect(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE user_id = ?', starter.viewer.id)).toBe(1);
  });

  it('the browser callback hands nothing to a browser without the binding cookie, and leaves the link to its starter', async () => {
    const starter = await signInAs(gateway!.url, emailOf(2));
    const { callback, code, state, completionSecret } = await linkStartedBy(starter.sessionToken, emailOf(2), `${APP_ORIGIN}/linked`);
    const elsewhere = await openCallback(gateway!.url, callback, undefined, { redirect: 'manual' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get('location')).toBeNull();
    const page = await elsewhere.text();
    expect(page).toContain('BINDING_MISMATCH');
    expect(page).not.toContain(code);
    const completed = await completeSignIn(gateway!.url, { channel: 'BETA', code, state, completionSecret }, starter.sessionToken);
    expect(completed.data?.completeMicrosoftSignIn.viewer.id).toBe(starter.viewer.id);
  });
});
