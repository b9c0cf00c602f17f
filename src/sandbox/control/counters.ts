// Counts what clients did, for tests and demos: token grants, Graph calls per route, peak concurrency, throttling, notifications.
import type { SandboxCounters } from '../types';

function emptyCounters(): SandboxCounters {
  return {
    tokenGrants: { authorization_code: 0, refresh_token: 0 },
    refreshGrantsByUser: {},
    graphRequests: {},
    peakConcurrencyByMailbox: {},
    throttled: 0,
    notifications: { delivered: 0, failed: 0, retried: 0 },
  };
}

export class Counters {
  private values = emptyCounters();

  tokenGrant(grantType: 'authorization_code' | 'refresh_token', email: string): void {
    this.values.tokenGrants[grantType] += 1;
    if (grantType === 'refresh_token') this.values.refreshGrantsByUser[email] = (this.values.refreshGrantsByUser[email] ?? 0) + 1;
  }

  graphRequest(route: string): void {
    this.values.graphRequests[route] = (this.values.graphRequests[route] ?? 0) + 1;
  }

  concurrency(email: string, inFlight: number): void {
    this.values.peakConcurrencyByMailbox[email] = Math.max(this.values.peakConcurrencyByMailbox[email] ?? 0, inFlight);
  }

  throttled(): void {
    this.values.throttled += 1;
  }

  notifications(outcome: keyof SandboxCounters['notifications'], count: number): void {
    this.values.notifications[outcome] += count;
  }

  snapshot(): SandboxCounters {
    return structuredClone(this.values);
  }

  reset(): void {
    this.values = emptyCounters();
  }
}
