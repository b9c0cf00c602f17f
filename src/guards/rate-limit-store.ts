// Where rate-limit counters live: rate-limiter-flexible's memory store, or its Redis store on the gateway's shared Redis.
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedRedis } from '../scale/redis';

export interface RateLimitStore {
  limiterClass: typeof RateLimiterAbstract;
  limiterOptions: Record<string, unknown>;
  /** Whether counters are shared with other instances. */
  isShared: boolean;
}

/** With Redis (REDIS_URL), every instance counts against the same keys; the connection belongs to the caller. */
export function createRateLimitStore(redis: SharedRedis | undefined): RateLimitStore {
  if (!redis) {
    return { limiterClass: RateLimiterMemory as unknown as typeof RateLimiterAbstract, limiterOptions: {}, isShared: false };
  }
  // A failing check surfaces as a masked error with a request id; the connection retries a command once at most.
  return {
    limiterClass: RateLimiterRedis as unknown as typeof RateLimiterAbstract,
    limiterOptions: { storeClient: redis.commands, keyPrefix: redis.name('rate-limit') },
    isShared: true,
  };
}
