import { openSqliteDatabase } from '../../src/db/database';
import { SqliteSessionsRepository } from '../../src/sessions/sessions.repository';
import { SessionService } from '../../src/sessions/sessions.service';
import { SqliteUsersRepository, type User } from '../../src/users/users.repository';

describe('SessionService', () => {
  const database = openSqliteDatabase(':memory:');
  const sessions = new SessionService(new SqliteSessionsRepository(database.db), { ttlSeconds: 3600, cacheTtlMs: 60_000 });
  let user: User;
  beforeAll(async () => {
    user = await new SqliteUsersRepository(database.db).create({ tenantId: 't', microsoftUserId: 'oid-1' });
  });
  afterAll(async () => {
    await sessions.stop();
    database.close();
  });

  it('opens a session with a 256-bit token and stores only its hash', async () => {
    const opened = await sessions.open(user.id);
    expect(opened.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = database.sqlite.prepare('SELECT * FROM sessions').all();
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

  it('refuses an expired session', async () => {
    const opened = await sessions.open(user.id, new Date(Date.now() - 7200_000));
    expect(await sessions.authenticate(opened.sessionToken)).toBeUndefined();
  });

  it('coalesces last-seen writes into one flush', async () => {
    const opened = await sessions.open(user.id, new Date(0));
    for (let index = 0; index < 5; index += 1) await sessions.authenticate(opened.sessionToken, new Date(1_000 + index));
    const lastSeenBefore = database.sqlite.prepare('SELECT last_seen_at FROM sessions WHERE id = ?').pluck().get(opened.sessionId);
    expect(lastSeenBefore).toBe(0);
    await sessions.flushLastSeen();
    expect(database.sqlite.prepare('SELECT last_seen_at FROM sessions WHERE id = ?').pluck().get(opened.sessionId)).toBe(1_004);
  });
});
