import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { MIGRATIONS_FOLDER, openSqliteDatabase } from '../../src/db/database';
import { rollbackLastMigration } from '../../src/db/rollback';

function tableNames(sqlite: ReturnType<typeof openSqliteDatabase>['sqlite']): string[] {
  return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>)
    .map((row) => row.name)
    .filter((name) => name !== '__drizzle_migrations');
}

describe('migrations', () => {
  it('migrate up, down and up again on a fresh database', () => {
    const database = openSqliteDatabase(':memory:');
    try {
      const expected = ['beta_microsoft_oauth_tokens', 'microsoft_oauth_tokens', 'oauth_states', 'sessions', 'token_events', 'users'];
      expect(tableNames(database.sqlite)).toEqual(expected);
      expect(rollbackLastMigration(database.sqlite)).toBe('0000_init');
      expect(tableNames(database.sqlite)).toEqual([]);
      expect(rollbackLastMigration(database.sqlite)).toBeUndefined();
      // Re-applying on the same connection: the migrator sees the rollback and applies 0000 again.
      migrate(database.db, { migrationsFolder: MIGRATIONS_FOLDER });
      expect(tableNames(database.sqlite)).toEqual(expected);
    } finally {
      database.close();
    }
  });

  it('turns on WAL-independent safety settings: foreign keys and a busy timeout', () => {
    const database = openSqliteDatabase(':memory:');
    try {
      expect(database.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(database.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      database.close();
    }
  });
});
