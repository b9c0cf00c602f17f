// Opens the embedded SQLite database (WAL, foreign keys, busy timeout) and applies its migrations (drizzle/).
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
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
  if (location !== ':memory:') mkdirSync(dirname(resolve(location)), { recursive: true });
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

export function migrateSqlite(db: GatewayDb): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
