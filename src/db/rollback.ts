// Undoes the last applied migration with the reviewed down SQL kept beside it.
import type Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_FOLDER } from './database';

interface JournalEntry {
  tag: string;
  when: number;
}

/** Returns the tag of the migration rolled back, or undefined when none was applied. */
export function rollbackLastMigration(sqlite: Database.Database, migrationsFolder = MIGRATIONS_FOLDER): string | undefined {
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'").get();
  if (!hasTable) return undefined;
  const last = sqlite.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1').get() as
    | { created_at: number }
    | undefined;
  if (!last) return undefined;
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  const entry = journal.entries.find((candidate) => candidate.when === Number(last.created_at));
  if (!entry) throw new Error('the last applied migration is not in drizzle/meta/_journal.json');
  const downPath = join(migrationsFolder, `${entry.tag}.down.sql`);
  if (!existsSync(downPath)) throw new Error(`no reviewed down migration ${entry.tag}.down.sql`);
  const downSql = readFileSync(downPath, 'utf8');
  sqlite.transaction(() => {
    sqlite.exec(downSql);
    // drizzle's table has no usable id in SQLite (SERIAL is not a rowid alias): match on created_at.
    sqlite.prepare('DELETE FROM __drizzle_migrations WHERE created_at = ?').run(last.created_at);
  })();
  return entry.tag;
}
