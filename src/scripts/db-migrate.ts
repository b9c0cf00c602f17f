// npm run db:migrate: applies pending migrations to DATABASE_URL (SQLite or PostgreSQL).
import { loadConfig } from '../config/load-config';
import { openDatabase } from '../db/database';
import { describeDatabaseError } from '../db/database-errors';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl);
  await database.close();
  process.stdout.write(`migrations applied to ${database.location}\n`);
}

main().catch((error: unknown) => {
  // The driver's reason only: drizzle's message carries the statement and its parameters.
  process.stderr.write(`migration failed: ${describeDatabaseError(error)}\n`);
  process.exitCode = 1;
});
