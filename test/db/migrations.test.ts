// Migrations up, down and up again on both dialects, through the npm scripts too; PostgreSQL migrations stay schema-neutral.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openDatabase, openSqliteDatabase, type OpenedDatabase } from '../../src/db/database';
import { POSTGRES_MIGRATIONS_FOLDER } from '../../src/db/postgres-database';
import { rollbackLastMigration, RollbackWouldDropEverythingError } from '../../src/db/rollback';
import { describeEachDatabase, describeOnPostgres, queryRows } from '../support/databases';
import { runScript } from '../support/run-script';

/** Added by 0004_live_calendar. */
const LIVE_CALENDAR_TABLES = ['calendar_syncs', 'synced_events'];
const TABLES_BEFORE_0003 = ['beta_microsoft_oauth_tokens', 'microsoft_oauth_tokens', 'oauth_states', 'sessions', 'token_events', 'users'];
const TABLES = ['beta_microsoft_oauth_tokens', 'calendar_syncs', 'leases', 'microsoft_oauth_tokens', 'oauth_states', 'sessions', 'synced_events', 'token_events', 'users', 'webhook_outbox'];

async function tableNames(database: OpenedDatabase): Promise<string[]> {
  const rows =
    database.dialect === 'sqlite'
      ? await queryRows<{ name: string }>(database, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      : await queryRows<{ name: string }>(database, 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name', [
          database.schema,
        ]);
  return rows.map((row) => row.name).filter((name) => name !== '__drizzle_migrations');
}

/** Runs one of the npm db scripts from its TypeScript source, as `npm run db:…` runs it from dist/. */
function runDbScript(script: 'db-migrate' | 'db-rollback', databaseUrl: string, ...args: string[]): Promise<string> {
  return runScript(script, { DATABASE_URL: databaseUrl, SECRET_KEY: randomBytes(32).toString('base64url') }, ...args);
}

describeEachDatabase('migrations', (target) => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-migrations-'));
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await target.dropAll();
  });

  it('migrate up, down and up again on a fresh database', async () => {
    const database = await openDatabase(target.freshUrl());
    try {
      expect(await tableNames(database)).toEqual(TABLES);
      expect(await rollbackLastMigration(database)).toBe('0004_live_calendar');
      expect(await tableNames(database)).toEqual(TABLES.filter((name) => !LIVE_CALENDAR_TABLES.includes(name)));
      expect(await rollbackLastMigration(database)).toBe('0003_connection_lifecycle');
      expect(await tableNames(database)).toEqual(TABLES_BEFORE_0003);
      expect(await rollbackLastMigration(database)).toBe('0002_sign_in_binding');
      expect(await rollbackLastMigration(database)).toBe('0001_expiry_active_index');
      // The first migration is undone only when dropping everything is asked for; refused, nothing changes.
      await expect(rollbackLastMigration(database)).rejects.toThrow(RollbackWouldDropEverythingError);
      expect(await tableNames(database)).toEqual(TABLES_BEFORE_0003);
      expect(await rollbackLastMigration(database, { allowDroppingEverything: true })).toBe('0000_init');
      expect(await tableNames(database)).toEqual([]);
      expect(await rollbackLastMigration(database)).toBeUndefined();
      // Re-applying on the same connection: the migrator sees the rollback and applies 0000 again.
      await applyMigrations(database);
      expect(await tableNames(database)).toEqual(TABLES);
    } finally {
      await database.close();
    }
  });

  it('npm run db:migrate and db:rollback work on the dialect DATABASE_URL names', async () => {
    const url = target.dialect === 'sqlite' ? `file:${join(folder, 'gateway.db')}` : target.freshUrl();
    expect(await runDbScript('db-migrate', url)).toMatch(/^migrations applied to /);
    expect(await runDbScript('db-rollback', url)).toMatch(/^rolled back 0004_live_calendar on /);
    expect(await runDbScript('db-rollback', url)).toMatch(/^rolled back 0003_connection_lifecycle on /);
    expect(await runDbScript('db-rollback', url)).toMatch(/^rolled back 0002_sign_in_binding on /);
    expect(await runDbScript('db-rollback', url)).toMatch(/^rolled back 0001_expiry_active_index on /);
    await expect(runDbScript('db-rollback', url)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^rollback refused: 0000_init is the first migration/) });
    expect(await runDbScript('db-rollback', url, '--drop-all')).toMatch(/^rolled back 0000_init on /);
    expect(await runDbScript('db-rollback', url)).toMatch(/^no migration to roll back on /);
    expect(await runDbScript('db-migrate', url)).toMatch(/^migrations applied to /);
    const database = await openDatabase(url, { migrate: false });
    try {
      expect(await tableNames(database)).toEqual(TABLES);
    } finally {
      await database.close();
    }
  }, 60_000);
});

describe('SQLite settings', () => {
  it('turns on WAL-independent safety settings: foreign keys and a busy timeout', () => {
    const database = openSqliteDatabase(':memory:');
    try {
      expect(database.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(database.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      database.close();
    }
  });
});

describeOnPostgres('instances starting together', (target) => {
  afterAll(() => target.dropAll());

  it('apply each migration once, whichever instance takes the lock first', async () => {
    const url = target.freshUrl();
    const opened = await Promise.allSettled([openDatabase(url), openDatabase(url), openDatabase(url)]);
    try {
      expect(opened.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const database = (opened[0] as PromiseFulfilledResult<OpenedDatabase>).value;
      if (database.dialect !== 'postgres') throw new Error('expected a PostgreSQL database');
      expect(await tableNames(database)).toEqual(TABLES);
      const applied = await queryRows(database, `SELECT hash FROM "${database.schema}".__drizzle_migrations`);
      expect(applied).toHaveLength(readdirSync(POSTGRES_MIGRATIONS_FOLDER).filter((name) => /^\d{4}_.*(?<!\.down)\.sql$/.test(name)).length);
    } finally {
      for (const result of opened) if (result.status === 'fulfilled') await result.value.close();
    }
  });
});

describe('PostgreSQL migrations', () => {
  it('name tables unqualified, so they apply to the schema on the search_path', () => {
    // drizzle-kit writes REFERENCES "public"."users"; a reviewed migration drops the qualifier.
    for (const file of readdirSync(POSTGRES_MIGRATIONS_FOLDER).filter((name) => name.endsWith('.sql'))) {
      expect({ file, qualified: readFileSync(join(POSTGRES_MIGRATIONS_FOLDER, file), 'utf8').includes('"public".') }).toEqual({ file, qualified: false });
    }
  });

  it('keep a reviewed down migration beside every migration', () => {
    const files = readdirSync(POSTGRES_MIGRATIONS_FOLDER);
    const ups = files.filter((name) => name.endsWith('.sql') && !name.endsWith('.down.sql'));
    expect(ups.length).toBeGreaterThan(0);
    for (const up of ups) expect(files).toContain(up.replace(/\.sql$/, '.down.sql'));
  });
});
