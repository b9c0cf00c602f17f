// The cross-instance refresh lock against a real Redis: one holder at a time, owner-only release, lapses, Redis down.
import { RedisRefreshLock } from '../../src/scale/refresh-lock';
import { useRedisInstances, useUnreachableRedis } from './support/redis-instances';
import { describeWithRedis } from './support/required-services';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeWithRedis('the Redis refresh lock', () => {
  const redis = useRedisInstances();

  it('lets one instance at a time run, and the other only after the first let go', async () => {
    const lockA = new RedisRefreshLock(redis.a, { pollMs: 10 });
    const lockB = new RedisRefreshLock(redis.b, { pollMs: 10 });
    const timeline: string[] = [];
    let running = 0;
    let mostRunning = 0;
    const task = (name: string) => async () => {
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      timeline.push(`${name} starts`);
      await sleep(80);
      timeline.push(`${name} ends`);
      running -= 1;
      return name;
    };

    const results = await Promise.all([lockA.withLock('user-1', task('A')), sleep(5).then(() => lockB.withLock('user-1', task('B')))]);

    expect(results).toEqual(['A', 'B']);
    expect(mostRunning).toBe(1);
    expect(timeline).toEqual(['A starts', 'A ends', 'B starts', 'B ends']);
    expect(await redis.a.commands.exists(redis.a.name('refresh-lock:user-1'))).toBe(0);
  });

  it('does not make different users wait for each other', async () => {
    const lockA = new RedisRefreshLock(redis.a);
    const lockB = new RedisRefreshLock(redis.b);
    const startedAt = Date.now();
    await Promise.all([lockA.withLock('user-2', () => sleep(150)), lockB.withLock('user-3', () => sleep(150))]);
    expect(Date.now() - startedAt).toBeLessThan(290);
  });

  it('never deletes a lock that lapsed and was taken by another instance meanwhile', async () => {
    const lockA = new RedisRefreshLock(redis.a, { ttlMs: 100, pollMs: 10 });
    const lockB = new RedisRefreshLock(redis.b, { ttlMs: 5_000, pollMs: 10 });
    const key = redis.a.name('refresh-lock:user-4');
    let valueWhileBHolds: string | null = null;
    let releaseB!: () => void;
    const bHolds = new Promise<void>((resolve) => {
      releaseB = resolve;
    });

    const a = lockA.withLock('user-4', () => sleep(300));
    await sleep(20);
    const b = lockB.withLock('user-4', async () => {
      await bHolds;
    });
    await a;
    valueWhileBHolds = await redis.b.commands.get(key);
    releaseB();
    await b;

    expect(valueWhileBHolds).not.toBeNull();
    expect(await redis.b.commands.exists(key)).toBe(0);
  });

  it('waits for a crashed holder only until its lock lapses', async () => {
    const key = redis.a.name('refresh-lock:user-5');
    await redis.a.commands.set(key, 'an instance that died', 'PX', 200);
    const lock = new RedisRefreshLock(redis.b, { pollMs: 20 });
    const startedAt = Date.now();
    await lock.withLock('user-5', async () => undefined);
    const waitedMs = Date.now() - startedAt;
    expect(waitedMs).toBeGreaterThanOrEqual(150);
    expect(waitedMs).toBeLessThan(2_000);
  });
});

describe('the Redis refresh lock without Redis', () => {
  const unreachable = useUnreachableRedis();

  it('runs the task anyway and reports that Redis failed', async () => {
    const failures: unknown[] = [];
    const lock = new RedisRefreshLock(unreachable(), { onUnavailable: (error) => failures.push(error) });
    await expect(lock.withLock('user-6', async () => 'refreshed')).resolves.toBe('refreshed');
    expect(failures.length).toBeGreaterThan(0);
  });
});
