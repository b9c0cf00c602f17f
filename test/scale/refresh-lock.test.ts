// The cross-instance refresh lock against a real Redis: one holder at a time, owner-only release, lapses, Redis down.
import { RedisRefreshLock } from '../../src/scale/refresh-lock';
import { gate, heldTask, tasksThatMustOverlap } from '../support/gate';
import { whenCommandAnswers } from './support/command-watch';
import { useRedisInstances, useUnreachableRedis } from './support/redis-instances';
import { describeWithRedis } from './support/required-services';

// A lock that would give up waiting only after a minute: a waiter that missed a release hangs the test instead of passing late.
const NEVER_LAPSES_MS = 60_000;
const isRefused = (answer: unknown) => answer === null;

describeWithRedis('the Redis refresh lock', () => {
  const redis = useRedisInstances();

  it('lets one instance at a time run, and the other only after the first let go', async () => {
    const instanceB = await redis.open();
    const lockA = new RedisRefreshLock(redis.a, { pollMs: 10 });
    const lockB = new RedisRefreshLock(instanceB, { pollMs: 10, ttlMs: NEVER_LAPSES_MS });
    const timeline: string[] = [];
    const taskOfA = heldTask();
    const bWasRefused = whenCommandAnswers(instanceB, 'set', isRefused);

    const a = lockA.withLock('user-1', async () => {
      timeline.push('A starts');
      await taskOfA.run();
      timeline.push('A ends');
      return 'A';
    });
    await taskOfA.started;
    const b = lockB.withLock('user-1', async () => {
      timeline.push('B starts');
      return 'B';
    });
    await bWasRefused;
    taskOfA.release();

    expect(await Promise.all([a, b])).toEqual(['A', 'B']);
    expect(timeline).toEqual(['A starts', 'A ends', 'B starts']);
    expect(await redis.a.commands.exists(redis.a.name('refresh-lock:user-1'))).toBe(0);
  });

  it('does not make different users wait for each other', async () => {
    const lockA = new RedisRefreshLock(redis.a, { ttlMs: NEVER_LAPSES_MS });
    const lockB = new RedisRefreshLock(redis.b, { ttlMs: NEVER_LAPSES_MS });
    const [taskOfA, taskOfB] = tasksThatMustOverlap();
    await Promise.all([lockA.withLock('user-2', taskOfA), lockB.withLock('user-3', taskOfB)]);
  });

  it('never deletes a lock that lapsed and was taken by another instance meanwhile', async () => {
    const lockA = new RedisRefreshLock(redis.a, { ttlMs: 100, pollMs: 10 });
    const lockB = new RedisRefreshLock(redis.b, { ttlMs: NEVER_LAPSES_MS, pollMs: 10 });
    const key = redis.a.name('refresh-lock:user-4');
    const taskOfB = heldTask();

    // A outlives its 100 ms lock: its task ends only once B has taken the lapsed lock.
    const aRuns = gate();
    const a = lockA.withLock('user-4', async () => {
      aRuns.open();
      await taskOfB.started;
    });
    await aRuns.promise;
    const b = lockB.withLock('user-4', taskOfB.run);
    await a;
    const valueWhileBHolds = await redis.b.commands.get(key);
    taskOfB.release();
    await b;

    expect(valueWhileBHolds).not.toBeNull();
    expect(await redis.b.commands.exists(key)).toBe(0);
  });

  it('waits for a crashed holder only until its lock lapses', async () => {
    const key = redis.a.name('refresh-lock:user-5');
    await redis.a.commands.set(key, 'an instance that died', 'PX', NEVER_LAPSES_MS);
    const survivor = await redis.open();
    const lock = new RedisRefreshLock(survivor, { pollMs: 10, ttlMs: NEVER_LAPSES_MS });
    const wasRefused = whenCommandAnswers(survivor, 'set', isRefused);
    let holderWhileRunning: string | null = null;

    const run = lock.withLock('user-5', async () => {
      holderWhileRunning = await survivor.commands.get(key);
    });
    await wasRefused;
    // The dead holder's lock lapses now, as its TTL would have made it.
    await redis.a.commands.pexpire(key, 1);
    await run;

    expect(holderWhileRunning).not.toBeNull();
    expect(holderWhileRunning).not.toBe('an instance that died');
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
