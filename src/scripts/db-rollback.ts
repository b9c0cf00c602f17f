// npm run db:rollback: undoes the last applied migration of DATABASE_URL (SQLite or PostgreSQL) with its reviewed down SQL.
// The first migration only with `-- --drop-all`: undoing it drops every table.
import { loadConfig } from '../config/load-config';
import { openDatabase } from '../db/database';
import { rollbackLastMigration, RollbackWouldDropEverythingError } from '../db/rollback';
import { describeDatabaseError } from '../db/database-errors';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl, { migrate: false });
  try {
    const tag = await rollbackLastMigration(database, { allowDroppingEverything: process.argv.includes('--drop-all') });
    process.stdout.write(tag ? `rolled back ${tag} on ${database.location}\n` : `no migration to roll back on ${database.location}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof RollbackWouldDropEverythingError) {
    process.stderr.write(`rollback refused: ${error.message}\nTo drop everything anyway: npm run db:rollback -- --drop-all\n`);
    process.exitCode = 1;
    return;
  }
  // The driver's reason only: drizzle's message carries the statement and its parameters.
  process.stderr.write(`rollback failed: ${describeDatabaseError(error)}\n`);
  process.exitCode = 1;
});
