// The shared per-mailbox semaphore against a real Redis: a bound across instances, lapsed leases, Redis down.
import { localThenShared, MailboxLimiter } from '../../src/microsoft/graph-mailbox-limiter';
import { RedisMailboxSemaphore } from '../../src/scale/mailbox-semaphore';
import { gate, heldTask, tasksThatMustOverlap } from '../support/gate';
import { whenCommandAnswers } from './support/command-watch';
import { useRedisInstances, useUnreachableRedis } from './support/redis-instances';
import { describeWithRedis } from './support/required-services';

// Waits and rechecks that would only end after a minute: a waiter that missed its wake-up hangs the test instead of passing late.
const A_MINUTE_MS = 60_000;
const isDenied = (answer: unknown) => answer === 0;

describeWithRedis('the Redis mailbox semaphore', () => {
  const redis = useRedisInstances();

  it('keeps two instances together at 4 requests in flight per mailbox', async () => {
    const instances = [redis.a, redis.b].map((redis) => localThenShared(new MailboxLimiter(4), new RedisMailboxSemaphore(redis)));
    const fourInFlight = gate();
    let inFlight = 0;
    let peak = 0;
    // The first requests hold their slots until four run at once; a fifth would have to get in beside them.
    const request = async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      if (inFlight === 4) fourInFlight.open();
      await fourInFlight.promise;
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return 'done';
    };

    const results = await Promise.all(Array.from({ length: 24 }, (_, index) => instances[index % 2].run('main:mailbox-1', request)));

    expect(results).toHaveLength(24);
    expect(peak).toBe(4);
    expect(await new RedisMailboxSemaphore(redis.a).inFlight('main:mailbox-1')).toBe(0);
  });

  it('wakes a waiter on another instance when a slot is given back, without looking again by itself', async () => {
    const waiterRedis = await redis.open();
    const holder = new RedisMailboxSemaphore(redis.a, { concurrentRequestsPerMailbox: 1 });
    const waiter = new RedisMailboxSemaphore(waiterRedis, { concurrentRequestsPerMailbox: 1, recheckMs: A_MINUTE_MS, maxWaitMs: A_MINUTE_MS });
    const holding = heldTask();
    const held = holder.run('main:mailbox-7', holding.run);
    await holding.started;
    const waiterWasDenied = whenCommandAnswers(waiterRedis, 'eval', isDenied);
    const waited = waiter.run('main:mailbox-7', async () => 'ran');
    await waiterWasDenied;
    // The waiter subscribed before it asked; a subscribe on the same connection returns once that one is confirmed.
    await waiterRedis.subscriber().subscribe(waiterRedis.name('mailbox-released'));
    holding.release();

    await held;
    expect(await waited).toBe('ran');
  });

  it('does not make one mailbox wait for another', async () => {
    const semaphore = new RedisMailboxSemaphore(redis.a, { concurrentRequestsPerMailbox: 1, maxWaitMs: A_MINUTE_MS });
    const [first, second] = tasksThatMustOverlap();
    await Promise.all([semaphore.run('main:mailbox-2', first), semaphore.run('main:mailbox-3', second)]);
  });

  it('gives the slots of a crashed instance back when their leases lapse', async () => {
    const crashed = new RedisMailboxSemaphore(redis.a, { leaseMs: 200 });
    const never = new Promise<void>(() => undefined);
    const allHeld = gate();
    let held = 0;
    // Four requests that never finish stand for an instance that died holding every slot.
    for (let index = 0; index < 4; index += 1) {
      void crashed.run('main:mailbox-4', () => {
        held += 1;
        if (held === 4) allHeld.open();
        return never;
      });
    }
    await allHeld.promise;
    const survivorRedis = await redis.open();
    const survivor = new RedisMailboxSemaphore(survivorRedis, { maxWaitMs: A_MINUTE_MS });
    expect(await survivor.inFlight('main:mailbox-4')).toBe(4);

    const survivorWasDenied = whenCommandAnswers(survivorRedis, 'eval', isDenied);
    const sent = survivor.run('main:mailbox-4', async () => 'sent');
    await survivorWasDenied;
    await expect(sent).resolves.toBe('sent');
  });

  it('sends anyway once the longest wait has passed', async () => {
    const holder = new RedisMailboxSemaphore(redis.a, { concurrentRequestsPerMailbox: 1, leaseMs: 5_000 });
    const waiter = new RedisMailboxSemaphore(redis.b, { concurrentRequestsPerMailbox: 1, maxWaitMs: 100 });
    const holding = heldTask();
    const held = holder.run('main:mailbox-5', holding.run);
    await holding.started;
    await expect(waiter.run('main:mailbox-5', async () => 'sent')).resolves.toBe('sent');
    holding.release();
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
