// The shared per-mailbox semaphore against a real Redis: a bound across instances, lapsed leases, Redis down.
import { localThenShared, MailboxLimiter } from '../../src/microsoft/graph-mailbox-limiter';
import { RedisMailboxSemaphore } from '../../src/scale/mailbox-semaphore';
import { useRedisInstances, useUnreachableRedis } from './support/redis-instances';
import { describeWithRedis } from './support/required-services';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeWithRedis('the Redis mailbox semaphore', () => {
  const redis = useRedisInstances();

  it('keeps two instances together at 4 requests in flight per mailbox', async () => {
    const instances = [redis.a, redis.b].map((redis) => localThenShared(new MailboxLimiter(4), new RedisMailboxSemaphore(redis)));
    let inFlight = 0;
    let peak = 0;
    const request = async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await sleep(30);
      inFlight -= 1;
      return 'done';
    };

    const results = await Promise.all(Array.from({ length: 24 }, (_, index) => instances[index % 2].run('main:mailbox-1', request)));

    expect(results).toHaveLength(24);
    expect(peak).toBe(4);
    expect(await new RedisMailboxSemaphore(redis.a).inFlight('main:mailbox-1')).toBe(0);
  });

  it('wakes a waiter on another instance as soon as a slot is given back', async () => {
    // Looking again only every 5 s: a prompt hand-over can only come from the release message.
    const holder = new RedisMailboxSemaphore(redis.a, { concurrentRequestsPerMailbox: 1 });
    const waiter = new RedisMailboxSemaphore(redis.b, { concurrentRequestsPerMailbox: 1, recheckMs: 5_000 });
    let releasedAt = 0;
    const held = holder.run('main:mailbox-7', async () => {
      await sleep(100);
      releasedAt = Date.now();
    });
    await sleep(20);
    let startedAt = 0;
    await waiter.run('main:mailbox-7', async () => {
      startedAt = Date.now();
    });
    await held;
    expect(startedAt - releasedAt).toBeLessThan(1_000);
  });

  it('does not make one mailbox wait for another', async () => {
    const semaphore = new RedisMailboxSemaphore(redis.a, { concurrentRequestsPerMailbox: 1 });
    const startedAt = Date.now();
    await Promise.all([semaphore.run('main:mailbox-2', () => sleep(150)), semaphore.run('main:mailbox-3', () => sleep(150))]);
    expect(Date.now() - startedAt).toBeLessThan(290);
  });

  it('gives the slots of a crashed instance back when their leases lapse', async () => {
    const crashed = new RedisMailboxSemaphore(redis.a, { leaseMs: 200 });
    const never = new Promise<void>(() => undefined);
    // Four requests that never finish stand for an instance that died holding every slot.
    for (let index = 0; index < 4; index += 1) void crashed.run('main:mailbox-4', () => never);
    await sleep(50);
    const survivor = new RedisMailboxSemaphore(redis.b);
    expect(await survivor.inFlight('main:mailbox-4')).toBe(4);

    const startedAt = Date.now();
    await survivor.run('main:mailbox-4', async () => undefined);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(100);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('sends anyway once the longest wait has passed', async () => {
    const holder = new RedisMailboxSemaphore(redis.a, { concurrentRequestsPerMailbox: 1, leaseMs: 5_000 });
    const waiter = new RedisMailboxSemaphore(redis.b, { concurrentRequestsPerMailbox: 1, maxWaitMs: 100 });
    let releaseHolder!: () => void;
    const held = holder.run('main:mailbox-5', () => new Promise<void>((resolve) => {
      releaseHolder = resolve;
    }));
    await sleep(20);
    await expect(waiter.run('main:mailbox-5', async () => 'sent')).resolves.toBe('sent');
    releaseHolder();
    await held;
  });
});

describe('the Redis mailbox semaphore without Redis', () => {
  const unreachable = useUnreachableRedis();

  it('lets the request go ahead and reports that Redis failed', async () => {
    const failures: unknown[] = [];
    const semaphore = new RedisMailboxSemaphore(unreachable(), { onUnavailable: (error) => failures.push(error) });
    await expect(semaphore.run('main:mailbox-6', async () => 'sent')).resolves.toBe('sent');
    expect(failures.length).toBeGreaterThan(0);
  });
});
