// npm run db:migrate: applies pending migrations to DATABASE_URL (SQLite or PostgreSQL).
import { loadConfig } from '../config/load-config';
import { openDatabase } from '../db/database';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl);
  await database.close();
  process.stdout.write(`migrations applied to ${database.location}\n`);
}

main().catch((error: unknown) => {
  // The message only: a driver's error object can carry connection settings.
  process.stderr.write(`migration failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});
