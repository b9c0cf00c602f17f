// The one way in to storage: openDatabase(url) picks SQLite (file:, :memory:) or PostgreSQL (postgres://) and applies migrations.
import type { PostgresDatabase, PostgresOptions } from './postgres-database';
import { migrateSqlite, openSqliteDatabase, type SqliteDatabase } from './sqlite-database';

export { MIGRATIONS_FOLDER, openSqliteDatabase, sqlitePathFromUrl, type GatewayDb, type SqliteDatabase } from './sqlite-database';
export type { PostgresDatabase, PostgresDb } from './postgres-database';

export type Dialect = 'sqlite' | 'postgres';

/** What repositories are built on: the dialect, its drizzle database, a health probe and close(). */
export type OpenedDatabase = SqliteDatabase | PostgresDatabase;

export type OpenDatabaseOptions = PostgresOptions;

export function dialectOf(databaseUrl: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(databaseUrl) ? 'postgres' : 'sqlite';
}

export async function openDatabase(databaseUrl: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  if (dialectOf(databaseUrl) === 'sqlite') return openSqliteDatabase(databaseUrl, options);
  // Loaded only for PostgreSQL: its driver and schema would lengthen every SQLite start-up.
  const { openPostgresDatabase } = await import('./postgres-database');
  return openPostgresDatabase(databaseUrl, options);
}

/** Applies pending migrations to an open database (openDatabase already does unless told `migrate: false`). */
export async function applyMigrations(database: OpenedDatabase): Promise<void> {
  if (database.dialect === 'sqlite') return migrateSqlite(database.db);
  const { migratePostgres } = await import('./postgres-database');
  await migratePostgres(database.pool, database.db, database.schema);
}
