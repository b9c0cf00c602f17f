// A lock in Redis that one gateway instance holds while it refreshes a user's token; the others wait for it to go away.
import { randomUUID } from 'node:crypto';
import { RedisNotReadyError, type SharedRedis } from './redis';

/** Runs a task while holding a lock shared by every gateway instance. */
export interface RefreshLock {
  withLock<T>(name: string, task: () => Promise<T>): Promise<T>;
}

export interface RedisRefreshLockOptions {
  /**
   * How long a lock lives when its holder never releases it (crashed, or cut off from Redis). Longer than a refresh
   * takes (msal-node's requests time out after 10 s), short enough that a crash holds the others back only briefly.
   */
  ttlMs?: number;
  /** How often a waiting instance looks whether the lock is gone. A refresh takes 100 ms or more, so 50 ms costs little. */
  pollMs?: number;
  /** Told when Redis fails; the task then runs without the lock (a second refresh is better than no token). */
  onUnavailable?: (error: unknown) => void;
}

// Deletes the lock only if this holder still owns it: after its TTL ran out another instance may hold it.
const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RedisRefreshLock implements RefreshLock {
  private readonly ttlMs: number;
  private readonly pollMs: number;
  private readonly onUnavailable: (error: unknown) => void;

  constructor(
    private readonly redis: SharedRedis,
    options: RedisRefreshLockOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 15_000;
    this.pollMs = options.pollMs ?? 50;
    this.onUnavailable = options.onUnavailable ?? (() => undefined);
  }

  /**
   * Takes the lock (SET NX PX), or waits until whoever holds it lets go and tries again. The task runs under the
   * lock either way, so a waiter's task should first look whether the holder already did the work (read the store).
   */
  async withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
    const key = this.redis.name(`refresh-lock:${name}`);
    const owner = randomUUID();
    const giveUpAt = Date.now() + this.ttlMs + this.pollMs;
    if (!this.redis.isReady()) {
      this.onUnavailable(new RedisNotReadyError());
      return task();
    }
    for (;;) {
      let isAcquired: boolean;
      try {
        isAcquired = (await this.redis.commands.set(key, owner, 'PX', this.ttlMs, 'NX')) === 'OK';
      } catch (error) {
        this.onUnavailable(error);
        return task();
      }
      if (isAcquired) return this.runAndRelease(key, owner, task);
      // The holder's lock expires by its TTL at the latest; past that, something is wrong with Redis's clock or ours.
      if (Date.now() > giveUpAt) return task();
      await sleep(this.pollMs);
    }
  }

  private async runAndRelease<T>(key: string, owner: string, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } finally {
      try {
        await this.redis.commands.eval(RELEASE_IF_OWNER, 1, key, owner);
      } catch (error) {
        // The lock then lapses by its TTL; the others wait that long at most.
        this.onUnavailable(error);
      }
    }
  }
}
