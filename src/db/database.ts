// The one way in to storage: openDatabase(url) picks SQLite (file:, :memory:) or PostgreSQL (postgres://) and applies migrations.
import { isPostgresUrl, migratePostgres, openPostgresDatabase, type PostgresDatabase, type PostgresOptions } from './postgres-database';
import { migrateSqlite, openSqliteDatabase, type SqliteDatabase } from './sqlite-database';

export { MIGRATIONS_FOLDER, openSqliteDatabase, sqlitePathFromUrl, type GatewayDb, type SqliteDatabase } from './sqlite-database';
export { POSTGRES_MIGRATIONS_FOLDER, type PostgresDatabase, type PostgresDb } from './postgres-database';

export type Dialect = 'sqlite' | 'postgres';

/** What repositories are built on: the dialect, its drizzle database, a health probe and close(). */
export type OpenedDatabase = SqliteDatabase | PostgresDatabase;

export type OpenDatabaseOptions = PostgresOptions;

export function dialectOf(databaseUrl: string): Dialect {
  return isPostgresUrl(databaseUrl) ? 'postgres' : 'sqlite';
}

export async function openDatabase(databaseUrl: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  return dialectOf(databaseUrl) === 'postgres' ? openPostgresDatabase(databaseUrl, options) : openSqliteDatabase(databaseUrl, options);
}

/** Applies pending migrations to an open database (openDatabase already does unless told `migrate: false`). */
export async function applyMigrations(database: OpenedDatabase): Promise<void> {
  if (database.dialect === 'postgres') await migratePostgres(database.pool, database.db, database.schema);
  else migrateSqlite(database.db);
}
