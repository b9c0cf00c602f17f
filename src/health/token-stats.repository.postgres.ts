// Token statistics of one channel in PostgreSQL: one statement, each count served by an index, as in SQLite.
import { getTableName } from 'drizzle-orm';
import type { Pool } from 'pg';
import type { Channel } from '../config/channels';
import { postgresTokenTableFor } from '../db/channel-tables.postgres';
import { EXPIRING_SOON_MS, type TokenCounts, type TokenStatsRepository } from './token-stats.repository';

const LAST_HOUR_MS = 60 * 60_000;

/**
 * The SQLite statement with positional parameters ($1 now, $2 soon, $3 an hour ago, $4 channel), booleans as
 * booleans and counts as int (count(*) is bigint, which the gateway's pool would hand out as a number anyway).
 */
function statementText(table: string): string {
  return `SELECT
    (SELECT count(*)::int FROM "${table}") AS "total",
    (SELECT count(*)::int FROM "${table}" WHERE is_active = true) AS "active",
    (SELECT count(*)::int FROM "${table}" WHERE is_active = false) AS "inactive",
    (SELECT count(*)::int FROM "${table}" WHERE access_token_expires_at <= $1) AS "expired",
    (SELECT count(*)::int FROM "${table}" WHERE access_token_expires_at > $1 AND access_token_expires_at <= $2 AND is_active = true) AS "expiringSoon",
    (SELECT count(*)::int FROM "${table}" WHERE is_active IN (false, true) AND needs_reconnect = true) AS "needsReconnect",
    (SELECT count(*)::int FROM token_events WHERE channel = $4 AND kind = 'refreshed' AND created_at >= $3) AS "refreshedLastHour",
    (SELECT count(*)::int FROM token_events WHERE channel = $4 AND kind = 'refresh_failed' AND created_at >= $3) AS "refreshFailuresLastHour"`;
}

export class PostgresTokenStatsRepository implements TokenStatsRepository {
  constructor(private readonly pool: Pick<Pool, 'query'>) {}

  /** The SQL behind a channel's counts (for checking its query plan). */
  static statementFor(channel: Channel): string {
    return statementText(getTableName(postgresTokenTableFor(channel)));
  }

  /** The parameters of statementFor, in order. */
  static parametersFor(channel: Channel, now: Date): unknown[] {
    const at = now.getTime();
    return [at, at + EXPIRING_SOON_MS, at - LAST_HOUR_MS, channel];
  }

  async countsFor(channel: Channel, now = new Date()): Promise<TokenCounts> {
    const { rows } = await this.pool.query<TokenCounts>({
      // A named statement is parsed and planned once per connection, as SQLite's prepared statement is once per process.
      name: `token-stats-${channel}`,
      text: PostgresTokenStatsRepository.statementFor(channel),
      values: PostgresTokenStatsRepository.parametersFor(channel, now),
    });
    return rows[0];
  }
}
