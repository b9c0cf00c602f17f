// Two gateway processes on one PostgreSQL schema and one Redis, with the sandbox: everything users see is shared.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { describeOnPostgres } from '../support/databases';
import { errorCodes, graphql } from '../support/http';
import { completeSignIn, followAuthorization, signInAs, startSignIn } from '../support/microsoft-sign-in';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-processes';
import { describeWithRedis, REDIS_URL } from './support/required-services';
import { PUBLIC_URL, REDIRECT_URI, sharedAppEnvironment } from './support/shared-app';

const VIEWER = '{ viewer { id email } }';
const PROFILE = '{ microsoftProfile { id mail } }';

describeOnPostgres('two gateway instances behind one load balancer', (database) => describeWithRedis('two gateway processes on one PostgreSQL schema and one Redis', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-scale-'));
  let sandbox: Sandbox | undefined;
  const instances: GatewayProcess[] = [];
  let a: GatewayProcess;
  let b: GatewayProcess;
  const redisKeyPrefix = `test:${randomUUID()}:`;
  /** Secrets the instances saw; none may appear in what they wrote. */
  const secrets: string[] = [];

  beforeAll(async () => {
    // Throttles high: the sandbox counts the concurrency it sees instead of refusing it.
    sandbox = await startSandbox({ quiet: true, throttle: { concurrentRequestsPerMailbox: 100 } });
    const microsoft = sharedAppEnvironment(sandbox, folder);
    const secretKey = randomBytes(32).toString('base64url');
    secrets.push(microsoft.MICROSOFT_CLIENT_SECRET, secretKey);
    const env = {
      ...microsoft,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      // One fresh schema for both: the first instance to start creates and migrates it.
      DATABASE_URL: database.freshUrl(),
      REDIS_URL,
      // A fresh prefix per run: counters and locks of earlier runs stay apart.
      REDIS_KEY_PREFIX: redisKeyPrefix,
      SECRET_KEY: secretKey,
      PUBLIC_URL,
      // Rate limits stay at their defaults; the address of a test that counts them comes from X-Forwarded-For.
      TRUST_PROXY: 'true',
    };
    // One after the other: both apply migrations at start-up.
    instances.push(await startGatewayProcess('instance A', env));
    instances.push(await startGatewayProcess('instance B', env));
    [a, b] = instances;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await database.dropAll();
    await deleteRedisKeys(redisKeyPrefix);
    await sandbox?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  afterEach(() => {
    sandbox?.control.reset();
    sandbox?.control.setAccessTokenLifetime(3600);
  });

  const emailOf = (index: number) => sandbox!.users[index].email;

  it('completes on instance B a sign-in started on instance A', async () => {
    const started = await startSignIn(a.url, { loginHint: emailOf(0) });
    // The start route is on the load balancer's address (PUBLIC_URL); here instance A stands behind it.
    expect(started.authorizationUrl.startsWith(`${PUBLIC_URL}/auth/microsoft/start?`)).toBe(true);
    const callback = await followAuthorization(started.authorizationUrl.replace(PUBLIC_URL, a.url));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);

    const completion = { code: callback.searchParams.get('code')!, state: callback.searchParams.get('state')!, completionSecret: started.completionSecret };
    const completed = await completeSignIn(b.url, completion);

    expect(completed.errors).toBeUndefined();
    expect(completed.data!.completeMicrosoftSignIn.viewer.email).toBe(emailOf(0));
    // The state was consumed in the shared database: A refuses it too.
    const replayed = await completeSignIn(a.url, completion);
    expect(replayed.data).toBeNull();
  });

  it('honours on B a session made on A, and a signOut on B ends it on A at once', async () => {
    const signedIn = await signInAs(a.url, emailOf(1));
    const token = signedIn.sessionToken;
    secrets.push(token);
    // A has the session in its memory cache now.
    expect((await graphql(a.url, VIEWER, { token })).data).toEqual({ viewer: { id: signedIn.viewer.id, email: emailOf(1) } });
    expect((await graphql(b.url, VIEWER, { token })).data).toEqual({ viewer: { id: signedIn.viewer.id, email: emailOf(1) } });

    const signedOut = await graphql(b.url, 'mutation { signOut }', { token });
    expect(signedOut.data).toEqual({ signOut: true });

    expect((await graphql(a.url, VIEWER, { token })).data).toEqual({ viewer: null });
    expect((await graphql(b.url, VIEWER, { token })).data).toEqual({ viewer: null });
  });

  it('counts the sign-in rate limit across both instances: 10 a minute in total', async () => {
    const headers = { 'x-forwarded-for': `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.7` };
    const outcomes: string[] = [];
    for (let call = 0; call < 12; call += 1) {
      const instance = call % 2 === 0 ? a : b;
      const response = await graphql(instance.url, 'mutation { startMicrosoftSignIn { state } }', { headers });
      outcomes.push(response.data ? 'started' : String(errorCodes(response)[0]));
    }
    expect(outcomes).toEqual([...Array(10).fill('started'), 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('makes exactly one refresh grant for 60 concurrent queries split across both, within 4 per mailbox', async () => {
    // A token issued for 2 minutes is inside the 5-minute renewal margin: every instance wants to refresh it.
    sandbox!.control.setAccessTokenLifetime(120);
    const signedIn = await signInAs(a.url, emailOf(2));
    sandbox!.control.setAccessTokenLifetime(3600);
    sandbox!.control.resetCounters();
    // Slow answers make the refresh and the Graph calls overlap, as under real load.
    sandbox!.control.setLatency(150, '/oauth2/v2.0/token');
    sandbox!.control.setLatency(40, '/me');

    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, index) => graphql(index % 2 === 0 ? a.url : b.url, PROFILE, { token: signedIn.sessionToken })),
    );

    expect(responses.map((response) => response.errors)).toEqual(Array(60).fill(undefined));
    expect(responses.every((response) => (response.data as { microsoftProfile: { mail: string } }).microsoftProfile.mail === emailOf(2))).toBe(true);
    const counters = sandbox!.control.counters();
    expect(counters.refreshGrantsByUser[emailOf(2)]).toBe(1);
    expect(counters.tokenGrants.refresh_token).toBe(1);
    expect(counters.peakConcurrencyByMailbox[emailOf(2)]).toBeLessThanOrEqual(4);
    expect(counters.throttled).toBe(0);
  });

  it('sees on B at once a disconnect made on A', async () => {
    const signedIn = await signInAs(a.url, emailOf(3));
    const token = signedIn.sessionToken;
    secrets.push(token);
    // B now serves the access token from its memory.
    expect((await graphql(b.url, PROFILE, { token })).errors).toBeUndefined();

    const disconnected = await graphql(a.url, 'mutation { disconnectMicrosoft }', { token });
    expect(disconnected.data).toEqual({ disconnectMicrosoft: true });

    expect(errorCodes(await graphql(b.url, PROFILE, { token }))).toEqual(['MICROSOFT_NOT_CONNECTED']);
    const viewer = await graphql<{ viewer: { connections: unknown[] } }>(b.url, '{ viewer { connections { channel } } }', { token });
    expect(viewer.data!.viewer.connections).toEqual([]);
  });

  it('writes no session token or secret to either instance\'s output', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const instance of instances) {
      for (const secret of secrets) expect(instance.output().includes(secret)).toBe(false);
      expect(instance.output()).not.toMatch(/Bearer |refresh_token"|eyJ[A-Za-z0-9_-]{20,}\./);
    }
  });
}));

/** Rate-limit counters outlive a run by up to an hour; this run's keys go with it. */
async function deleteRedisKeys(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    for await (const keys of client.scanStream({ match: `${prefix}*`, count: 500 })) {
      if ((keys as string[]).length > 0) await client.del(...(keys as string[]));
    }
  } catch {
    // Cleaning up is a courtesy: the keys expire by themselves.
  } finally {
    client.disconnect();
  }
}
