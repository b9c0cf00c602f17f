// Closing the gateway's Redis connections leaves nothing running behind them, whether Redis answered or not.
import { createHook } from 'node:async_hooks';
import { openSharedRedis } from '../../src/scale/redis';
import { describeWithRedis, REDIS_URL } from './support/required-services';

/** Runs `work` and returns the timers it started that are still pending once it is done. */
async function timersLeftBy(work: () => Promise<void>): Promise<string[]> {
  const started: Array<{ timer: { _destroyed?: boolean; _idleTimeout?: number }; where: string }> = [];
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'Timeout') started.push({ timer: resource as never, where: new Error().stack ?? '' });
    },
  }).enable();
  try {
    await work();
  } finally {
    hook.disable();
  }
  // Node marks a timer destroyed once it has fired or been cleared.
  return started.filter(({ timer }) => !timer._destroyed).map(({ timer, where }) => `${timer._idleTimeout} ms timer from ${where}`);
}

describe('closing the shared Redis connections', () => {
  it('leaves no timer running when Redis never answered', async () => {
    const left = await timersLeftBy(async () => {
      // Nothing listens on port 1: the connection is refused, and ioredis waits to try again.
      const unreachable = openSharedRedis('redis://127.0.0.1:1');
      unreachable.subscriber();
      expect(await unreachable.whenReady(200)).toBe(false);
      await unreachable.close();
    });
    // A timer left running keeps a process, or a test worker, alive after everything else has ended.
    expect(left).toEqual([]);
  });
});

describeWithRedis('closing connections to a Redis that answers', () => {
  it('leaves no timer running', async () => {
    const left = await timersLeftBy(async () => {
      const redis = openSharedRedis(REDIS_URL, { keyPrefix: 'test:close:' });
      expect(await redis.whenReady(5_000)).toBe(true);
      await redis.subscriber().subscribe(redis.name('channel'));
      await redis.close();
    });
    expect(left).toEqual([]);
  });
});
