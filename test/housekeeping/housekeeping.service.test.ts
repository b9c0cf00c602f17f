// The scheduled purge: ended sessions and sign-in states a day past their expiry go, everything else stays; close stops it.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { openDatabase, type OpenedDatabase } from '../../src/db/database';
import { FIRST_PURGE_DELAY_MS, HousekeepingService, PURGE_INTERVAL_MS } from '../../src/housekeeping/housekeeping.service';
import { buildRepositories, type Repositories } from '../../src/services';
import { describeEachDatabase, queryRows } from '../support/databases';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const HOUR_MS = 3_600_000;
const silent = pino({ level: 'silent' });

/** One row of each kind the purge must tell apart, around `now`. */
async function seed(repositories: Repositories, now: number, prefix = ''): Promise<void> {
  const user = await repositories.users.create({ tenantId: 't', microsoftUserId: `oid-${randomUUID()}` });
  const session = (name: string, expiresAt: number, id = prefix + name) =>
    repositories.sessions.create({ id, tokenHash: `hash-${id}`, userId: user.id, expiresAt: new Date(expiresAt) }, new Date(now - HOUR_MS));
  await session('live', now + HOUR_MS);
  await session('expired', now - 1);
  await session('revoked', now + HOUR_MS);
  await repositories.sessions.revoke(prefix + 'revoked', new Date(now - 1));
  const state = (name: string, expiresAt: number) =>
    repositories.oauthStates.create({
      stateHash: prefix + name, channel: 'main', codeVerifierEncrypted: 'sealed', nonce: 'sealed', returnTo: null, linkUserId: null,
      completionSecretHash: null, browserBindingHash: null, authorizationUrlEncrypted: null,
      createdAt: new Date(expiresAt - 600_000), expiresAt: new Date(expiresAt),
    });
  await state('pending', now + 600_000);
  await state('expired-lately', now - HOUR_MS);
  await state('spent-lately', now - HOUR_MS);
  await repositories.oauthStates.consume(prefix + 'spent-lately', new Date(now - HOUR_MS - 60_000));
  await state('expired-long-ago', now - 25 * HOUR_MS);
  await state('spent-long-ago', now - 25 * HOUR_MS);
  await repositories.oauthStates.consume(prefix + 'spent-long-ago', new Date(now - 25 * HOUR_MS - 60_000));
}

async function remaining(database: OpenedDatabase): Promise<{ sessions: string[]; states: string[] }> {
  const sessions = await queryRows<{ id: string }>(database, 'SELECT id FROM sessions ORDER BY id');
  const states = await queryRows<{ state_hash: string }>(database, 'SELECT state_hash FROM oauth_states ORDER BY state_hash');
  return { sessions: sessions.map((row) => row.id), states: states.map((row) => row.state_hash) };
}

describeEachDatabase('purging ended sessions and sign-in states', (target) => {
  let database: OpenedDatabase;
  let repositories: Repositories;
  beforeEach(async () => {
    database = await openDatabase(target.freshUrl());
    repositories = await buildRepositories(database);
  });
  afterEach(() => database?.close());
  afterAll(() => target.dropAll());

  const housekeeping = () => new HousekeepingService({ sessions: repositories.sessions, signInStates: repositories.oauthStates, logger: silent });
  const KEPT = { sessions: ['live'], states: ['expired-lately', 'pending', 'spent-lately'] };

  it('deletes expired and revoked sessions, and states spent or expired over a day ago, keeping the rest', async () => {
    const now = Date.now();
    await seed(repositories, now);
    expect(await housekeeping().purge(new Date(now))).toEqual({ sessions: 2, signInStates: 2 });
    expect(await remaining(database)).toEqual(KEPT);
  });

  it('is safe to run on several instances at once: each row goes once and the same rows stay', async () => {
    const now = Date.now();
    await seed(repositories, now);
    const results = await Promise.all([housekeeping(), housekeeping(), housekeeping()].map((instance) => instance.purge(new Date(now))));
    expect(results.reduce((sum, result) => sum + result.sessions, 0)).toBe(2);
    expect(results.reduce((sum, result) => sum + result.signInStates, 0)).toBe(2);
    expect(await remaining(database)).toEqual(KEPT);
  });
});

describe('the purge schedule', () => {
  let database: OpenedDatabase | undefined;
  afterEach(() => {
    jest.useRealTimers();
    database?.close();
  });

  it('purges a minute after start and hourly after that, and stop() leaves no timer behind', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
    database = await openDatabase(':memory:');
    const repositories = await buildRepositories(database);
    const housekeeping = new HousekeepingService({ sessions: repositories.sessions, signInStates: repositories.oauthStates, logger: silent });
    await seed(repositories, Date.now());
    housekeeping.start();
    await jest.advanceTimersByTimeAsync(FIRST_PURGE_DELAY_MS);
    expect((await remaining(database)).sessions).toEqual(['live']);

    // Rows as they stand when the next run comes.
    await seed(repositories, Date.now() + PURGE_INTERVAL_MS, 'later-');
    await jest.advanceTimersByTimeAsync(PURGE_INTERVAL_MS);
    // The first 'live' session expired meanwhile (it lasted an hour).
    expect((await remaining(database)).sessions).toEqual(['later-live']);
    expect(jest.getTimerCount()).toBe(1);

    await housekeeping.stop();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('the gateway', () => {
  let gateway: StartedGateway | undefined;
  afterAll(() => gateway?.close());

  it('schedules the purge while it runs and stops it on close', async () => {
    gateway = await startTestGateway();
    expect(gateway.services.housekeeping.isScheduled).toBe(true);
    await gateway.close();
    expect(gateway.services.housekeeping.isScheduled).toBe(false);
  });
});
