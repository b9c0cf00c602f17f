// While Redis does not answer, rate limits keep counting in memory instead of failing the field.
import Redis from 'ioredis';
import { RateLimiterRedisWithFallback } from '../../src/guards/rate-limit-store';

describe('the Redis rate-limit store', () => {
  // Port 1 on loopback refuses connections at once; no offline queue, so every command fails fast.
  const unreachable = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  unreachable.on('error', () => undefined);
  afterAll(() => unreachable.disconnect());

  it('falls back to an in-memory count with the same limit when Redis fails', async () => {
    const limiter = new RateLimiterRedisWithFallback({ storeClient: unreachable, points: 2, duration: 60, keyPrefix: 'test-fallback' });
    await expect(limiter.consume('caller')).resolves.toEqual(expect.objectContaining({ remainingPoints: 1 }));
    await expect(limiter.consume('caller')).resolves.toEqual(expect.objectContaining({ remainingPoints: 0 }));
    await expect(limiter.consume('caller')).rejects.toEqual(expect.objectContaining({ remainingPoints: 0 }));
  });
});
