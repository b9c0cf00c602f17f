// npm run sessions:revoke on both dialects: --user ends one user's sessions, --all everyone's, and with Redis the
// running instances drop them from memory at once.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openDatabase, type OpenedDatabase } from '../../src/db/database';
import { createScaleOut, type ScaleOut } from '../../src/scale/scale-out';
import { buildRepositories, type Repositories } from '../../src/services';
import { sessionTokenHasher } from '../../src/sessions/session-token-hash';
import { SessionService } from '../../src/sessions/sessions.service';
import { REDIS_URL, describeWithRedis } from '../scale/support/required-services';
import { describeEachDatabase, type DatabaseTarget } from '../support/databases';
import { runScript } from '../support/run-script';

const SECRET_KEY = randomBytes(32).toString('base64url');

/** A database both this test and the script's process can open: a file for SQLite, a fresh schema for PostgreSQL. */
function sharedUrl(target: DatabaseTarget, folder: string): string {
  return target.dialect === 'sqlite' ? `file:${join(folder, `${randomUUID()}.db`)}` : target.freshUrl();
}

/** Sessions as a gateway instance sees them, caching lookups for a minute so only an invalidation can end one early. */
function instanceSessions(repositories: Repositories, scaleOut?: ScaleOut): SessionService {
  return new SessionService(repositories.sessions, {
    ttlSeconds: 3600,
    cacheTtlMs: 60_000,
    hashToken: sessionTokenHasher(Buffer.from(SECRET_KEY)),
    invalidations: scaleOut?.invalidations,
  });
}

describe('npm run sessions:revoke arguments', () => {
  it.each([[[]], [['--all', '--user', 'someone']], [['--user']], [['--everyone']]])('refuses %j: exactly one of --all or --user ID', async (args) => {
    await expect(runScript('revoke-sessions', { DATABASE_URL: ':memory:', SECRET_KEY }, ...args)).rejects.toMatchObject({
      code: 1,
      stderr: 'usage: npm run sessions:revoke -- --all | --user USER_ID\n',
    });
  });
});

describeEachDatabase('npm run sessions:revoke', (target) => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-revoke-'));
  let databaseUrl = '';
  let database: OpenedDatabase | undefined;
  let sessions: SessionService | undefined;
  let repositories: Repositories;

  beforeAll(async () => {
    databaseUrl = sharedUrl(target, folder);
    database = await openDatabase(databaseUrl);
    repositories = await buildRepositories(database);
    sessions = instanceSessions(repositories);
  });
  afterAll(async () => {
    await sessions?.stop();
    await database?.close();
    await target.dropAll();
    rmSync(folder, { recursive: true, force: true });
  });

  const revoke = (...args: string[]) => runScript('revoke-sessions', { DATABASE_URL: databaseUrl, SECRET_KEY }, ...args);
  const createUser = () => repositories.users.create({ tenantId: 't', microsoftUserId: `oid-${randomUUID()}` });
  const isLive = async (sessionToken: string) => (await sessions!.authenticate(sessionToken)) !== undefined;

  it('--user revokes every live session of that user and no other, and says how many', async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const aliceSessions = [await sessions!.open(alice.id), await sessions!.open(alice.id)];
    const bobSession = await sessions!.open(bob.id);
    expect(await revoke('--user', alice.id)).toBe(`revoked 2 session(s) of user ${alice.id}\n`);
    // This process's own cache still holds what it read; a fresh instance asks the database.
    const fresh = instanceSessions(repositories);
    try {
      for (const opened of aliceSessions) expect(await fresh.authenticate(opened.sessionToken)).toBeUndefined();
      expect(await fresh.authenticate(bobSession.sessionToken)).toBeDefined();
    } finally {
      await fresh.stop();
    }
    expect(await revoke('--user', alice.id)).toBe(`revoked 0 session(s) of user ${alice.id}\n`);
  });

  it('--all revokes every live session', async () => {
    const carol = await createUser();
    const opened = await sessions!.open(carol.id);
    const output = await revoke('--all');
    expect(output).toMatch(/^revoked [1-9]\d* session\(s\)\n$/);
    sessions!.forgetAllLocally();
    expect(await isLive(opened.sessionToken)).toBe(false);
    expect(await revoke('--all')).toBe('revoked 0 session(s)\n');
  });
});

describeWithRedis('npm run sessions:revoke with several instances', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-revoke-redis-'));
  const databaseUrl = `file:${join(folder, 'gateway.db')}`;
  const redisKeyPrefix = `test:${randomUUID()}:`;
  let database: OpenedDatabase | undefined;
  let scaleOut: ScaleOut | undefined;
  let sessions: SessionService | undefined;
  let repositories: Repositories;

  beforeAll(async () => {
    database = await openDatabase(databaseUrl);
    repositories = await buildRepositories(database);
    scaleOut = createScaleOut({ redisUrl: REDIS_URL, redisKeyPrefix }, pino({ level: 'silent' }));
    sessions = instanceSessions(repositories, scaleOut);
    scaleOut!.dropInvalidatedEntries({ sessions, tokens: { forgetLocally: () => undefined, forgetAllLocally: () => undefined } });
    await scaleOut!.start();
  });
  afterAll(async () => {
    await sessions?.stop();
    await scaleOut?.close();
    await database?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const revoke = (...args: string[]) =>
    runScript('revoke-sessions', { DATABASE_URL: databaseUrl, SECRET_KEY, REDIS_URL, REDIS_KEY_PREFIX: redisKeyPrefix }, ...args);

  async function eventuallyRefused(sessionToken: string): Promise<void> {
    // Generous: only a hang fails it; the cached session would otherwise live a full minute.
    for (let attempt = 0; attempt < 200 && (await sessions!.authenticate(sessionToken)); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await sessions!.authenticate(sessionToken)).toBeUndefined();
  }

  it.each([
    ['--user', (userId: string) => ['--user', userId]],
    ['--all', () => ['--all']],
  ])('%s reaches a running instance that holds the session in memory', async (_flag, argsFor) => {
    const user = await repositories.users.create({ tenantId: 't', microsoftUserId: `oid-${randomUUID()}` });
    const opened = await sessions!.open(user.id);
    expect(await sessions!.authenticate(opened.sessionToken)).toBeDefined();
    expect(await revoke(...argsFor(user.id))).toMatch(/^revoked 1 session\(s\)/);
    await eventuallyRefused(opened.sessionToken);
  });
});
