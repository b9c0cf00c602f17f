// Rate-limit settings: RATE_LIMITS overrides for the limits declared on fields (@RateLimit) and for plain routes.
import type { GatewayConfig } from '../config/config.types';
import { PER_MINUTE } from './field-rules';

export interface FieldRateLimit {
  /** Calls allowed per caller within the window. */
  limit: number;
  /** Window length in seconds. */
  duration: number;
}

export type RateLimitTable = Record<string, FieldRateLimit>;

/**
 * Plain HTTP routes limited per client address, named in RATE_LIMITS like fields. The callback redeems a code at
 * Microsoft and writes rows for every request that looks right: forged callbacks must not come by the thousand.
 */
export const DEFAULT_ROUTE_RATE_LIMITS: Readonly<RateLimitTable> = Object.freeze({
  microsoftCallback: { limit: 30, duration: PER_MINUTE },
  // Graph posts from a few addresses, batching changes; a busy tenant's notifications must pass, a flood must not.
  microsoftNotifications: { limit: 600, duration: PER_MINUTE },
});

/** RATE_LIMITS as a table of overrides (fields and routes); 'off' when rate limiting is turned off. */
export function rateLimitOverrides(rateLimits: GatewayConfig['rateLimits']): RateLimitTable | 'off' {
  if (rateLimits === 'off') return 'off';
  return Object.fromEntries(Object.entries(rateLimits).map(([name, { points, durationSeconds }]) => [name, { limit: points, duration: durationSeconds }]));
}

/** The route limits in force: the defaults with configured overrides, or none at all when RATE_LIMITS=off. */
export function effectiveRouteRateLimits(rateLimits: GatewayConfig['rateLimits']): RateLimitTable {
  const overrides = rateLimitOverrides(rateLimits);
  if (overrides === 'off') return {};
  const table: RateLimitTable = { ...DEFAULT_ROUTE_RATE_LIMITS };
  for (const name of Object.keys(DEFAULT_ROUTE_RATE_LIMITS)) if (overrides[name]) table[name] = overrides[name];
  return table;
}
