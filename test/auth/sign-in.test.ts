// Microsoft sign-in through the gateway's GraphQL API and browser callback, against the sandbox over HTTP.
import type { Sandbox } from '../../src/sandbox';
import { errorCodes, graphql } from '../support/http';
import { authorize, completeSignIn, followAuthorization, openCallback, openStart, signInAs, startSignIn } from '../support/microsoft-sign-in';
import { describeEachDatabase, queryRows, queryValue, runStatement } from '../support/databases';
import { startSandboxedGateway, startTestGateway, stopSandboxedGateway, type StartedGateway } from '../support/start-gateway';

const APP_ORIGIN = 'https://app.example';
let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

const emailOf = (index: number) => sandbox!.users[index].email;
const reasonOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.reason;

async function authorizedCallback(email: string, channel?: string, returnTo?: string) {
  const started = await startSignIn(gateway!.url, { channel, loginHint: email, returnTo });
  const { callback, cookie } = await authorize(started.authorizationUrl);
  const { completionSecret } = started;
  return { started, callback, cookie, code: callback.searchParams.get('code')!, state: callback.searchParams.get('state')!, completionSecret };
}

describeEachDatabase('Microsoft sign-in', (target) => {
  beforeAll(async () => {
    ({ sandbox, gateway } = await startSandboxedGateway(target.freshUrl(), { ALLOWED_RETURN_URLS: APP_ORIGIN }));
  });

  afterAll(() => stopSandboxedGateway({ sandbox, gateway }, target));

  describe('starting and completing', () => {
    it('starts with PKCE S256, a 256-bit state and a nonce, valid for 10 minutes', async () => {
      const started = await startSignIn(gateway!.url, { loginHint: emailOf(0) });
      expect(started.completionSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const url = (await openStart(started.authorizationUrl)).microsoftUrl;
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(url.searchParams.get('state')).toBe(started.state);
      expect(started.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(url.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(url.searchParams.get('redirect_uri')).toBe(gateway!.config.channels.main.redirectUri);
      expect(url.searchParams.get('login_hint')).toBe(emailOf(0));
      expect(started.channel).toBe('MAIN');
      const lifetimeMs = new Date(started.expiresAt).getTime() - Date.now();
      expect(lifetimeMs).toBeGreaterThan(9 * 60_000);
      expect(lifetimeMs).toBeLessThanOrEqual(10 * 60_000);
      const stored = await queryRows(gateway!.database, 'SELECT * FROM oauth_states');
      expect(stored).not.toHaveLength(0);
      expect(JSON.stringify(stored)).not.toContain(started.state);
      expect(JSON.stringify(stored)).not.toContain(started.completionSecret);
      expect(JSON.stringify(stored)).not.toContain(url.searchParams.get('code_challenge'));
    });

    it.each(['MAIN', 'BETA'])('signs a user in on the %s channel and the session answers viewer', async (channel) => {
      const signedIn = await signInAs(gateway!.url, emailOf(0), { channel });
      expect(signedIn.connection).toMatchObject({
        channel,
        microsoftUserId: sandbox!.users[0].id,
        tenantId: sandbox!.users[0].tenantId,
        email: emailOf(0),
        active: true,
        needsReconnect: false,
      });
      expect(signedIn.connection.scopes).toEqual(expect.arrayContaining(['User.Read', 'Calendars.ReadWrite']));
      const viewer = await graphql<{ viewer: { id: string; email: string } }>(gateway!.url, '{ viewer { id email } }', { token: signedIn.sessionToken });
      expect(viewer.data?.viewer).toEqual({ id: signedIn.viewer.id, email: emailOf(0) });
      const table = channel === 'MAIN' ? 'microsoft_oauth_tokens' : 'beta_microsoft_oauth_tokens';
      expect(await queryValue(gateway!.database, `SELECT count(*) AS n FROM ${table} WHERE user_id = ?`, [signedIn.viewer.id])).toBe(1);
    });

    it('finds the same gateway user again by tenant and object id', async () => {
      const first = await signInAs(gateway!.url, emailOf(1));
      const second = await signInAs(gateway!.url, emailOf(1));
      expect(second.viewer.id).toBe(first.viewer.id);
      expect(second.sessionToken).not.toBe(first.sessionToken);
    });

    it('links a BETA connection to the user who starts the sign-in with a session', async () => {
      const main = await signInAs(gateway!.url, emailOf(2), { channel: 'MAIN' });
      const beta = await signInAs(gateway!.url, emailOf(2), { channel: 'BETA', token: main.sessionToken });
      expect(beta.viewer.id).toBe(main.viewer.id);
      const viewer = await graphql<{ viewer: { connections: Array<{ channel: string }> } }>(
        gateway!.url,
        '{ viewer { connections { channel } } }',
        { token: main.sessionToken },
      );
      expect(viewer.data?.viewer.connections.map((connection) => connection.channel)).toEqual(['MAIN', 'BETA']);
    });

    it('refuses a state that was already used', async () => {
      const { code, state, completionSecret } = await authorizedCallback(emailOf(0));
      expect((await completeSignIn(gateway!.url, { code, state, completionSecret })).data?.completeMicrosoftSignIn.sessionToken).toBeDefined();
      const again = await completeSignIn(gateway!.url, { code, state, completionSecret });
      expect(errorCodes(again)).toEqual(['SIGN_IN_FAILED']);
      expect(reasonOf(again)).toBe('INVALID_STATE');
    });

    it('lets only one of two simultaneous completions use a state', async () => {
      const { code, state, completionSecret } = await authorizedCallback(emailOf(3));
      const results = await Promise.all([completeSignIn(gateway!.url, { code, state, completionSecret }), completeSignIn(gateway!.url, { code, state, completionSecret })]);
      expect(results.filter((result) => result.data?.completeMicrosoftSignIn).length).toBe(1);
    });

    it('refuses an unknown state', async () => {
      const response = await completeSignIn(gateway!.url, { code: 'whatever', state: 'A'.repeat(43) });
      expect(errorCodes(response)).toEqual(['SIGN_IN_FAILED']);
      expect(reasonOf(response)).toBe('INVALID_STATE');
    });

    it('refuses an expired state', async () => {
      const { code, state, completionSecret } = await authorizedCallback(emailOf(0));
      await runStatement(gateway!.database, 'UPDATE oauth_states SET expires_at = ? WHERE consumed_at IS NULL', [Date.now() - 1000]);
      const response = await completeSignIn(gateway!.url, { code, state, completionSecret });
      expect(errorCodes(response)).toEqual(['SIGN_IN_FAILED']);
      expect(reasonOf(response)).toBe('EXPIRED_STATE');
    });

    it('refuses to complete on another channel than the one the sign-in started on, and leaves it to complete there', async () => {
      const { code, state, completionSecret } = await authorizedCallback(emailOf(0), 'BETA');
      const response = await completeSignIn(gateway!.url, { channel: 'MAIN', code, state, completionSecret });
      expect(errorCodes(response)).toEqual(['SIGN_IN_FAILED']);
      expect(reasonOf(response)).toBe('INVALID_STATE');
      expect(response.errors?.[0].message).toContain('BETA');

      const onItsChannel = await completeSignIn(gateway!.url, { channel: 'BETA', code, state, completionSecret });
      expect(onItsChannel.errors).toBeUndefined();
      expect(onItsChannel.data?.completeMicrosoftSignIn.viewer.email).toBe(emailOf(0));
    });

    it('maps a PKCE mismatch (a code from another sign-in) to CODE_REJECTED', async () => {
      const first = await authorizedCallback(emailOf(1));
      const second = await authorizedCallback(emailOf(1));
      const response = await completeSignIn(gateway!.url, { code: first.code, state: second.state, completionSecret: second.completionSecret });
      expect(errorCodes(response)).toEqual(['SIGN_IN_FAILED']);
      expect(reasonOf(response)).toBe('CODE_REJECTED');
      expect(response.errors?.[0].message).not.toMatch(/AADSTS|Code_Verifier/);
    });

    it('maps a redirect URI mismatch to CODE_REJECTED', async () => {
      const settings = gateway!.config.channels.main;
      const otherRedirect = 'http://127.0.0.1:9/elsewhere';
      sandbox!.registerApp({ clientId: settings.clientId!, clientSecret: settings.clientSecret!, redirectUris: [settings.redirectUri, otherRedirect] });
      const started = await startSignIn(gateway!.url, { loginHint: emailOf(2) });
      const callback = await followAuthorization(started.authorizationUrl, { redirect_uri: otherRedirect });
      const response = await completeSignIn(gateway!.url, { code: callback.searchParams.get('code')!, state: started.state, completionSecret: started.completionSecret });
      expect(reasonOf(response)).toBe('CODE_REJECTED');
      expect(response.errors?.[0].message).not.toContain('elsewhere');
    });

    it('refuses a returnTo outside ALLOWED_RETURN_URLS', async () => {
      for (const returnTo of ['https://evil.example/cb', 'javascript:alert(1)', `https://user:pw@app.example/`, 'not a url']) {
        const response = await graphql(gateway!.url, 'mutation($r: String) { startMicrosoftSignIn(returnTo: $r) { state } }', { variables: { r: returnTo } });
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
        expect(response.errors?.[0].extensions?.field).toBe('returnTo');
      }
    });

    it('reports an over-long loginHint and a returnTo outside ALLOWED_RETURN_URLS together', async () => {
      const response = await graphql(gateway!.url, 'mutation($r: String, $h: String) { startMicrosoftSignIn(returnTo: $r, loginHint: $h) { state } }', {
        variables: { r: 'https://evil.example/cb', h: `${'x'.repeat(250)}@example.com` },
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'loginHint',
        fields: [
          { field: 'loginHint', message: 'loginHint must be at most 256 characters.' },
          { field: 'returnTo', message: 'returnTo must be an http(s) URL on one of the origins listed in ALLOWED_RETURN_URLS.' },
        ],
      });
    });

    it('answers CHANNEL_DISABLED for a channel not in CHANNELS', async () => {
      // No sandbox: the channel is refused before anything reaches Microsoft (and a second gateway would re-register the sandbox apps).
      const mainOnly = await startTestGateway({ RATE_LIMITS: 'off', CHANNELS: 'main' });
      try {
        const response = await graphql(mainOnly.url, 'mutation { startMicrosoftSignIn(channel: BETA) { state } }');
        expect(errorCodes(response)).toEqual(['CHANNEL_DISABLED']);
        expect(response.errors?.[0].extensions?.channel).toBe('BETA');
      } finally {
        await mainOnly.close();
      }
    });
  });

  describe('the browser callback', () => {
    it('redirects to returnTo with the session token in the fragment', async () => {
      const { callback, cookie } = await authorizedCallback(emailOf(0), undefined, `${APP_ORIGIN}/signed-in?x=1`);
      const response = await openCallback(gateway!.url, callback, cookie, { redirect: 'manual' });
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location')!);
      expect(location.origin + location.pathname + location.search).toBe(`${APP_ORIGIN}/signed-in?x=1`);
      const fragment = new URLSearchParams(location.hash.slice(1));
      expect(fragment.get('channel')).toBe('MAIN');
      const viewer = await graphql(gateway!.url, '{ viewer { email } }', { token: fragment.get('session_token')! });
      expect(viewer.data).toEqual({ viewer: { email: emailOf(0) } });
    });

    it('shows a short page with the session token when there is no returnTo', async () => {
      const { callback, cookie } = await authorizedCallback(emailOf(1), 'BETA');
      const response = await openCallback(gateway!.url, callback, cookie);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const page = await response.text();
      const token = /id="session-token">([A-Za-z0-9_-]{43})</.exec(page)?.[1];
      const viewer = await graphql(gateway!.url, '{ viewer { email connections { channel } } }', { token });
      expect(viewer.data).toEqual({ viewer: { email: emailOf(1), connections: expect.arrayContaining([{ channel: 'BETA' }]) } });
    });

    it('reads error=access_denied as CONSENT_DECLINED and spends the state of the browser it is bound to', async () => {
      const started = await startSignIn(gateway!.url, {});
      const { callback: declined, cookie } = await authorize(started.authorizationUrl, { sandbox_decline: '1' });
      expect(declined.searchParams.get('error')).toBe('access_denied');
      const response = await openCallback(gateway!.url, declined, cookie);
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain('CONSENT_DECLINED');
      expect(page).not.toContain('AADSTS');
      const later = await completeSignIn(gateway!.url, { code: 'x', state: started.state, completionSecret: started.completionSecret });
      expect(reasonOf(later)).toBe('INVALID_STATE');
    });

    it('leaves the state alone when an error redirect comes from another browser', async () => {
      const started = await startSignIn(gateway!.url, {});
      const { callback } = await authorize(started.authorizationUrl, { login_hint: emailOf(2) });
      const forged = new URL(callback);
      forged.search = new URLSearchParams({ error: 'access_denied', state: started.state }).toString();
      expect((await openCallback(gateway!.url, forged)).status).toBe(400);
      const completed = await completeSignIn(gateway!.url, { code: callback.searchParams.get('code')!, state: started.state, completionSecret: started.completionSecret });
      expect(completed.errors).toBeUndefined();
    });

    it('shows the reason for a reused state', async () => {
      const { callback, cookie } = await authorizedCallback(emailOf(2));
      expect((await openCallback(gateway!.url, callback, cookie)).status).toBe(200);
      const again = await openCallback(gateway!.url, callback, cookie);
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('INVALID_STATE');
    });
  });

  describe('signOut and disconnectMicrosoft', () => {
    it('signOut revokes the session', async () => {
      const signedIn = await signInAs(gateway!.url, emailOf(3));
      const out = await graphql(gateway!.url, 'mutation { signOut }', { token: signedIn.sessionToken });
      expect(out.data).toEqual({ signOut: true });
      const viewer = await graphql(gateway!.url, '{ viewer { id } }', { token: signedIn.sessionToken });
      expect(viewer.data).toEqual({ viewer: null });
      const again = await graphql(gateway!.url, 'mutation { signOut }', { token: signedIn.sessionToken });
      expect(errorCodes(again)).toEqual(['UNAUTHENTICATED']);
    });

    it('disconnectMicrosoft deletes the stored tokens of that channel only and records the event', async () => {
      const main = await signInAs(gateway!.url, emailOf(3), { channel: 'MAIN' });
      await signInAs(gateway!.url, emailOf(3), { channel: 'BETA', token: main.sessionToken });
      const response = await graphql(gateway!.url, 'mutation { disconnectMicrosoft(channel: BETA) }', { token: main.sessionToken });
      expect(response.data).toEqual({ disconnectMicrosoft: true });
      const viewer = await graphql<{ viewer: { connections: Array<{ channel: string }> } }>(
        gateway!.url,
        '{ viewer { connections { channel } } }',
        { token: main.sessionToken },
      );
      expect(viewer.data?.viewer.connections).toEqual([{ channel: 'MAIN' }]);
      const userId = main.viewer.id;
      expect(await queryValue(gateway!.database, 'SELECT count(*) AS n FROM beta_microsoft_oauth_tokens WHERE user_id = ?', [userId])).toBe(0);
      expect(
        await queryValue(gateway!.database, "SELECT count(*) AS n FROM token_events WHERE user_id = ? AND kind = 'disconnected' AND channel = 'beta'", [userId]),
      ).toBe(1);
      await expect(gateway!.services.tokenService.getAccessToken(userId, 'beta' as never)).rejects.toMatchObject({ extensions: { code: 'MICROSOFT_NOT_CONNECTED' } });
      const twice = await graphql(gateway!.url, 'mutation { disconnectMicrosoft(channel: BETA) }', { token: main.sessionToken });
      expect(twice.data).toEqual({ disconnectMicrosoft: false });
    });

    it('needs a session for signOut and disconnectMicrosoft', async () => {
      expect(errorCodes(await graphql(gateway!.url, 'mutation { signOut }'))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await graphql(gateway!.url, 'mutation { disconnectMicrosoft }'))).toEqual(['UNAUTHENTICATED']);
    });

    it('keeps two users apart: each session sees only its own user and tokens', async () => {
      const adele = await signInAs(gateway!.url, emailOf(0));
      const alex = await signInAs(gateway!.url, emailOf(1));
      const asAdele = await graphql<{ viewer: { id: string; connections: Array<{ microsoftUserId: string }> } }>(
        gateway!.url,
        '{ viewer { id connections { microsoftUserId } } }',
        { token: adele.sessionToken },
      );
      expect(asAdele.data?.viewer.id).toBe(adele.viewer.id);
      const connectedAccounts = asAdele.data?.viewer.connections.map((connection) => connection.microsoftUserId);
      expect(connectedAccounts?.length).toBeGreaterThan(0);
      expect(new Set(connectedAccounts)).toEqual(new Set([sandbox!.users[0].id]));
      await graphql(gateway!.url, 'mutation { disconnectMicrosoft }', { token: alex.sessionToken });
      await expect(gateway!.services.tokenService.getAccessToken(adele.viewer.id, 'main' as never)).resolves.toEqual(expect.any(String));
    });
  });
});
