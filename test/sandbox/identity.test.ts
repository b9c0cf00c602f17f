// The identity platform as the real msal-node sees it, and its error responses on the wire.
import { createPublicKey, verify } from 'node:crypto';
import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { httpsRequest } from '../../src/microsoft/trusted-https';
import { ADELE, ALEX, authorize, msalClient, rawRequest, REDIRECT_URI, signIn, startTestSandbox, TEST_APP, type TestSandbox } from './helpers';

let env: TestSandbox;
let clock = Date.now();

beforeAll(async () => {
  env = await startTestSandbox({ now: () => clock });
});
afterAll(async () => {
  await env?.close();
});
beforeEach(() => {
  env.sandbox.control.reset();
  env.sandbox.control.setAccessTokenLifetime(3600);
  clock = Date.now();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const postToken = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  rawRequest(env, '/common/oauth2/v2.0/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form(fields) });
const decodeJwt = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

async function freshCode(email = ADELE, extra: Record<string, string> = {}) {
  const { location, verifier } = await authorize(env, msalClient(env), email, extra);
  return { code: location!.searchParams.get('code')!, verifier };
}

describe('discovery', () => {
  it.each(['common', 'organizations', 'consumers', '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b'])('serves openid-configuration for %p', async (tenant) => {
    const response = await rawRequest(env, `/${tenant}/v2.0/.well-known/openid-configuration`);
    const document = JSON.parse(response.body);
    expect(response.status).toBe(200);
    expect(document.token_endpoint).toBe(`${env.sandbox.authorityHost}/${tenant}/oauth2/v2.0/token`);
    expect(document.authorization_endpoint).toBe(`${env.sandbox.browserBaseUrl}/${tenant}/oauth2/v2.0/authorize`);
    expect(document.issuer).toBe(`${env.sandbox.authorityHost}/${tenant.includes('-') ? tenant : '{tenantid}'}/v2.0`);
    expect(JSON.parse(env.sandbox.authorityMetadata(tenant))).toEqual(document);
  });

  it('publishes an RS256 key that verifies the id token', async () => {
    const result = await signIn(env, msalClient(env), ADELE);
    const keys = JSON.parse((await rawRequest(env, '/common/discovery/v2.0/keys')).body).keys;
    const [header, payload, signature] = result.idToken.split('.');
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
    const jwk = keys.find((key: { kid: string }) => key.kid === kid);
    const isValid = verify('sha256', Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'));
    expect(isValid).toBe(true);
  });
});

describe('sign-in with the real msal-node', () => {
  it('accepts an http authorization_endpoint in authorityMetadata and signs in with PKCE', async () => {
    const client = msalClient(env);
    const result = await signIn(env, client, ADELE);
    expect(result.account?.username).toBe(ADELE);
    expect(result.account?.homeAccountId).toBe(`${env.sandbox.users[0].id}.${env.sandbox.users[0].tenantId}`);
    expect(result.scopes).toEqual(expect.arrayContaining(['User.Read', 'Calendars.ReadWrite']));
    const claims = result.idTokenClaims as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: TEST_APP.clientId, iss: `${env.sandbox.authorityHost}/${env.sandbox.users[0].tenantId}/v2.0`, ver: '2.0', oid: env.sandbox.users[0].id, preferred_username: ADELE, name: 'Adele Vance' });
    const access = decodeJwt(result.accessToken);
    expect(access).toMatchObject({ aud: 'https://graph.microsoft.com', appid: TEST_APP.clientId, oid: env.sandbox.users[0].id, scp: 'User.Read Calendars.ReadWrite' });
    expect(env.sandbox.control.counters().tokenGrants.authorization_code).toBe(1);
  });

  it('works with a tenant id as authority', async () => {
    const result = await signIn(env, msalClient(env, env.sandbox.users[0].tenantId), ALEX);
    expect(result.account?.username).toBe(ALEX);
  });

  it('refreshes with the refresh token on forceRefresh and counts it per user', async () => {
    const client = msalClient(env);
    const first = await signIn(env, client, ADELE);
    const second = await client.acquireTokenSilent({ account: first.account!, scopes: ['Calendars.ReadWrite'], forceRefresh: true });
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(env.sandbox.control.counters()).toMatchObject({ tokenGrants: { refresh_token: 1 }, refreshGrantsByUser: { [ADELE]: 1 } });
  });

  it('refreshes once the access token is near expiry, and not before', async () => {
    const client = msalClient(env);
    env.sandbox.control.setAccessTokenLifetime(600);
    const first = await signIn(env, client, ADELE);
    expect(first.expiresOn!.getTime() - Date.now()).toBeLessThanOrEqual(601_000);
    const cached = await client.acquireTokenSilent({ account: first.account!, scopes: ['User.Read'] });
    expect(cached.accessToken).toBe(first.accessToken);
    expect(env.sandbox.control.counters().tokenGrants.refresh_token).toBe(0);
    jest.useFakeTimers({ now: Date.now() + 400_000, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask'] });
    try {
      clock = Date.now();
      const refreshed = await client.acquireTokenSilent({ account: first.account!, scopes: ['User.Read'] });
      expect(refreshed.accessToken).not.toBe(first.accessToken);
    } finally {
      jest.useRealTimers();
    }
    expect(env.sandbox.control.counters().refreshGrantsByUser[ADELE]).toBe(1);
  });

  it('answers invalid_grant AADSTS50173 after the refresh tokens are revoked', async () => {
    const client = msalClient(env);
    const first = await signIn(env, client, ALEX);
    env.sandbox.control.revokeRefreshTokens(ALEX);
    const failure = await client.acquireTokenSilent({ account: first.account!, scopes: ['User.Read'], forceRefresh: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServerError);
    expect(failure).toMatchObject({ errorCode: 'invalid_grant' });
    expect((failure as ServerError).errorMessage).toContain('AADSTS50173: The provided grant has expired due to it being revoked');
    expect(failure).not.toBeInstanceOf(InteractionRequiredAuthError);
  });
});

describe('/authorize', () => {
  const authorizeUrl = (params: Record<string, string>) => `${env.sandbox.browserBaseUrl}/common/oauth2/v2.0/authorize?${form(params)}`;
  const base = { client_id: TEST_APP.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid User.Read', state: 's1' };

  it('shows an account picker listing every user, with a Decline button', async () => {
    const response = await httpsRequest(env.agent, authorizeUrl(base));
    expect(response.status).toBe(200);
    for (const user of env.sandbox.users) expect(response.body).toContain(user.email);
    expect(response.body).toContain('name="sandbox_decline"');
  });

  it('signs in the picked account when the picker form is posted', async () => {
    const response = await httpsRequest(env.agent, `${env.sandbox.browserBaseUrl}/common/oauth2/v2.0/authorize`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ ...base, login_hint: ALEX, code_challenge: 'abc', code_challenge_method: 'plain' }),
    });
    const location = new URL(response.headers.location);
    expect(response.status).toBe(302);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('s1');
    expect(location.searchParams.get('session_state')).toMatch(/^[0-9a-f-]{36}$/);
    expect(location.searchParams.get('client_info')).toBeNull();
  });

  it('redirects access_denied with AADSTS65004 when the user declines', async () => {
    const response = await httpsRequest(env.agent, `${env.sandbox.browserBaseUrl}/common/oauth2/v2.0/authorize`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ ...base, sandbox_decline: '1' }),
    });
    const location = new URL(response.headers.location);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS65004: /);
    expect(location.searchParams.get('state')).toBe('s1');
  });

  it('shows an error page, not a redirect, for an unregistered redirect URI or client', async () => {
    const badRedirect = await httpsRequest(env.agent, authorizeUrl({ ...base, redirect_uri: 'http://evil.example/cb' }));
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.headers.location).toBeUndefined();
    expect(badRedirect.body).toContain('AADSTS50011');
    const badClient = await httpsRequest(env.agent, authorizeUrl({ ...base, client_id: 'nobody' }));
    expect(badClient.body).toContain('AADSTS700016');
  });

  it('redirects unsupported_response_type when response_type lacks code', async () => {
    const response = await httpsRequest(env.agent, authorizeUrl({ ...base, response_type: 'token' }));
    expect(new URL(response.headers.location).searchParams.get('error')).toBe('unsupported_response_type');
  });

  it('is also served on the HTTPS host', async () => {
    const response = await rawRequest(env, `/organizations/oauth2/v2.0/authorize?${form({ ...base, login_hint: ADELE })}`);
    expect(response.status).toBe(302);
    expect(new URL(response.headers.location).searchParams.get('code')).toMatch(/^1\.AXEA/);
  });
});

describe('/token errors', () => {
  const redeem = (code: string, verifier: string, extra: Record<string, string> = {}) => postToken({
    grant_type: 'authorization_code', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret, code, redirect_uri: REDIRECT_URI, code_verifier: verifier, ...extra,
  });
  const errorOf = (response: { status: number; body: string }) => ({ status: response.status, ...JSON.parse(response.body) });

  it('returns tokens with no-store headers, accepting HTTP Basic client authentication', async () => {
    const { code, verifier } = await freshCode();
    const basic = Buffer.from(`${TEST_APP.clientId}:${TEST_APP.clientSecret}`).toString('base64');
    const response = await postToken({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, unknown_field: 'x' }, { authorization: `Basic ${basic}` });
    const body = JSON.parse(response.body);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toContain('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, scope: 'User.Read Calendars.ReadWrite openid profile' });
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(JSON.parse(Buffer.from(body.client_info, 'base64url').toString())).toEqual({ uid: env.sandbox.users[0].id, utid: env.sandbox.users[0].tenantId });
  });

  it('refuses a code redeemed twice with AADSTS54005', async () => {
    const { code, verifier } = await freshCode();
    expect((await redeem(code, verifier)).status).toBe(200);
    const second = errorOf(await redeem(code, verifier));
    expect(second).toMatchObject({ status: 400, error: 'invalid_grant', error_codes: [54005] });
    expect(second.error_description).toMatch(/^AADSTS54005: .*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/s);
    expect(second.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
    expect(second).toHaveProperty('trace_id');
    expect(second).toHaveProperty('correlation_id');
    expect(second.error_uri).toBe('https://login.microsoftonline.com/error?code=54005');
  });

  it('refuses a code older than ten minutes with AADSTS70008', async () => {
    const { code, verifier } = await freshCode();
    clock += 10 * 60_000 + 1;
    expect(errorOf(await redeem(code, verifier))).toMatchObject({ status: 400, error: 'invalid_grant', error_codes: [70008] });
  });

  it('refuses a wrong or missing PKCE verifier with AADSTS501481', async () => {
    const { code, verifier } = await freshCode();
    expect(errorOf(await redeem(code, `${verifier}x`))).toMatchObject({ status: 400, error: 'invalid_grant', error_codes: [501481] });
    const other = await freshCode();
    expect(errorOf(await redeem(other.code, '', { code_verifier: '' }))).toMatchObject({ error_codes: [501481] });
  });

  it('refuses a redirect_uri different from the one at /authorize with AADSTS50011', async () => {
    const { code, verifier } = await freshCode();
    expect(errorOf(await redeem(code, verifier, { redirect_uri: 'http://localhost:4000/other' }))).toMatchObject({ status: 400, error: 'invalid_grant', error_codes: [50011] });
  });

  it('answers 401 invalid_client AADSTS7000215 for a wrong secret and AADSTS7000218 for none', async () => {
    const { code, verifier } = await freshCode();
    expect(errorOf(await redeem(code, verifier, { client_secret: 'wrong' }))).toMatchObject({ status: 401, error: 'invalid_client', error_codes: [7000215] });
    expect(errorOf(await redeem(code, verifier, { client_secret: '' }))).toMatchObject({ status: 400, error: 'invalid_request', error_codes: [7000218] });
  });

  it('refuses unknown clients, unknown codes, missing parameters and unknown grant types', async () => {
    expect(errorOf(await postToken({ grant_type: 'authorization_code', client_id: 'nobody', client_secret: 'x', code: 'c', redirect_uri: REDIRECT_URI }))).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    expect(errorOf(await redeem('1.AXEAnot-a-code', 'v'))).toMatchObject({ error: 'invalid_grant', error_codes: [70000] });
    expect(errorOf(await redeem('', 'v'))).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
    expect(errorOf(await postToken({ grant_type: 'password', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret }))).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('keeps old refresh tokens valid after use, and refuses unknown or long-idle ones', async () => {
    const { code, verifier } = await freshCode();
    const refreshToken = JSON.parse((await redeem(code, verifier)).body).refresh_token;
    const refresh = (token: string) => postToken({ grant_type: 'refresh_token', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret, refresh_token: token, scope: 'User.Read offline_access' });
    const renewed = JSON.parse((await refresh(refreshToken)).body);
    expect(renewed.refresh_token).not.toBe(refreshToken);
    expect(renewed.scope).toBe('User.Read');
    expect((await refresh(refreshToken)).status).toBe(200);
    expect(errorOf(await refresh('1.AXEAunknown'))).toMatchObject({ status: 400, error: 'invalid_grant', error_codes: [9002313] });
    clock += 91 * 86_400_000;
    expect(errorOf(await refresh(refreshToken))).toMatchObject({ status: 400, error: 'invalid_grant', error_codes: [700082], suberror: 'bad_token' });
  });

  it('omits the refresh token without offline_access and the id token without openid', async () => {
    const raw = await httpsRequest(env.agent, `${env.sandbox.browserBaseUrl}/common/oauth2/v2.0/authorize?${form({ client_id: TEST_APP.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'https://graph.microsoft.com/User.Read', login_hint: ADELE })}`);
    const code = new URL(raw.headers.location).searchParams.get('code')!;
    const body = JSON.parse((await redeem(code, 'unused: no code_challenge was sent')).body);
    expect(body.scope).toBe('User.Read');
    expect(body.access_token).toEqual(expect.any(String));
    expect(body.refresh_token).toBeUndefined();
    expect(body.id_token).toBeUndefined();
  });
});
