// A per-mailbox semaphore in Redis, so all gateway instances together keep near Outlook's 4 concurrent requests per mailbox.
// Outlook's limit: https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits
import { randomUUID } from 'node:crypto';
import type { MailboxSlots } from '../microsoft/graph-mailbox-limiter';
import { RedisNotReadyError, type SharedRedis } from './redis';

export interface RedisMailboxSemaphoreOptions {
  concurrentRequestsPerMailbox?: number;
  /**
   * How long a slot is held when its holder never gives it back (crashed, or cut off from Redis). Longer than one
   * Graph attempt may take (10 s timeout), so a slow request never loses its slot while it still runs.
   */
  leaseMs?: number;
  /** How long to wait for a slot before sending anyway (Graph's 429 and our retries are the last line). */
  maxWaitMs?: number;
  /** A waiter wakes on a release message; it also looks again after this long, in case a message never comes. */
  recheckMs?: number;
  /** Told when Redis fails; requests then go ahead under the in-process bound alone. */
  onUnavailable?: (error: unknown) => void;
}

// A sorted set per mailbox: members are leases, scores their expiry on Redis's clock (TIME), so expired leases of a
// crashed instance are dropped before counting and no instance's clock matters.
const ACQUIRE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  return 1
end
return 0`;

// Gives a lease back, and says so on the release channel when the mailbox was full: only then can anyone be waiting.
const RELEASE = `
local wasFull = redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[1])
if wasFull then redis.call('PUBLISH', ARGV[3], KEYS[1]) end
return 0`;

/** A wait for the next release of one mailbox's slot (a message), or for `ms` at most. */
interface ReleaseWait {
  promise: Promise<void>;
  cancel(): void;
}

export class RedisMailboxSemaphore implements MailboxSlots {
  readonly concurrentRequestsPerMailbox: number;
  private readonly leaseMs: number;
  private readonly maxWaitMs: number;
  private readonly recheckMs: number;
  private readonly onUnavailable: (error: unknown) => void;
  private readonly releaseChannel: string;
  /** Redis key of a mailbox → the waiters of this instance to wake when one of its slots is given back. */
  private readonly waiters = new Map<string, Set<() => void>>();
  private isSubscribed = false;
  private readonly onMessage = (channel: string, key: string) => {
    if (channel !== this.releaseChannel) return;
    for (const wake of this.waiters.get(key) ?? []) wake();
  };

  constructor(
    private readonly redis: SharedRedis,
    options: RedisMailboxSemaphoreOptions = {},
  ) {
    this.concurrentRequestsPerMailbox = options.concurrentRequestsPerMailbox ?? 4;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.recheckMs = options.recheckMs ?? 100;
    this.onUnavailable = options.onUnavailable ?? (() => undefined);
    this.releaseChannel = redis.name('mailbox-released');
  }

  async run<T>(mailboxKey: string, task: () => Promise<T>): Promise<T> {
    const key = this.redis.name(`mailbox:${mailboxKey}`);
    const lease = randomUUID();
    const isHeld = await this.acquire(key, lease);
    try {
      return await task();
    } finally {
      if (isHeld) {
        await this.redis.commands
          .eval(RELEASE, 1, key, lease, this.concurrentRequestsPerMailbox, this.releaseChannel)
          .catch((error: unknown) => this.onUnavailable(error));
      }
    }
  }

  /** Slots held across all instances right now (for tests and metrics). */
  async inFlight(mailboxKey: string): Promise<number> {
    const key = this.redis.name(`mailbox:${mailboxKey}`);
    const [seconds, micros] = await this.redis.commands.time();
    return this.redis.commands.zcount(key, Number(seconds) * 1000 + Math.floor(Number(micros) / 1000), '+inf');
  }

  /** Whether a lease was taken; false when Redis failed or the wait ran out, and the request goes ahead regardless. */
  private async acquire(key: string, lease: string): Promise<boolean> {
    const giveUpAt = Date.now() + this.maxWaitMs;
    if (!this.redis.isReady()) {
      this.onUnavailable(new RedisNotReadyError());
      return false;
    }
    // Every waiter tries again on each release: not first come, first served across instances (see docs/scaling.md).
    for (;;) {
      // Listening starts before asking, so a release between a refusal and the wait still wakes us.
      const released = this.nextRelease(key);
      try {
        const granted = await this.redis.commands.eval(ACQUIRE, 1, key, lease, this.concurrentRequestsPerMailbox, this.leaseMs);
        if (granted === 1) {
          released.cancel();
          return true;
        }
      } catch (error) {
        released.cancel();
        this.onUnavailable(error);
        return false;
      }
      if (Date.now() >= giveUpAt) {
        released.cancel();
        return false;
      }
      await released.promise;
    }
  }

  private nextRelease(key: string): ReleaseWait {
    this.subscribe();
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => {
      // A little jitter keeps waiters of several instances from asking again in lockstep.
      const timer = setTimeout(() => wake(), this.recheckMs + Math.random() * this.recheckMs * 0.2);
      wake = () => {
        clearTimeout(timer);
        const waiting = this.waiters.get(key);
        waiting?.delete(wake);
        if (waiting?.size === 0) this.waiters.delete(key);
        resolve();
      };
    });
    const waiting = this.waiters.get(key) ?? new Set();
    waiting.add(wake);
    this.waiters.set(key, waiting);
    return { promise, cancel: () => wake() };
  }

  /** One subscription per instance, on the connection the invalidations use; made on the first wait. */
  private subscribe(): void {
    if (this.isSubscribed) return;
    this.isSubscribed = true;
    const subscriber = this.redis.subscriber();
    subscriber.on('message', this.onMessage);
    // Until it is confirmed (or while Redis is away), waiters still look again every recheckMs.
    subscriber.subscribe(this.releaseChannel).catch((error: unknown) => this.onUnavailable(error));
  }
}

