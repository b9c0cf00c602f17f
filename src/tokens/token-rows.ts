// The token-table rows both dialects read and write: the same columns and conversions, so both hand out the same objects.
import { and, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Channel } from '../config/channels';
import { pickColumns } from '../db/pick-columns';
import type { PostgresTokenTable } from '../db/schema.postgres';
import type { MicrosoftTokenTable } from '../db/schema.sqlite';
import { ConnectionStatus, flagsOf, statusAfterSuccess, type StatusChange } from '../lifecycle/connection-status';
import type { ConnectionWrite, StoredConnection } from './tokens.repository';

export interface AnnouncedSubject {
  channel: Channel;
  userId: string;
  microsoftUserId: string;
  now: Date;
}

/** What a failure is measured against (both dialects select exactly this). */
export function failureColumns<Table extends AnyTokenTable>(table: Table) {
  return pickColumns(table, ['status', 'refreshFailingSince', 'refreshFailureCount', 'microsoftUserId']);
}

/** The columns a failed refresh writes: the count, the safe code and the new status with its flags. */
export function failedRow(table: AnyTokenTable, errorCode: string, change: StatusChange, now: Date) {
  return {
    refreshFailureCount: sql`${table.refreshFailureCount} + 1`,
    lastErrorCode: errorCode,
    updatedAt: now.getTime(),
    status: change.status,
    refreshFailingSince: change.refreshFailingSince,
    nextRefreshAt: change.nextRefreshAt,
    ...flagsOf(change.status),
  };
}

/** The sweep's filter, on either dialect's table: still refreshable, idle since before `idleBefore`, past its backoff. */
export function dueForRefresh(table: AnyTokenTable, idleBefore: Date, now: Date) {
  return and(
    ne(table.status, ConnectionStatus.NEEDS_RECONNECT),
    or(isNull(table.lastRefreshedAt), lt(table.lastRefreshedAt, idleBefore.getTime())),
    or(isNull(table.nextRefreshAt), lte(table.nextRefreshAt, now.getTime())),
  );
}

/** Either dialect's token table: the helpers below only name columns, which both share. */
type AnyTokenTable = MicrosoftTokenTable | PostgresTokenTable;

/** A token row as both dialects return it (timestamps in Unix milliseconds, flags as booleans). */
export type ConnectionRow = MicrosoftTokenTable['$inferSelect'];

/** Shared by both dialects, so they hand out the same objects. */
export function toStoredConnection(channel: Channel, row: ConnectionRow): StoredConnection {
  return {
    ...row,
    channel,
    scopes: row.scopes ? row.scopes.split(' ') : [],
    accessTokenExpiresAt: toDate(row.accessTokenExpiresAt),
    lastUsedAt: toDate(row.lastUsedAt),
    lastRefreshedAt: toDate(row.lastRefreshedAt),
    refreshFailingSince: toDate(row.refreshFailingSince),
    nextRefreshAt: toDate(row.nextRefreshAt),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

/** The columns a fresh sign-in writes, on insert and on conflict alike: failure flags cleared. */
export function signInRow(values: ConnectionWrite, now: Date) {
  return {
    ...values,
    scopes: values.scopes.join(' '),
    accessTokenExpiresAt: values.accessTokenExpiresAt?.getTime() ?? null,
    lastRefreshedAt: now.getTime(),
    refreshFailureCount: 0,
    lastErrorCode: null,
    ...activeColumns(),
    updatedAt: now.getTime(),
  };
}

/** The columns a successful refresh writes. */
export function refreshedRow(cache: { tokenCacheEncrypted: string; accessTokenExpiresAt: Date | null }, now: Date) {
  return {
    tokenCacheEncrypted: cache.tokenCacheEncrypted,
    accessTokenExpiresAt: cache.accessTokenExpiresAt?.getTime() ?? null,
    lastRefreshedAt: now.getTime(),
    refreshFailureCount: 0,
    lastErrorCode: null,
    ...activeColumns(),
    updatedAt: now.getTime(),
  };
}

/** A refresh or sign-in that worked: ACTIVE, with the failure timestamps cleared. */
function activeColumns() {
  const { status, refreshFailingSince, nextRefreshAt } = statusAfterSuccess(ConnectionStatus.ACTIVE);
  return { status, refreshFailingSince, nextRefreshAt, ...flagsOf(status) };
}

function toDate(value: number | null): Date | null {
  return value === null ? null : new Date(value);
}
