// The databases storage and integration suites run on: SQLite in memory always, PostgreSQL (a fresh schema per suite) when it answers.
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { Client } from 'pg';
import type { Dialect, OpenedDatabase } from '../../src/db/database';
import { parsePostgresUrl } from '../../src/db/postgres-database';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** For messages: the URL without any password in it. */
export const POSTGRES_LOCATION = parsePostgresUrl(POSTGRES_URL).location;

export interface DatabaseTarget {
  name: 'SQLite' | 'PostgreSQL';
  dialect: Dialect;
  /** A DATABASE_URL nobody else uses: SQLite in memory, or a new PostgreSQL schema (the gateway creates and migrates it). */
  freshUrl(): string;
  /** Drops every schema freshUrl named; for afterAll, after the gateways using them closed. */
  dropAll(): Promise<void>;
}

const sqliteTarget: DatabaseTarget = {
  name: 'SQLite',
  dialect: 'sqlite',
  freshUrl: () => ':memory:',
  dropAll: async () => undefined,
};

function postgresTarget(): DatabaseTarget {
  const schemas: string[] = [];
  return {
    name: 'PostgreSQL',
    dialect: 'postgres',
    freshUrl() {
      const schema = `gw_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      const url = new URL(POSTGRES_URL);
      url.searchParams.set('schema', schema);
      return url.toString();
    },
    async dropAll() {
      if (schemas.length === 0) return;
      const client = new Client({ connectionString: POSTGRES_URL });
      try {
        await client.connect();
        for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}

/**
 * `describe(title, body)` once per database. test/support/postgres-check.ts (jest's globalSetup) tells whether
 * PostgreSQL answers; when it does not, its suites are skipped and counted for the summary line at the end.
 */
export function describeEachDatabase(title: string, body: (target: DatabaseTarget) => void): void {
  describe(`${title} (SQLite)`, () => body(sqliteTarget));
  describeOnPostgres(title, body);
}

/** `describe(title, body)` on PostgreSQL only (e.g. copying into it); skipped, or failed under REQUIRE_SERVICES=1, when it does not answer. */
export function describeOnPostgres(title: string, body: (target: DatabaseTarget) => void): void {
  if (isPostgresReachable()) {
    describe(`${title} (PostgreSQL)`, () => body(postgresTarget()));
    return;
  }
  if (process.env.REQUIRE_SERVICES === '1') {
    describe(`${title} (PostgreSQL)`, () => {
      it('has PostgreSQL', () => {
        throw new Error(`PostgreSQL not reachable at ${POSTGRES_LOCATION}, and REQUIRE_SERVICES=1 makes that a failure.`);
      });
    });
    return;
  }
  if (process.env.GW_TEST_SKIP_LOG) appendFileSync(process.env.GW_TEST_SKIP_LOG, `${title}\n`);
  else console.warn(`PostgreSQL not reachable at ${POSTGRES_LOCATION}: skipped the PostgreSQL suite "${title}".`);
  describe.skip(`${title} (PostgreSQL)`, () => body(postgresTarget()));
}

/** The answer of jest's globalSetup (test/support/postgres-check.ts), asked once per run. */
function isPostgresReachable(): boolean {
  const answer = process.env.GW_TEST_POSTGRES;
  if (answer === 'up' || answer === 'down') return answer === 'up';
  throw new Error('GW_TEST_POSTGRES is unset: run the tests through jest.config.js, whose globalSetup asks whether PostgreSQL answers.');
}

/** Rows of a raw query on either dialect; `?` placeholders become PostgreSQL's `$n`. */
export async function queryRows<T = Record<string, unknown>>(database: OpenedDatabase, text: string, params: unknown[] = []): Promise<T[]> {
  if (database.dialect === 'sqlite') return database.sqlite.prepare(text).all(...params) as T[];
  const { rows } = await database.pool.query(numbered(text), params);
  return rows as T[];
}

/** Runs a raw statement that returns no rows (UPDATE, DELETE) on either dialect; answers how many rows it changed. */
export async function runStatement(database: OpenedDatabase, text: string, params: unknown[] = []): Promise<number> {
  if (database.dialect === 'sqlite') return database.sqlite.prepare(text).run(...params).changes;
  return (await database.pool.query(numbered(text), params)).rowCount ?? 0;
}

function numbered(text: string): string {
  let index = 0;
  return text.replace(/\?/g, () => `$${++index}`);
}

/** The first column of the first row, or undefined. */
export async function queryValue<T = unknown>(database: OpenedDatabase, text: string, params: unknown[] = []): Promise<T | undefined> {
  const [row] = await queryRows(database, text, params);
  return row === undefined ? undefined : (Object.values(row)[0] as T);
}
