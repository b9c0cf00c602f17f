// The per-field rate limits of the gateway (the guards issue's table), with RATE_LIMITS overrides applied.
import type { GatewayConfig } from '../config/config.types';

export interface FieldRateLimit {
  /** Calls allowed per caller within the window. */
  limit: number;
  /** Window length in seconds. */
  duration: number;
}

export type RateLimitTable = Record<string, FieldRateLimit>;

const PER_MINUTE = 60;
const PER_HOUR = 3600;

/**
 * Sign-in start is cheap for an attacker and costly for us (state rows, Microsoft redirects); completion is rarer still.
 * Calendar reads fan out to Graph, whose own throttling is per app and mailbox, so we stay well below it.
 * Admin fields are counted before the admin token is checked, so the limit also slows guessing at ADMIN_TOKEN.
 */
export const DEFAULT_RATE_LIMITS: Readonly<RateLimitTable> = Object.freeze({
  startMicrosoftSignIn: { limit: 10, duration: PER_MINUTE },
  completeMicrosoftSignIn: { limit: 20, duration: PER_HOUR },
  viewer: { limit: 100, duration: PER_MINUTE },
  microsoftProfile: { limit: 100, duration: PER_MINUTE },
  calendar: { limit: 100, duration: PER_MINUTE },
  events: { limit: 200, duration: PER_MINUTE },
  event: { limit: 200, duration: PER_MINUTE },
  eventInstances: { limit: 200, duration: PER_MINUTE },
  schedule: { limit: 100, duration: PER_MINUTE },
  createEvent: { limit: 50, duration: PER_MINUTE },
  updateEvent: { limit: 50, duration: PER_MINUTE },
  deleteEvent: { limit: 50, duration: PER_MINUTE },
  respondToEvent: { limit: 50, duration: PER_MINUTE },
  cancelEvent: { limit: 50, duration: PER_MINUTE },
  tokenStats: { limit: 30, duration: PER_MINUTE },
});

/**
 * Plain HTTP routes limited per client address, named in RATE_LIMITS like fields. The callback redeems a code at
 * Microsoft and writes rows for every request that looks right: forged callbacks must not come by the thousand.
 */
export const DEFAULT_ROUTE_RATE_LIMITS: Readonly<RateLimitTable> = Object.freeze({
  microsoftCallback: { limit: 30, duration: PER_MINUTE },
});

/** Every name RATE_LIMITS may override. */
export const RATE_LIMITED_NAMES: readonly string[] = [...Object.keys(DEFAULT_RATE_LIMITS), ...Object.keys(DEFAULT_ROUTE_RATE_LIMITS)];

/** The limits in force (fields and routes): the defaults with configured overrides, or none at all when RATE_LIMITS=off. */
export function effectiveRateLimits(rateLimits: GatewayConfig['rateLimits']): RateLimitTable {
  if (rateLimits === 'off') return {};
  const table: RateLimitTable = { ...DEFAULT_RATE_LIMITS, ...DEFAULT_ROUTE_RATE_LIMITS };
  for (const [field, override] of Object.entries(rateLimits)) {
    table[field] = { limit: override.points, duration: override.durationSeconds };
  }
  return table;
}
