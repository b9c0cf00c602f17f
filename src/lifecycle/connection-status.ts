// How a connection's status moves when a refresh fails or succeeds, and when the sweep tries a failing one again.
// Entra ID refresh tokens lapse after 90 days unused: https://learn.microsoft.com/entra/identity-platform/refresh-tokens
import { exponentialDelayMs } from '../common/backoff';
import type { TokenErrorKind } from '../tokens/classify-token-error';

/** A plain object rather than a TS enum: the values are the very strings the token tables' status column holds. */
export const ConnectionStatus = {
  /** Tokens are fresh or refreshable. */
  ACTIVE: 'ACTIVE',
  /** Refreshes fail for a transient reason; the gateway keeps retrying. */
  REFRESH_FAILING: 'REFRESH_FAILING',
  /** Microsoft refused the grant for good; the user must sign in again. */
  NEEDS_RECONNECT: 'NEEDS_RECONNECT',
} as const;
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

export type ConnectionEventType =
  | 'connection.created'
  | 'connection.refresh_failing'
  | 'connection.reconnect_required'
  | 'connection.recovered'
  | 'connection.disconnected';

export const DEFAULT_REFRESH_GIVE_UP_AFTER_MS = 4 * 86_400_000;
/** First retry of a failing connection a minute later, doubling up to an hour: an outage is noticed soon after it ends. */
const FIRST_RETRY_DELAY_MS = 60_000;
const LONGEST_RETRY_DELAY_MS = 3_600_000;

/** What a failure is measured against: the row as it stands in the database. */
export interface FailureState {
  status: ConnectionStatus;
  refreshFailingSince: number | null;
  refreshFailureCount: number;
}

export interface StatusChange {
  status: ConnectionStatus;
  refreshFailingSince: number | null;
  nextRefreshAt: number | null;
  /** The webhook this change announces, when it changes what a receiver knows. */
  event?: ConnectionEventType;
}

/** A refresh failed: `unreadable` is a stored cache our keys cannot decrypt, which only a new sign-in mends. */
export function statusAfterFailure(current: FailureState, kind: TokenErrorKind | 'unreadable', now: number, giveUpAfterMs: number): StatusChange {
  if (current.status === ConnectionStatus.NEEDS_RECONNECT) return { status: current.status, refreshFailingSince: current.refreshFailingSince, nextRefreshAt: null };
  if (kind === 'reconnect' || kind === 'unreadable') return needsReconnect(current);
  const failingSince = current.refreshFailingSince ?? now;
  const nextRefreshAt = now + retryDelayMs(current.refreshFailureCount + 1);
  // Our own registration is refused: the users cannot fix that, so their connections are never given up for it.
  if (kind === 'configuration') return { status: current.status, refreshFailingSince: current.refreshFailingSince, nextRefreshAt };
  if (now - failingSince >= giveUpAfterMs) return needsReconnect(current);
  const isNewlyFailing = current.status === ConnectionStatus.ACTIVE;
  return {
    status: ConnectionStatus.REFRESH_FAILING,
    refreshFailingSince: failingSince,
    nextRefreshAt,
    ...(isNewlyFailing ? { event: 'connection.refresh_failing' as const } : {}),
  };
}

/** A refresh or sign-in succeeded: back to ACTIVE, announced when it had been anything else. */
export function statusAfterSuccess(previous: ConnectionStatus | undefined): StatusChange {
  const event = previous === undefined ? 'connection.created' : previous !== ConnectionStatus.ACTIVE ? 'connection.recovered' : undefined;
  return { status: ConnectionStatus.ACTIVE, refreshFailingSince: null, nextRefreshAt: null, ...(event ? { event } : {}) };
}

/** Delay before the sweep tries a connection again after its `failures`-th failure in a row. */
export function retryDelayMs(failures: number): number {
  return exponentialDelayMs(failures, FIRST_RETRY_DELAY_MS, LONGEST_RETRY_DELAY_MS);
}

/** The older flags the token tables keep beside the status, so readers of either see the same thing. */
export function flagsOf(status: ConnectionStatus): { isActive: boolean; needsReconnect: boolean } {
  const isGone = status === ConnectionStatus.NEEDS_RECONNECT;
  return { isActive: !isGone, needsReconnect: isGone };
}

function needsReconnect(current: FailureState): StatusChange {
  return { status: ConnectionStatus.NEEDS_RECONNECT, refreshFailingSince: current.refreshFailingSince, nextRefreshAt: null, event: 'connection.reconnect_required' };
}
