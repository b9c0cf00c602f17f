// Two in-process gateways on one database and one Redis: one refresh between them, and no stale memory after a change.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel } from '../../src/config/channels';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { openSharedRedis, type SharedRedis } from '../../src/scale/redis';
import { signInAs } from '../support/microsoft-sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';
import { describeWithRedis, REDIS_URL } from './support/required-services';
import { sharedAppEnvironment } from './support/shared-app';


describeWithRedis('token refresh shared by two instances', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-shared-refresh-'));
  let sandbox: Sandbox | undefined;
  const gateways: StartedGateway[] = [];
  let a: StartedGateway;
  let b: StartedGateway;
  const keyPrefix = `test:${randomUUID()}:`;
  let redis: SharedRedis | undefined;

  beforeAll(async () => {
    redis = openSharedRedis(REDIS_URL, { keyPrefix });
    sandbox = await startSandbox({ quiet: true });
    const env = {
      ...sharedAppEnvironment(sandbox, folder),
      RATE_LIMITS: 'off',
      // Any database both can reach will do: here one SQLite file (WAL lets two connections share it).
      DATABASE_URL: `file:${join(folder, 'gateway.db')}`,
      REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
    };
    gateways.push(await startTestGateway(env));
    gateways.push(await startTestGateway(env));
    [a, b] = gateways;
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await redis?.close();
    await sandbox?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  afterEach(() => {
    sandbox?.control.reset();
    sandbox?.control.setAccessTokenLifetime(3600);
  });

  const emailOf = (index: number) => sandbox!.users[index].email;
  const refreshesOf = (email: string) => sandbox!.control.counters().refreshGrantsByUser[email] ?? 0;

  async function signInWithExpiringToken(email: string): Promise<string> {
    // Issued for 2 minutes: inside the 5-minute renewal margin, so every instance wants to refresh it.
    sandbox!.control.setAccessTokenLifetime(120);
    const signedIn = await signInAs(a.url, email);
    sandbox!.control.setAccessTokenLifetime(3600);
    sandbox!.control.resetCounters();
    return signedIn.viewer.id;
  }

  it('makes one refresh grant for 50 calls split across both instances', async () => {
    const userId = await signInWithExpiringToken(emailOf(0));
    sandbox!.control.setLatency(150, '/oauth2/v2.0/token');

    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? a : b).services.tokenService.getAccessToken(userId, Channel.MAIN)),
    );

    expect(refreshesOf(emailOf(0))).toBe(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it('gives a forced refresh that waited for the other instance its fresh token instead of refreshing again', async () => {
    const userId = await signInWithExpiringToken(emailOf(1));
    // Long enough that the forced request surely arrives while A waits on Microsoft; it ends when A's refresh does.
    sandbox!.control.setLatency(1_000, '/oauth2/v2.0/token');

    const refreshing = a.services.tokenService.getAccessToken(userId, Channel.MAIN);
    // A holds the shared lock from before it asks Microsoft until its new token is stored.
    const lockOfA = redis!.name(`refresh-lock:${Channel.MAIN}:${userId}`);
    while (!(await redis!.commands.exists(lockOfA))) await new Promise((resolve) => setImmediate(resolve));
    const forced = b.services.tokenService.getAccessToken(userId, Channel.MAIN, { forceRefresh: true });

    expect(await forced).toBe(await refreshing);
    expect(refreshesOf(emailOf(1))).toBe(1);
  });

  it('still refreshes on a forced request when nobody else refreshed', async () => {
    const userId = await signInWithExpiringToken(emailOf(2));
    const first = await a.services.tokenService.getAccessToken(userId, Channel.MAIN);
    const forced = await b.services.tokenService.getAccessToken(userId, Channel.MAIN, { forceRefresh: true });
    expect(forced).not.toBe(first);
    expect(refreshesOf(emailOf(2))).toBe(2);
  });

  // In one process the message needs a turn of the event loop to arrive; multi-instance.test.ts shows the next HTTP request.
  async function answerOfBWithin(userId: string, expected: unknown, timeoutMs = 10_000): Promise<unknown> {
    const giveUpAt = Date.now() + timeoutMs;
    for (;;) {
      const answer = await b.services.tokenService.getAccessToken(userId, Channel.MAIN).catch((error) => (error as { extensions?: { code?: unknown } }).extensions?.code);
      if (answer === expected || Date.now() > giveUpAt) return answer;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('drops the other instance\'s memory of a token when a refresh or a disconnect happens here', async () => {
    const userId = await signInWithExpiringToken(emailOf(3));
    const servedByB = await b.services.tokenService.getAccessToken(userId, Channel.MAIN);
    const refreshedByA = await a.services.tokenService.getAccessToken(userId, Channel.MAIN, { forceRefresh: true });
    expect(refreshedByA).not.toBe(servedByB);
    // B's memory was dropped, so it reads A's token from the shared store (B's old token is still valid: only memory tells).
    expect(await answerOfBWithin(userId, refreshedByA)).toBe(refreshedByA);

    expect(await a.services.tokenService.disconnect(userId, Channel.MAIN)).toBe(true);
    expect(await answerOfBWithin(userId, 'MICROSOFT_NOT_CONNECTED')).toBe('MICROSOFT_NOT_CONNECTED');
    // B's first call refreshed the expiring token, A's forced call refreshed again, and B then refreshed nothing.
    expect(refreshesOf(emailOf(3))).toBe(2);
  });

  it('would serve a remembered token after a disconnect that nobody announced (the control for the test above)', async () => {
    const userId = await signInWithExpiringToken(emailOf(0));
    const servedByB = await b.services.tokenService.getAccessToken(userId, Channel.MAIN);
    // The row goes, but no message is sent: B has no way to know.
    expect(await a.services.tokens.delete(Channel.MAIN, userId)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await b.services.tokenService.getAccessToken(userId, Channel.MAIN)).toBe(servedByB);
    b.services.tokenService.forgetLocally(Channel.MAIN, userId);
  });
});
