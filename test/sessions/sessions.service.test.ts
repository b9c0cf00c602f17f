// Sessions on both dialects: only hashes stored, revocation at once (even cached), coalesced last-seen writes.
import { randomBytes } from 'node:crypto';
import { openDatabase, type OpenedDatabase } from '../../src/db/database';
import { buildRepositories } from '../../src/services';
import { sessionTokenHasher } from '../../src/sessions/session-token-hash';
import { SessionService } from '../../src/sessions/sessions.service';
import type { User } from '../../src/users/users.repository';
import { describeEachDatabase, queryRows, queryValue } from '../support/databases';

describeEachDatabase('SessionService', (target) => {
  let database: OpenedDatabase;
  let sessions: SessionService;
  let user: User;
  beforeAll(async () => {
    database = await openDatabase(target.freshUrl());
    const repositories = await buildRepositories(database);
    sessions = new SessionService(repositories.sessions, { ttlSeconds: 3600, cacheTtlMs: 60_000, hashToken: sessionTokenHasher(randomBytes(32)) });
    user = await repositories.users.create({ tenantId: 't', microsoftUserId: 'oid-1' });
  });
  afterAll(async () => {
    await sessions?.stop();
    await database?.close();
    await target.dropAll();
  });

  const lastSeenOf = (sessionId: string) => queryValue(database, 'SELECT last_seen_at FROM sessions WHERE id = ?', [sessionId]);

  it('opens a session with a 256-bit token and stores only its hash', async () => {
    const opened = await sessions.open(user.id);
    expect(opened.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await queryRows(database, 'SELECT * FROM sessions');
    expect(rows).not.toHaveLength(0);
    expect(JSON.stringify(rows)).not.toContain(opened.sessionToken);
    expect((await sessions.authenticate(opened.sessionToken))?.userId).toBe(user.id);
  });

  it('refuses unknown and malformed tokens', async () => {
    expect(await sessions.authenticate('x'.repeat(43))).toBeUndefined();
    expect(await sessions.authenticate('not a token')).toBeUndefined();
  });

  it('refuses a revoked session at once, even when cached', async () => {
    const opened = await sessions.open(user.id);
    expect(await sessions.authenticate(opened.sessionToken)).toBeDefined();
    expect(await sessions.revoke(opened.sessionId)).toBe(true);
    expect(await sessions.authenticate(opened.sessionToken)).toBeUndefined();
  });

  it('does not cache a session again when its lookup raced the revocation', async () => {
    const opened = await sessions.open(user.id);
    const lookup = sessions.authenticate(opened.sessionToken);
    await sessions.revoke(opened.sessionId);
    await lookup;
    expect(await sessions.authenticate(opened.sessionToken)).toBeUndefined();
  });

  it('refuses an expired session', async () => {
    const opened = await sessions.open(user.id, new Date(Date.now() - 7200_000));
    expect(await sessions.authenticate(opened.sessionToken)).toBeUndefined();
  });

  it('coalesces last-seen writes into one flush', async () => {
    const opened = await sessions.open(user.id, new Date(0));
    for (let index = 0; index < 5; index += 1) await sessions.authenticate(opened.sessionToken, new Date(1_000 + index));
    expect(await lastSeenOf(opened.sessionId)).toBe(0);
    await sessions.flushLastSeen();
    expect(await lastSeenOf(opened.sessionId)).toBe(1_004);
  });
});
