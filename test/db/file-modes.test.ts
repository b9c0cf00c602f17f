// The SQLite database and its -wal and -shm files are readable by their owner alone (0600), like data/secret.key.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../src/db/database';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('SQLite file modes', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-modes-'));
  let previousUmask = 0;
  // The usual umask, which leaves new files readable by everyone: the modes must not depend on the caller's.
  beforeAll(() => (previousUmask = process.umask(0o022)));
  afterAll(() => {
    process.umask(previousUmask);
    rmSync(folder, { recursive: true, force: true });
  });

  function expectPrivate(databaseFile: string): void {
    expect({ db: modeOf(databaseFile), wal: modeOf(`${databaseFile}-wal`), shm: modeOf(`${databaseFile}-shm`) }).toEqual({ db: '600', wal: '600', shm: '600' });
  }

  it('creates the database file, its WAL and shared-memory files 0600 (and a missing folder 0700)', () => {
    const databaseFile = join(folder, 'data', 'gateway.db');
    const database = openSqliteDatabase(`file:${databaseFile}`);
    try {
      database.sqlite.exec("INSERT INTO users (id, tenant_id, microsoft_user_id, created_at, updated_at) VALUES ('u1', 't', 'oid', 0, 0)");
      expectPrivate(databaseFile);
      expect(modeOf(join(folder, 'data'))).toBe('700');
    } finally {
      database.close();
    }
  });

  it('keeps them 0600 when a later open creates the WAL and shared-memory files again', () => {
    const databaseFile = join(folder, 'reopened.db');
    openSqliteDatabase(`file:${databaseFile}`).close();
    // Closing the last connection checkpoints and deletes -wal and -shm; the next open makes new ones.
    const database = openSqliteDatabase(`file:${databaseFile}`);
    try {
      database.sqlite.exec("INSERT INTO users (id, tenant_id, microsoft_user_id, created_at, updated_at) VALUES ('u2', 't', 'oid', 0, 0)");
      expectPrivate(databaseFile);
    } finally {
      database.close();
    }
  });
});
