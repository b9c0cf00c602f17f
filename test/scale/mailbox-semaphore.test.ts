// The shared per-mailbox semaphore against a real Redis: a bound across instances, lapsed leases, Redis down.
import { randomUUID } from 'node:crypto';
import { localThenShared, MailboxLimiter } from '../../src/microsoft/graph-mailbox-limiter';
import { RedisMailboxSemaphore } from '../../src/scale/mailbox-semaphore';
import { openSharedRedis, type SharedRedis } from '../../src/scale/redis';
import { describeWithRedis, REDIS_URL } from './support/required-services';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeWithRedis('the Redis mailbox semaphore', () => {
  const keyPrefix = `test:${randomUUID()}:`;
  const connections: SharedRedis[] = [];
  let redisA: SharedRedis;
  let redisB: SharedRedis;

  beforeAll(async () => {
    redisA = openSharedRedis(REDIS_URL, { keyPrefix });
    redisB = openSharedRedis(REDIS_URL, { keyPrefix });
    connections.push(redisA, redisB);
    // Until connected, the lock and the semaphore fall back rather than wait: the tests need them connected.
    for (const connection of connections) expect(await connection.whenReady(5_000)).toBe(true);
  });
  afterAll(async () => {
    for (const connection of connections) await connection.close();
  });

  it('keeps two instances together at 4 requests in flight per mailbox', async () => {
    const instances = [redisA, redisB].map((redis) => localThenShared(new MailboxLimiter(4), new RedisMailboxSemaphore(redis)));
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
    expect(await new RedisMailboxSemaphore(redisA).inFlight('main:mailbox-1')).toBe(0);
  });

  it('does not make one mailbox wait for another', async () => {
    const semaphore = new RedisMailboxSemaphore(redisA, { concurrentRequestsPerMailbox: 1 });
    const startedAt = Date.now();
    await Promise.all([semaphore.run('main:mailbox-2', () => sleep(150)), semaphore.run('main:mailbox-3', () => sleep(150))]);
    expect(Date.now() - startedAt).toBeLessThan(290);
  });

  it('gives the slots of a crashed instance back when their leases lapse', async () => {
    const crashed = new RedisMailboxSemaphore(redisA, { leaseMs: 200 });
    const never = new Promise<void>(() => undefined);
    // Four requests that never finish stand for an instance that died holding every slot.
    for (let index = 0; index < 4; index += 1) void crashed.run('main:mailbox-4', () => never);
    await sleep(50);
    const survivor = new RedisMailboxSemaphore(redisB);
    expect(await survivor.inFlight('main:mailbox-4')).toBe(4);

    const startedAt = Date.now();
    await survivor.run('main:mailbox-4', async () => undefined);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(100);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('sends anyway once the longest wait has passed', async () => {
    const holder = new RedisMailboxSemaphore(redisA, { concurrentRequestsPerMailbox: 1, leaseMs: 5_000 });
    const waiter = new RedisMailboxSemaphore(redisB, { concurrentRequestsPerMailbox: 1, maxWaitMs: 100 });
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
  let unreachable: SharedRedis | undefined;
  afterAll(async () => {
    await unreachable?.close();
  });

  it('lets the request go ahead and reports that Redis failed', async () => {
    unreachable = openSharedRedis('redis://127.0.0.1:1');
    const failures: unknown[] = [];
    const semaphore = new RedisMailboxSemaphore(unreachable, { onUnavailable: (error) => failures.push(error) });
    await expect(semaphore.run('main:mailbox-6', async () => 'sent')).resolves.toBe('sent');
    expect(failures.length).toBeGreaterThan(0);
  });
});
