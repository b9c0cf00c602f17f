// Opens the embedded SQLite database (WAL, foreign keys, busy timeout) and applies its migrations (drizzle/).
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sqliteProbe, type DatabaseProbe } from '../health/database-probe';
import * as schema from './schema.sqlite';

export type GatewayDb = BetterSQLite3Database<typeof schema>;

export interface SqliteDatabase {
  dialect: 'sqlite';
  db: GatewayDb;
  sqlite: Database.Database;
  /** The file path, or ':memory:'. */
  location: string;
  probe: DatabaseProbe;
  close(): void;
}

export const MIGRATIONS_FOLDER = resolve(__dirname, '../../drizzle');

export function sqlitePathFromUrl(databaseUrl: string): string {
  if (databaseUrl === ':memory:' || databaseUrl === 'file::memory:') return ':memory:';
  if (!databaseUrl.startsWith('file:')) throw new Error('expected a file: or :memory: database URL');
  return databaseUrl.slice('file:'.length);
}

export function openSqliteDatabase(databaseUrl: string, options: { migrate?: boolean } = {}): SqliteDatabase {
  const location = sqlitePathFromUrl(databaseUrl);
  if (location !== ':memory:') createPrivateFile(location);
  const sqlite = new Database(location);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL with NORMAL sync is durable across process crashes; only a power loss can drop the last commits.
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle(sqlite, { schema });
  if (options.migrate !== false) migrateSqlite(db);
  let isOpen = true;
  return {
    dialect: 'sqlite',
    db,
    sqlite,
    location,
    probe: sqliteProbe(sqlite),
    close() {
      if (!isOpen) return;
      isOpen = false;
      sqlite.close();
    },
  };
}

/**
 * Creates the database file readable by its owner alone (0600) before SQLite opens it, as data/secret.key is. SQLite
 * creates the -wal and -shm files with the database file's own mode (its unix VFS copies it, whatever the umask), so
 * this one decision covers all three, for this process and any later one, without changing the process's umask for
 * every other file it writes. An existing file keeps the mode its owner gave it. A folder created here is 0700.
 */
function createPrivateFile(location: string): void {
  mkdirSync(dirname(resolve(location)), { recursive: true, mode: 0o700 });
  // 'a' creates a missing file with this mode and leaves an existing one (and its data) as it is.
  closeSync(openSync(location, 'a', 0o600));
}

export function migrateSqlite(db: GatewayDb): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
