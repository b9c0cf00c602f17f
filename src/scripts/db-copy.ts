// npm run db:copy -- --from file:./data/gateway.db --to postgres://…: moves a SQLite gateway's data into an empty PostgreSQL.
import { parseArgs } from 'node:util';
import { copySqliteToPostgres } from '../db/copy-to-postgres';
import { dialectOf } from '../db/database';
import { openPostgresDatabase } from '../db/postgres-database';
import { openSqliteDatabase } from '../db/sqlite-database';
import { describeDatabaseError } from '../db/database-errors';

const USAGE = 'usage: npm run db:copy -- --from file:PATH --to postgres://USER@HOST:PORT/DATABASE[?schema=NAME]';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true });
  if (!values.from || !values.to) throw new Error(USAGE);
  if (dialectOf(values.from) !== 'sqlite' || values.from === ':memory:') throw new Error(`--from must name a SQLite file (file:PATH). ${USAGE}`);
  if (dialectOf(values.to) !== 'postgres') throw new Error(`--to must be a postgres:// URL. ${USAGE}`);
  // The source is read as it is, never migrated or written: stop the gateway that uses it first.
  const source = openSqliteDatabase(values.from, { migrate: false });
  try {
    const target = await openPostgresDatabase(values.to);
    try {
      const copied = await copySqliteToPostgres(source, target);
      const tokens = Object.entries(copied.tokens).map(([table, rows]) => `${rows} in ${table}`).join(', ');
      process.stdout.write(
        `copied ${copied.users} users, ${copied.sessions} sessions, ${copied.oauthStates} pending sign-ins, ` +
          `${tokens}, ${copied.tokenEvents} token events from ${source.location} to ${target.location}\n`,
      );
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}

main().catch((error: unknown) => {
  // The driver's reason only: drizzle's message carries the statement and its parameters.
  process.stderr.write(`db:copy failed, nothing was copied: ${describeDatabaseError(error)}\n`);
  process.exitCode = 1;
});
