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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RedisMailboxSemaphore implements MailboxSlots {
  readonly concurrentRequestsPerMailbox: number;
  private readonly leaseMs: number;
  private readonly maxWaitMs: number;
  private readonly onUnavailable: (error: unknown) => void;

  constructor(
    private readonly redis: SharedRedis,
    options: RedisMailboxSemaphoreOptions = {},
  ) {
    this.concurrentRequestsPerMailbox = options.concurrentRequestsPerMailbox ?? 4;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.onUnavailable = options.onUnavailable ?? (() => undefined);
  }

  async run<T>(mailboxKey: string, task: () => Promise<T>): Promise<T> {
    const key = this.redis.name(`mailbox:${mailboxKey}`);
    const lease = randomUUID();
    const isHeld = await this.acquire(key, lease);
    try {
      return await task();
    } finally {
      if (isHeld) await this.redis.commands.zrem(key, lease).catch((error: unknown) => this.onUnavailable(error));
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
    // Waiters poll with a little jitter; the queue is not first-come-first-served across instances (see docs/scaling.md).
    for (let attempt = 0; ; attempt += 1) {
      try {
        const granted = await this.redis.commands.eval(ACQUIRE, 1, key, lease, this.concurrentRequestsPerMailbox, this.leaseMs);
        if (granted === 1) return true;
      } catch (error) {
        this.onUnavailable(error);
        return false;
      }
      if (Date.now() >= giveUpAt) return false;
      await sleep(Math.min(10 + attempt * 5, 50) + Math.random() * 10);
    }
  }
}

