// Copies users, sessions, unexpired sign-in states, both token tables and token events from SQLite into an empty PostgreSQL, in one transaction.
import { asc, count, getTableName, gt, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { ALL_CHANNELS } from '../config/channels';
import { tokenTableFor } from './channel-tables';
import { postgresTokenTableFor } from './channel-tables.postgres';
import type { PostgresDatabase } from './postgres-database';
import * as postgres from './schema.postgres';
import * as sqlite from './schema.sqlite';
import type { SqliteDatabase } from './sqlite-database';

export interface CopySummary {
  users: number;
  sessions: number;
  oauthStates: number;
  /** Rows per token table, by table name. */
  tokens: Record<string, number>;
  tokenEvents: number;
}

/** The target already holds data: copying twice would duplicate or clash with it, so nothing is written. */
export class TargetNotEmptyError extends Error {
  constructor(readonly table: string) {
    super(`the PostgreSQL target is not empty (table ${table} has rows); copy into a fresh database or schema`);
    this.name = 'TargetNotEmptyError';
  }
}

/** Rows per INSERT: the widest copied table has about 20 columns, far below PostgreSQL's 65,535 parameters per statement. */
const BATCH_ROWS = 1_000;

/**
 * Tokens stay encrypted as they are: the envelopes are bound to channel and user id, which are copied unchanged,
 * so a gateway on PostgreSQL with the same SECRET_KEY / TOKEN_ENCRYPTION_KEY reads them.
 */
export async function copySqliteToPostgres(source: SqliteDatabase, target: PostgresDatabase, now = new Date()): Promise<CopySummary> {
  const from = source.db;
  const rows = {
    users: from.select().from(sqlite.users).orderBy(asc(sqlite.users.createdAt)).all(),
    sessions: from.select().from(sqlite.sessions).all(),
    // An expired state can only ever answer "expired"; a pending sign-in may still come back after the switch.
    oauthStates: from.select().from(sqlite.oauthStates).where(gt(sqlite.oauthStates.expiresAt, now.getTime())).all(),
    tokens: ALL_CHANNELS.map((channel) => ({ channel, rows: from.select().from(tokenTableFor(channel)).all() })),
    tokenEvents: from.select().from(sqlite.tokenEvents).orderBy(asc(sqlite.tokenEvents.id)).all(),
  };
  const targets: PgTable[] = [
    postgres.users,
    postgres.sessions,
    postgres.oauthStates,
    ...ALL_CHANNELS.map((channel) => postgresTokenTableFor(channel)),
    postgres.tokenEvents,
  ];
  await target.db.transaction(async (tx) => {
    // Other writers wait until the copy commits; a gateway must not start on the target halfway through.
    await tx.execute(sql.raw(`LOCK TABLE ${targets.map((table) => `"${getTableName(table)}"`).join(', ')} IN EXCLUSIVE MODE`));
    for (const table of targets) {
      const [{ rows: existing }] = await tx.select({ rows: count() }).from(table);
      if (existing > 0) throw new TargetNotEmptyError(getTableName(table));
    }
    // Parents before children, as the foreign keys require.
    await insertInBatches(tx, postgres.users, rows.users);
    await insertInBatches(tx, postgres.sessions, rows.sessions);
    await insertInBatches(tx, postgres.oauthStates, rows.oauthStates);
    for (const { channel, rows: tokenRows } of rows.tokens) await insertInBatches(tx, postgresTokenTableFor(channel), tokenRows);
    await insertInBatches(tx, postgres.tokenEvents, rows.tokenEvents);
    // Ids were copied as they were: the identity sequence continues after the largest.
    await tx.execute(sql`SELECT setval(pg_get_serial_sequence('token_events', 'id'), GREATEST((SELECT max(id) FROM token_events), 1), (SELECT count(*) > 0 FROM token_events))`);
  });
  return {
    users: rows.users.length,
    sessions: rows.sessions.length,
    oauthStates: rows.oauthStates.length,
    tokens: Object.fromEntries(rows.tokens.map(({ channel, rows: tokenRows }) => [getTableName(postgresTokenTableFor(channel)), tokenRows.length])),
    tokenEvents: rows.tokenEvents.length,
  };
}

type Transaction = Parameters<Parameters<PostgresDatabase['db']['transaction']>[0]>[0];

async function insertInBatches(tx: Transaction, table: PgTable, rows: Array<Record<string, unknown>>): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    await tx.insert(table).values(rows.slice(start, start + BATCH_ROWS));
  }
}
