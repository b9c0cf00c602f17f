// npm run db:rollback: undoes the last applied migration of DATABASE_URL with its reviewed down SQL.
import { loadConfig } from '../config/load-config';
import { openSqliteDatabase } from '../db/database';
import { rollbackLastMigration } from '../db/rollback';

const config = loadConfig();
const database = openSqliteDatabase(config.databaseUrl, { migrate: false });
try {
  const tag = rollbackLastMigration(database.sqlite);
  process.stdout.write(tag ? `rolled back ${tag}\n` : 'no migration to roll back\n');
} finally {
  database.close();
}
