// How a connection's status moves on refresh failures and successes, and when the sweep retries.
import { ConnectionStatus, retryDelayMs, statusAfterFailure, statusAfterSuccess } from '../../src/lifecycle/connection-status';

const DAY = 86_400_000;
const GIVE_UP = 4 * DAY;
const NOW = 100 * DAY;

describe('statusAfterFailure', () => {
  it.each([
    ['an active connection failing transiently', ConnectionStatus.ACTIVE, null, 'transient', ConnectionStatus.REFRESH_FAILING, NOW, 'connection.refresh_failing'],
    ['a failing connection within the give-up period', ConnectionStatus.REFRESH_FAILING, NOW - DAY, 'transient', ConnectionStatus.REFRESH_FAILING, NOW - DAY, undefined],
    ['a failing connection past the give-up period', ConnectionStatus.REFRESH_FAILING, NOW - GIVE_UP, 'transient', ConnectionStatus.NEEDS_RECONNECT, NOW - GIVE_UP, 'connection.reconnect_required'],
    ['an active connection refused for good', ConnectionStatus.ACTIVE, null, 'reconnect', ConnectionStatus.NEEDS_RECONNECT, null, 'connection.reconnect_required'],
    ['a failing connection refused for good', ConnectionStatus.REFRESH_FAILING, NOW - DAY, 'reconnect', ConnectionStatus.NEEDS_RECONNECT, NOW - DAY, 'connection.reconnect_required'],
    ['an unreadable stored cache', ConnectionStatus.ACTIVE, null, 'unreadable', ConnectionStatus.NEEDS_RECONNECT, null, 'connection.reconnect_required'],
    ['our own registration refused', ConnectionStatus.ACTIVE, null, 'configuration', ConnectionStatus.ACTIVE, null, undefined],
    ['a connection already given up', ConnectionStatus.NEEDS_RECONNECT, null, 'reconnect', ConnectionStatus.NEEDS_RECONNECT, null, undefined],
  ] as const)('moves %s', (_name, status, refreshFailingSince, kind, expectedStatus, expectedSince, expectedEvent) => {
    const change = statusAfterFailure({ status, refreshFailingSince, refreshFailureCount: 0 }, kind, NOW, GIVE_UP);
    expect(change.status).toBe(expectedStatus);
    expect(change.refreshFailingSince).toBe(expectedSince);
    expect(change.event).toBe(expectedEvent);
  });

  it('schedules the next sweep attempt after a transient failure, and none once given up', () => {
    expect(statusAfterFailure({ status: ConnectionStatus.ACTIVE, refreshFailingSince: null, refreshFailureCount: 0 }, 'transient', NOW, GIVE_UP).nextRefreshAt).toBe(NOW + 60_000);
    expect(statusAfterFailure({ status: ConnectionStatus.ACTIVE, refreshFailingSince: null, refreshFailureCount: 0 }, 'reconnect', NOW, GIVE_UP).nextRefreshAt).toBeNull();
  });
});

describe('statusAfterSuccess', () => {
  it.each([
    [undefined, 'connection.created'],
    [ConnectionStatus.ACTIVE, undefined],
    [ConnectionStatus.REFRESH_FAILING, 'connection.recovered'],
    [ConnectionStatus.NEEDS_RECONNECT, 'connection.recovered'],
  ] as const)('after %s announces %s', (previous, event) => {
    expect(statusAfterSuccess(previous)).toEqual({ status: ConnectionStatus.ACTIVE, refreshFailingSince: null, nextRefreshAt: null, ...(event ? { event } : {}) });
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, 60_000],
    [2, 120_000],
    [6, 1_920_000],
    [7, 3_600_000],
    [50, 3_600_000],
  ])('after %i failures waits %i ms', (failures, delay) => {
    expect(retryDelayMs(failures)).toBe(delay);
  });
});
