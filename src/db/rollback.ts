// Undoes the last applied migration with the reviewed down SQL kept beside it, on either dialect.
import type Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenedDatabase } from './database';
import { POSTGRES_MIGRATIONS_FOLDER } from './postgres-database';
import { MIGRATIONS_FOLDER } from './sqlite-database';

interface JournalEntry {
  tag: string;
  when: number;
}

export interface RollbackOptions {
  /** Rolling back the first migration drops every table and all their rows: only when asked for by name. */
  allowDroppingEverything?: boolean;
}

/** Thrown instead of rolling back the first migration without `allowDroppingEverything`; nothing was changed. */
export class RollbackWouldDropEverythingError extends Error {
  constructor(readonly tag: string) {
    super(`${tag} is the first migration: rolling it back drops every table and all their data. Nothing was changed.`);
    this.name = 'RollbackWouldDropEverythingError';
  }
}

/** Returns the tag of the migration rolled back, or undefined when none was applied. */
export async function rollbackLastMigration(database: OpenedDatabase, options: RollbackOptions = {}): Promise<string | undefined> {
  if (database.dialect === 'sqlite') return rollbackSqlite(database.sqlite, options);
  const { pool, schema } = database;
  const table = `"${schema}"."__drizzle_migrations"`;
  const exists = await pool.query<{ name: string | null }>('SELECT to_regclass($1) AS name', [table]);
  if (!exists.rows[0]?.name) return undefined;
  const last = await pool.query<{ id: number; created_at: number }>(`SELECT id, created_at FROM ${table} ORDER BY created_at DESC LIMIT 1`);
  if (last.rows.length === 0) return undefined;
  const { tag, downSql } = downMigration(POSTGRES_MIGRATIONS_FOLDER, Number(last.rows[0].created_at), options);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // The down SQL names tables unqualified, as the migrations do: it must run in the schema that was migrated.
    await client.query(`SET LOCAL search_path TO "${schema}"`);
    await client.query(downSql);
    await client.query(`DELETE FROM ${table} WHERE id = $1`, [last.rows[0].id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return tag;
}

function rollbackSqlite(sqlite: Database.Database, options: RollbackOptions): string | undefined {
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'").get();
  if (!hasTable) return undefined;
  const last = sqlite.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1').get() as
    | { created_at: number }
    | undefined;
  if (!last) return undefined;
  const { tag, downSql } = downMigration(MIGRATIONS_FOLDER, Number(last.created_at), options);
  sqlite.transaction(() => {
    sqlite.exec(downSql);
    // drizzle's table has no usable id in SQLite (SERIAL is not a rowid alias): match on created_at.
    sqlite.prepare('DELETE FROM __drizzle_migrations WHERE created_at = ?').run(last.created_at);
  })();
  return tag;
}

/** The reviewed down SQL of the migration the journal records at `createdAt`. */
function downMigration(migrationsFolder: string, createdAt: number, options: RollbackOptions): { tag: string; downSql: string } {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  const entry = journal.entries.find((candidate) => candidate.when === createdAt);
  if (!entry) throw new Error(`the last applied migration is not in ${join(migrationsFolder, 'meta/_journal.json')}`);
  if (entry === journal.entries[0] && !options.allowDroppingEverything) throw new RollbackWouldDropEverythingError(entry.tag);
  const downPath = join(migrationsFolder, `${entry.tag}.down.sql`);
  if (!existsSync(downPath)) throw new Error(`no reviewed down migration ${entry.tag}.down.sql`);
  return { tag: entry.tag, downSql: readFileSync(downPath, 'utf8') };
}
