// npm run db:migrate: applies pending migrations to DATABASE_URL.
import { loadConfig } from '../config/load-config';
import { openSqliteDatabase } from '../db/database';

const config = loadConfig();
const database = openSqliteDatabase(config.databaseUrl);
database.close();
process.stdout.write(`migrations applied to ${database.location}\n`);
