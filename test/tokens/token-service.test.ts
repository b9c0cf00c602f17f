// The token service against the sandbox over HTTPS with the real msal-node: refresh, rotation, single flight, failures.
import { randomBytes } from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Channel } from '../../src/config/channels';
import { TokenCipher } from '../../src/crypto/token-cipher';
import type { Sandbox } from '../../src/sandbox';
import { TokenVault } from '../../src/tokens/token-vault';
import { signInAs } from '../support/microsoft-sign-in';
import { graphql } from '../support/http';
import { describeEachDatabase, queryRows, queryValue } from '../support/databases';
import { startSandboxedGateway, stopSandboxedGateway, type StartedGateway } from '../support/start-gateway';

let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

afterEach(() => {
  sandbox?.control.reset();
  sandbox?.control.setAccessTokenLifetime(3600);
});

const emailOf = (index: number) => sandbox!.users[index].email;
const refreshesOf = (email: string) => sandbox!.control.counters().refreshGrantsByUser[email] ?? 0;
const tokenService = () => gateway!.services.tokenService;

async function storedCache(userId: string, channel = Channel.MAIN): Promise<string> {
  const row = (await gateway!.services.tokens.findByUser(channel, userId))!;
  return gateway!.services.vault.open(channel, userId, row.tokenCacheEncrypted);
}

function refreshTokenIn(serializedCache: string): string {
  const cache = JSON.parse(serializedCache) as { RefreshToken: Record<string, { secret: string }> };
  return Object.values(cache.RefreshToken)[0].secret;
}

async function eventsOf(userId: string): Promise<string[]> {
  const rows = await queryRows<{ kind: string }>(gateway!.database, 'SELECT kind FROM token_events WHERE user_id = ? ORDER BY id', [userId]);
  return rows.map((row) => row.kind);
}

function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return (error as { extensions?: { code?: unknown } }).extensions?.code;
  }
}

describeEachDatabase('the token service', (target) => {
  beforeAll(async () => {
    ({ sandbox, gateway } = await startSandboxedGateway(target.freshUrl()));
  });

  afterAll(() => stopSandboxedGateway({ sandbox, gateway }, target));

  it('serves a valid token from memory without asking Microsoft', async () => {
    const signedIn = await signInAs(gateway!.url, emailOf(0));
    sandbox!.control.resetCounters();
    const first = await tokenService().getAccessToken(signedIn.viewer.id, Channel.MAIN);
    const second = await tokenService().getAccessToken(signedIn.viewer.id, Channel.MAIN);
    expect(second).toBe(first);
    expect(sandbox!.control.counters().tokenGrants.refresh_token).toBe(0);
  });

  it('refreshes silently within 5 minutes of expiry and writes the rotated cache back', async () => {
    sandbox!.control.setAccessTokenLifetime(120);
    const signedIn = await signInAs(gateway!.url, emailOf(1));
    const userId = signedIn.viewer.id;
    const before = await storedCache(userId);
    const beforeRow = (await gateway!.services.tokens.findByUser(Channel.MAIN, userId))!;
    sandbox!.control.resetCounters();

    const token = await tokenService().getAccessToken(userId, Channel.MAIN);

    expect(refreshesOf(emailOf(1))).toBe(1);
    expect(jwtPayload(token).oid).toBe(sandbox!.users[1].id);
    const after = await storedCache(userId);
    expect(refreshTokenIn(after)).not.toBe(refreshTokenIn(before));
    const afterRow = (await gateway!.services.tokens.findByUser(Channel.MAIN, userId))!;
    expect(afterRow.lastRefreshedAt!.getTime()).toBeGreaterThanOrEqual(beforeRow.lastRefreshedAt!.getTime());
    expect(afterRow.accessTokenExpiresAt).not.toBeNull();
    expect(await eventsOf(userId)).toEqual(['signed_in', 'refreshed']);
  });

  it('refreshes again when asked to after Microsoft expired the token early', async () => {
    const signedIn = await signInAs(gateway!.url, emailOf(2));
    const first = await tokenService().getAccessToken(signedIn.viewer.id, Channel.MAIN);
    sandbox!.control.expireAccessTokens(emailOf(2));
    sandbox!.control.resetCounters();
    const second = await tokenService().getAccessToken(signedIn.viewer.id, Channel.MAIN, { forceRefresh: true });
    expect(second).not.toBe(first);
    expect(refreshesOf(emailOf(2))).toBe(1);
  });

  it('makes exactly one refresh call for 50 simultaneous requests with an expiring token', async () => {
    sandbox!.control.setAccessTokenLifetime(120);
    const signedIn = await signInAs(gateway!.url, emailOf(3));
    sandbox!.control.resetCounters();
    sandbox!.control.setLatency(150, '/oauth2/v2.0/token');

    // msal-node 7 also coalesces silent requests inside one application; counting calls into it (the real
    // method runs) shows the gateway's own single flight, which also spans msal-node's cache load.
    const silentCalls = jest.spyOn(ConfidentialClientApplication.prototype, 'acquireTokenSilent');
    try {
      const tokens = await Promise.all(Array.from({ length: 50 }, () => tokenService().getAccessToken(signedIn.viewer.id, Channel.MAIN)));

      expect(new Set(tokens).size).toBe(1);
      expect(sandbox!.control.counters().tokenGrants.refresh_token).toBe(1);
      expect(silentCalls).toHaveBeenCalledTimes(1);
    } finally {
      silentCalls.mockRestore();
    }
  });

  it('does not serve a token from memory whose refresh was still running when another instance disconnected the user', async () => {
    const signedIn = await signInAs(gateway!.url, emailOf(2));
    const userId = signedIn.viewer.id;
    sandbox!.control.setLatency(300, '/oauth2/v2.0/token');
    const silentCalls = jest.spyOn(ConfidentialClientApplication.prototype, 'acquireTokenSilent');
    try {
      // Forced, so the refreshed token lives an hour: long enough that memory would serve it.
      const refreshing = tokenService().getAccessToken(userId, Channel.MAIN, { forceRefresh: true }).catch(() => undefined);
      while (silentCalls.mock.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

      // Another instance deletes the row and its invalidation arrives here, while this refresh waits on Microsoft.
      expect(await gateway!.services.tokens.delete(Channel.MAIN, userId)).toBe(true);
      tokenService().forgetLocally(Channel.MAIN, userId);
      expect(await refreshing).toEqual(expect.any(String));

      expect(await codeOf(tokenService().getAccessToken(userId, Channel.MAIN))).toBe('MICROSOFT_NOT_CONNECTED');
    } finally {
      silentCalls.mockRestore();
    }
  });

  it('refreshes each user on their own: one flight per user, not one for everybody', async () => {
    sandbox!.control.setAccessTokenLifetime(120);
    const adele = await signInAs(gateway!.url, emailOf(0));
    const alex = await signInAs(gateway!.url, emailOf(1));
    sandbox!.control.resetCounters();
    const [adeleToken, alexToken] = await Promise.all([
      tokenService().getAccessToken(adele.viewer.id, Channel.MAIN),
      tokenService().getAccessToken(alex.viewer.id, Channel.MAIN),
    ]);
    expect(jwtPayload(adeleToken).oid).toBe(sandbox!.users[0].id);
    expect(jwtPayload(alexToken).oid).toBe(sandbox!.users[1].id);
    expect(refreshesOf(emailOf(0))).toBe(1);
    expect(refreshesOf(emailOf(1))).toBe(1);
  });

  it('marks the connection for reconnect when Microsoft revoked the refresh token, until the next sign-in', async () => {
    sandbox!.control.setAccessTokenLifetime(120);
    const signedIn = await signInAs(gateway!.url, emailOf(2));
    const userId = signedIn.viewer.id;
    sandbox!.control.revokeRefreshTokens(emailOf(2));

    expect(await codeOf(tokenService().getAccessToken(userId, Channel.MAIN))).toBe('RECONNECT_REQUIRED');

    const row = (await gateway!.services.tokens.findByUser(Channel.MAIN, userId))!;
    expect(row).toMatchObject({ isActive: false, needsReconnect: true, lastErrorCode: 'invalid_grant', refreshFailureCount: 1 });
    expect((await eventsOf(userId)).slice(-2)).toEqual(['refresh_failed', 'reconnect_required']);
    const viewer = await graphql<{ viewer: { connections: Array<{ active: boolean; needsReconnect: boolean }> } }>(
      gateway!.url,
      '{ viewer { connections { active needsReconnect } } }',
      { token: signedIn.sessionToken },
    );
    expect(viewer.data?.viewer.connections).toEqual([{ active: false, needsReconnect: true }]);
    // No second trip to Microsoft for a connection already known to be dead.
    sandbox!.control.resetCounters();
    expect(await codeOf(tokenService().getAccessToken(userId, Channel.MAIN))).toBe('RECONNECT_REQUIRED');
    expect(sandbox!.control.counters().tokenGrants.refresh_token).toBe(0);

    sandbox!.control.setAccessTokenLifetime(3600);
    const again = await signInAs(gateway!.url, emailOf(2));
    expect(again.viewer.id).toBe(userId);
    expect(again.connection).toMatchObject({ active: true, needsReconnect: false });
    await expect(tokenService().getAccessToken(userId, Channel.MAIN)).resolves.toEqual(expect.any(String));
  });

  it('answers UPSTREAM_UNAVAILABLE during a token-endpoint outage without marking the connection, and recovers', async () => {
    sandbox!.control.setAccessTokenLifetime(120);
    const signedIn = await signInAs(gateway!.url, emailOf(3));
    const userId = signedIn.viewer.id;
    sandbox!.control.injectFault({ status: 503, path: '/oauth2/v2.0/token', count: 1 });

    expect(await codeOf(tokenService().getAccessToken(userId, Channel.MAIN))).toBe('UPSTREAM_UNAVAILABLE');
    const row = (await gateway!.services.tokens.findByUser(Channel.MAIN, userId))!;
    expect(row).toMatchObject({ isActive: true, needsReconnect: false, refreshFailureCount: 1 });
    expect((await eventsOf(userId)).slice(-1)).toEqual(['refresh_failed']);

    sandbox!.control.resetCounters();
    await expect(tokenService().getAccessToken(userId, Channel.MAIN)).resolves.toEqual(expect.any(String));
    expect(refreshesOf(emailOf(3))).toBe(1);
    expect(await gateway!.services.tokens.findByUser(Channel.MAIN, userId)).toMatchObject({ refreshFailureCount: 0, lastErrorCode: null });
  });

  it('treats a 429 from the identity platform as transient too', async () => {
    sandbox!.control.setAccessTokenLifetime(120);
    const signedIn = await signInAs(gateway!.url, emailOf(0));
    sandbox!.control.injectFault({ status: 429, retryAfterSeconds: 30, path: '/oauth2/v2.0/token', count: 1 });
    expect(await codeOf(tokenService().getAccessToken(signedIn.viewer.id, Channel.MAIN))).toBe('UPSTREAM_UNAVAILABLE');
    await expect(tokenService().getAccessToken(signedIn.viewer.id, Channel.MAIN)).resolves.toEqual(expect.any(String));
  });

  it.each([
    ['503 without an error field', 503, { message: 'Service Unavailable' }],
    ['429 without an error field', 429, {}],
    ['500 claiming invalid_grant', 500, { error: 'invalid_grant', error_description: 'AADSTS50173: looks permanent' }],
  ])('treats a token-endpoint %s as transient: flags untouched, the next call recovers', async (_name, status, body) => {
    sandbox!.control.setAccessTokenLifetime(120);
    const signedIn = await signInAs(gateway!.url, emailOf(2));
    const userId = signedIn.viewer.id;
    const eventsBefore = (await eventsOf(userId)).length;
    sandbox!.control.injectFault({ status, body, path: '/oauth2/v2.0/token', count: 1 });
    expect(await codeOf(tokenService().getAccessToken(userId, Channel.MAIN))).toBe('UPSTREAM_UNAVAILABLE');
    expect(await gateway!.services.tokens.findByUser(Channel.MAIN, userId)).toMatchObject({ isActive: true, needsReconnect: false, refreshFailureCount: 1 });
    expect((await eventsOf(userId)).slice(eventsBefore)).toEqual(['refresh_failed']);
    await expect(tokenService().getAccessToken(userId, Channel.MAIN)).resolves.toEqual(expect.any(String));
    expect(await gateway!.services.tokens.findByUser(Channel.MAIN, userId)).toMatchObject({ needsReconnect: false, refreshFailureCount: 0 });
  });

  it('answers MICROSOFT_NOT_CONNECTED for a user without tokens on the channel', async () => {
    const signedIn = await signInAs(gateway!.url, emailOf(1));
    expect(await codeOf(tokenService().getAccessToken(signedIn.viewer.id, Channel.BETA))).toBe('MICROSOFT_NOT_CONNECTED');
  });

  it('reads a cache it cannot decrypt as needs-reconnect, logging it once without the value', async () => {
    const signedIn = await signInAs(gateway!.url, emailOf(2));
    const userId = signedIn.viewer.id;
    const otherKeyVault = new TokenVault(new TokenCipher([randomBytes(32)]));
    await gateway!.services.tokens.replaceEncrypted(Channel.MAIN, userId, otherKeyVault.seal(Channel.MAIN, userId, '{"RefreshToken":{}}'));
    // Forget the token kept in memory, as after a restart with a new key.
    gateway!.services.msalClients.forgetUser(Channel.MAIN, userId);
    (tokenService() as unknown as { memory: Map<string, unknown> }).memory.clear();
    const linesBefore = gateway!.logLines.length;

    expect(await codeOf(tokenService().getAccessToken(userId, Channel.MAIN))).toBe('RECONNECT_REQUIRED');
    expect(await codeOf(tokenService().getAccessToken(userId, Channel.MAIN))).toBe('RECONNECT_REQUIRED');

    const newLines = gateway!.logLines.slice(linesBefore).filter((line) => line.includes('token_cache_unreadable'));
    expect(newLines).toHaveLength(1);
    expect(await gateway!.services.tokens.findByUser(Channel.MAIN, userId)).toMatchObject({ needsReconnect: true, lastErrorCode: 'token_cache_unreadable' });
  });

  it('tracks last use in memory and writes it in one batch, not on every request', async () => {
    const signedIn = await signInAs(gateway!.url, emailOf(3));
    const userId = signedIn.viewer.id;
    const lastUsedInDatabase = () => queryValue(gateway!.database, 'SELECT last_used_at FROM microsoft_oauth_tokens WHERE user_id = ?', [userId]);
    for (let i = 0; i < 20; i += 1) await tokenService().getAccessToken(userId, Channel.MAIN);
    expect(await lastUsedInDatabase()).toBeNull();
    expect((await tokenService().connection(userId, Channel.MAIN))!.lastUsedAt).toBeInstanceOf(Date);
    await (tokenService() as unknown as { lastUsed: { flush(): Promise<void> } }).lastUsed.flush();
    expect(await lastUsedInDatabase()).toEqual(expect.any(Number));
  });
});
