// Token statistics of one channel in a single SQL statement, each count served by an index.
import type Database from 'better-sqlite3';
import { getTableName } from 'drizzle-orm';
import { Channel } from '../config/channels';
import { tokenTableFor } from '../db/channel-tables';

export interface TokenCounts {
  total: number;
  active: number;
  inactive: number;
  expired: number;
  expiringSoon: number;
  needsReconnect: number;
  refreshedLastHour: number;
  refreshFailuresLastHour: number;
}

export interface TokenStatsRepository {
  countsFor(channel: Channel, now?: Date): Promise<TokenCounts>;
}

export const EXPIRING_SOON_MS = 5 * 60_000;
const LAST_HOUR_MS = 60 * 60_000;

/**
 * Each scalar subquery is shaped for one index: `*_state_idx` (is_active, needs_reconnect), `*_expiry_active_idx`
 * (access_token_expires_at, is_active: expiringSoon reads no row) and `token_events_channel_kind_time_idx`
 * (channel, kind, created_at).
 * `active` is the total less the inactive (is_active is NOT NULL): SQLite counts a whole table from its pages' cell
 * counts, and inactive connections are few, where visiting each active one grows with the table.
 * `is_active IN (0, 1)` lets needs_reconnect use the state index, whose leading column is is_active.
 * `+is_active` keeps SQLite from picking the state index for expiringSoon (equality looks cheaper than a range to a
 * planner without statistics) and reading every active row for its expiry.
 */
function statementText(table: string): string {
  return `SELECT
    (SELECT count(*) FROM "${table}") AS total,
    (SELECT count(*) FROM "${table}") - (SELECT count(*) FROM "${table}" WHERE is_active = 0) AS active,
    (SELECT count(*) FROM "${table}" WHERE is_active = 0) AS inactive,
    (SELECT count(*) FROM "${table}" WHERE access_token_expires_at <= @now) AS expired,
    (SELECT count(*) FROM "${table}" WHERE access_token_expires_at > @now AND access_token_expires_at <= @soon AND +is_active = 1) AS expiringSoon,
    (SELECT count(*) FROM "${table}" WHERE is_active IN (0, 1) AND needs_reconnect = 1) AS needsReconnect,
    (SELECT count(*) FROM token_events WHERE channel = @channel AND kind = 'refreshed' AND created_at >= @hourAgo) AS refreshedLastHour,
    (SELECT count(*) FROM token_events WHERE channel = @channel AND kind = 'refresh_failed' AND created_at >= @hourAgo) AS refreshFailuresLastHour`;
}

export class SqliteTokenStatsRepository implements TokenStatsRepository {
  private readonly statements: Record<Channel, Database.Statement>;

  constructor(private readonly sqlite: Database.Database) {
    this.statements = {
      [Channel.MAIN]: this.prepare(Channel.MAIN),
      [Channel.BETA]: this.prepare(Channel.BETA),
    };
  }

  /** The SQL behind a channel's counts (for checking its query plan). */
  static statementFor(channel: Channel): string {
    return statementText(getTableName(tokenTableFor(channel)));
  }

  async countsFor(channel: Channel, now = new Date()): Promise<TokenCounts> {
    const at = now.getTime();
    return this.statements[channel].get({ now: at, soon: at + EXPIRING_SOON_MS, hourAgo: at - LAST_HOUR_MS, channel }) as TokenCounts;
  }

  private prepare(channel: Channel): Database.Statement {
    return this.sqlite.prepare(SqliteTokenStatsRepository.statementFor(channel));
  }
}
