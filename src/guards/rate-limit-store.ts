// Where rate-limit counters live: rate-limiter-flexible's memory store, or its Redis store when REDIS_URL is set.
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimitStore {
  limiterClass: typeof RateLimiterAbstract;
  limiterOptions: Record<string, unknown>;
  /** Whether counters are shared with other instances. */
  isShared: boolean;
  close(): Promise<void>;
}

export function createRateLimitStore(redisUrl: string | undefined): RateLimitStore {
  if (!redisUrl) {
    return { limiterClass: RateLimiterMemory as unknown as typeof RateLimiterAbstract, limiterOptions: {}, isShared: false, close: async () => {} };
  }
  // One quick retry per command: a rate-limit check that waits on a dead Redis holds the whole request.
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  client.on('error', () => {
    // ioredis reconnects by itself; the failing check surfaces as a masked error with a request id.
  });
  return {
    limiterClass: RateLimiterRedis as unknown as typeof RateLimiterAbstract,
    limiterOptions: { storeClient: client },
    isShared: true,
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
