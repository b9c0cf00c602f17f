// Opens PostgreSQL through a node-postgres pool (schema from `?schema=`) and applies its migrations (drizzle/postgres/) under a lock.
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { resolve } from 'node:path';
import { Pool, types, type CustomTypesConfig } from 'pg';
import { postgresProbe, type DatabaseProbe } from '../health/database-probe';
import * as schema from './schema.postgres';

export type PostgresDb = NodePgDatabase<typeof schema>;

export interface PostgresDatabase {
  dialect: 'postgres';
  db: PostgresDb;
  pool: Pool;
  /** Host, port, database and schema, never the credentials: safe to log. */
  location: string;
  /** The schema every table lives in (the first on the search_path). */
  schema: string;
  probe: DatabaseProbe;
  close(): Promise<void>;
}

export interface PostgresOptions {
  migrate?: boolean;
  /** Connections per instance; every instance holds its own pool. */
  maxConnections?: number;
  /** An idle pooled connection failed (e.g. the server restarted); the pool replaces it. */
  onPoolError?: (error: Error) => void;
  /** Longest a statement may run (default 10 s); scripts that copy or rotate everything may allow more. */
  statementTimeoutMs?: number;
}

export const POSTGRES_MIGRATIONS_FOLDER = resolve(__dirname, '../../drizzle/postgres');
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Splits our own `schema` parameter off the URL; everything else is node-postgres's to read. */
export function parsePostgresUrl(databaseUrl: string): { connectionString: string; schema?: string; location: string } {
  const url = new URL(databaseUrl);
  const schemaName = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  // Only identifier characters: the name goes into the startup `options` string and into SQL identifiers.
  if (schemaName !== undefined && !SCHEMA_NAME.test(schemaName)) throw new Error('the schema parameter of DATABASE_URL must be a plain identifier');
  const location = `postgres://${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}${schemaName ? ` (schema ${schemaName})` : ''}`;
  return { connectionString: url.toString(), schema: schemaName, location };
}

// int8 (count(*), bigint millisecond columns) as numbers: every value we store fits in 2^53, and SQLite hands out numbers too.
const int8AsNumber: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.INT8 ? Number : types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

export async function openPostgresDatabase(databaseUrl: string, options: PostgresOptions = {}): Promise<PostgresDatabase> {
  const target = parsePostgresUrl(databaseUrl);
  const pool = new Pool({
    connectionString: target.connectionString,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A statement blocked by a lock or a partition fails instead of holding the request for ever.
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    query_timeout: (options.statementTimeoutMs ?? 10_000) + 2_000,
    keepAlive: true,
    types: int8AsNumber,
  });
  // Without a listener an idle connection's error would end the process.
  pool.on('error', (error) => options.onPoolError?.(error));
  try {
    const schemaName = target.schema ?? (await currentSchema(pool));
    const db = drizzle(pool, { schema });
    if (options.migrate !== false) await migratePostgres(pool, db, schemaName);
    let isOpen = true;
    return {
      dialect: 'postgres',
      db,
      pool,
      location: target.location,
      schema: schemaName,
      probe: postgresProbe(pool),
      async close() {
        if (!isOpen) return;
        isOpen = false;
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/**
 * Creates the schema if needed and applies pending migrations, with drizzle's bookkeeping table in the same schema.
 * An advisory lock keeps instances that start together from applying the same migration twice.
 */
export async function migratePostgres(pool: Pool, db: PostgresDb, schemaName: string): Promise<void> {
  const lockClient = await pool.connect();
  const lockKey = `ms-graph-gateway:migrate:${schemaName}`;
  try {
    await lockClient.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    await lockClient.query(`CREATE SCHEMA IF NOT EXISTS "${schemaName}"`);
    await migrate(db, { migrationsFolder: POSTGRES_MIGRATIONS_FOLDER, migrationsSchema: schemaName });
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    lockClient.release();
  }
}

async function currentSchema(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  const name = rows[0]?.schema;
  if (!name) throw new Error('no schema on the search_path of DATABASE_URL exists; name one with ?schema=');
  return name;
}
