// Invalidation over Redis pub/sub: other instances hear of a change, the publisher ignores its echo, Redis down is survivable.
import { randomUUID } from 'node:crypto';
import { RedisInvalidationBus } from '../../src/scale/invalidation-bus';
import { useRedisInstances, useUnreachableRedis } from './support/redis-instances';
import { describeWithRedis } from './support/required-services';

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > giveUpAt) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describeWithRedis('the Redis invalidation bus', () => {
  const redis = useRedisInstances();
  const buses: RedisInvalidationBus[] = [];
  let busA: RedisInvalidationBus;
  let busB: RedisInvalidationBus;
  const heardByA: string[] = [];
  const heardByB: string[] = [];

  beforeAll(async () => {
    busA = new RedisInvalidationBus(redis.a);
    busB = new RedisInvalidationBus(redis.b);
    buses.push(busA, busB);
    busA.on('session', (id) => heardByA.push(`session ${id}`));
    busA.on('token', (id) => heardByA.push(`token ${id}`));
    busB.on('session', (id) => heardByB.push(`session ${id}`));
    busB.on('token', (id) => heardByB.push(`token ${id}`));
    await busA.start();
    await busB.start();
  });
  afterAll(async () => {
    for (const bus of buses) await bus.stop();
  });

  it('delivers a change to the other instance and not back to the publisher', async () => {
    await busA.publish({ kind: 'session', id: 'session-1' });
    await busA.publish({ kind: 'token', id: 'main:user-1' });
    await eventually(() => heardByB.length === 2);
    expect(heardByB).toEqual(['session session-1', 'token main:user-1']);
    expect(heardByA).toEqual([]);
  });

  it('keeps deployments with different prefixes apart', async () => {
    const other = new RedisInvalidationBus(await redis.open(`test:${randomUUID()}:`));
    await other.publish({ kind: 'session', id: 'elsewhere' });
    await busA.publish({ kind: 'session', id: 'marker' });
    await eventually(() => heardByB.includes('session marker'));
    expect(heardByB).not.toContain('session elsewhere');
  });

  it('ignores messages that are not invalidations', async () => {
    await redis.a.commands.publish(redis.a.name('invalidate'), 'not json');
    await redis.a.commands.publish(redis.a.name('invalidate'), JSON.stringify({ kind: 'user', id: 'x', origin: 'someone' }));
    await busA.publish({ kind: 'token', id: 'main:user-2' });
    await eventually(() => heardByB.includes('token main:user-2'));
    expect(heardByB.some((entry) => entry.includes('user x') || entry.includes('not json'))).toBe(false);
  });
});

describeWithRedis('the Redis invalidation bus after a reconnect', () => {
  const redis = useRedisInstances();

  it('asks for a resync once the subscriber is back, since Redis dropped what was published meanwhile', async () => {
    const bus = new RedisInvalidationBus(redis.a);
    let resyncs = 0;
    const heard: string[] = [];
    bus.onResync(() => (resyncs += 1));
    bus.on('token', (id) => heard.push(id));
    await bus.start();
    try {
      expect(resyncs).toBe(0);
      // Redis closes the subscriber's connection, as a restart or a network blip would; ioredis reconnects by itself.
      const socket = redis.a.subscriber().stream;
      await redis.b.commands.client('KILL', 'ADDR', `${socket.localAddress}:${socket.localPort}`);
      await eventually(() => resyncs === 1);

      await new RedisInvalidationBus(redis.b).publish({ kind: 'token', id: 'main:after-reconnect' });
      await eventually(() => heard.includes('main:after-reconnect'));
      expect(resyncs).toBe(1);
    } finally {
      await bus.stop();
    }
  });
});

describe('the Redis invalidation bus without Redis', () => {
  const unreachable = useUnreachableRedis();

  it('reports a failed publish instead of failing the caller', async () => {
    const failures: unknown[] = [];
    const bus = new RedisInvalidationBus(unreachable(), (error) => failures.push(error));
    await expect(bus.publish({ kind: 'session', id: 'session-2' })).resolves.toBeUndefined();
    expect(failures.length).toBe(1);
  });
});
