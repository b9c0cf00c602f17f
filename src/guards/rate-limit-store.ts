// Where rate-limit counters live: rate-limiter-flexible's memory store, or its Redis store on the gateway's shared Redis.
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedRedis } from '../scale/redis';

export interface RateLimitStore {
  limiterClass: typeof RateLimiterAbstract;
  limiterOptions: Record<string, unknown>;
  /** Whether counters are shared with other instances. */
  isShared: boolean;
}

/**
 * Redis counters with rate-limiter-flexible's insurance limiter: while Redis does not answer, each instance
 * counts in memory with the same limit instead of failing every rate-limited field. While the connection is down
 * it goes to memory at once (rejectIfRedisNotReady) rather than letting each request wait for a reconnect attempt.
 */
export class RateLimiterRedisWithFallback extends RateLimiterRedis {
  constructor(options: ConstructorParameters<typeof RateLimiterRedis>[0]) {
    super({
      ...options,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: options.points, duration: options.duration, keyPrefix: options.keyPrefix }),
    });
  }
}

/** With Redis (REDIS_URL), every instance counts against the same keys; the connection belongs to the caller. */
export function createRateLimitStore(redis: SharedRedis | undefined): RateLimitStore {
  if (!redis) {
    return { limiterClass: RateLimiterMemory as unknown as typeof RateLimiterAbstract, limiterOptions: {}, isShared: false };
  }
  return {
    limiterClass: RateLimiterRedisWithFallback as unknown as typeof RateLimiterAbstract,
    limiterOptions: { storeClient: redis.commands, keyPrefix: redis.name('rate-limit') },
    isShared: true,
  };
}
