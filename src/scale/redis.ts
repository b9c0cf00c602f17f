// The gateway's Redis connections (one for commands, one for subscriptions), opened once and closed on shutdown.
import { once } from 'node:events';
import Redis from 'ioredis';

export const DEFAULT_REDIS_KEY_PREFIX = 'gateway:';
/** A socket that has not closed this long after QUIT or a disconnect is half-open (Redis paused, packets dropped). */
const DISCONNECT_TIMEOUT_MS = 100;

export interface SharedRedis {
  /** Commands of every kind (rate limits, locks, semaphores, publishing). */
  readonly commands: Redis;
  /** A connection in subscriber mode cannot send other commands, so subscriptions get their own, opened on first use. */
  subscriber(): Redis;
  /** A key or channel name under this deployment's prefix, so several deployments (or test runs) can share one Redis. */
  name(suffix: string): string;
  /**
   * Whether the command connection is up. Callers that can do without Redis check this first: a command sent while
   * Redis is down would wait for the next reconnect attempt (up to 2 s) before failing, on every request.
   */
  isReady(): boolean;
  /** Resolves true once connected, or false after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface SharedRedisOptions {
  keyPrefix?: string;
  /** Told when a connection fails; ioredis reconnects by itself meanwhile. */
  onError?: (error: Error) => void;
}

export function openSharedRedis(url: string, options: SharedRedisOptions = {}): SharedRedis {
  const keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  // One quick retry per command: a request that waits on a dead Redis holds the caller, and every user of
  // this connection (rate limits, locks, the semaphore) falls back to local behaviour when Redis fails.
  // disconnectTimeout: how long a closing socket may linger before ioredis destroys it (see quit below).
  // commandTimeout: a Redis that accepts but does not answer (paused, packets dropped) fails a command after 1 s,
  // so the callers' fallbacks run instead of the request waiting for ever; keepAlive notices a dead peer.
  const commands = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, disconnectTimeout: DISCONNECT_TIMEOUT_MS, commandTimeout: 1_000, keepAlive: 10_000 });
  let subscriber: Redis | undefined;
  const onError = (error: Error) => options.onError?.(error);
  commands.on('error', onError);
  return {
    commands,
    subscriber() {
      if (!subscriber) {
        // Subscriptions are re-sent by ioredis after a reconnect (autoResubscribe, on by default).
        // No command timeout here: a subscriber waits for messages by design.
        subscriber = commands.duplicate({ maxRetriesPerRequest: null, commandTimeout: undefined });
        subscriber.on('error', onError);
      }
      return subscriber;
    },
    name: (suffix) => `${keyPrefix}${suffix}`,
    isReady: () => commands.status === 'ready',
    whenReady: (timeoutMs) => whenReady(commands, timeoutMs),
    async close() {
      await Promise.all([commands, subscriber].filter((client): client is Redis => client !== undefined).map(quit));
    },
  };
}

/** What the fall-back paths report when they did not even try Redis because it is not connected. */
export class RedisNotReadyError extends Error {
  readonly code = 'REDIS_NOT_READY';

  constructor() {
    super('Redis is not connected');
    this.name = 'RedisNotReadyError';
  }
}

function whenReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (isReady: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(isReady);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}

/**
 * Ends a connection so that nothing of it outlives the returned promise (a socket or a timer left behind keeps a process
 * alive after everything else has ended). QUIT waits for pending replies; with Redis unreachable it would wait for a
 * reconnect, so it gets a second at most.
 */
async function quit(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'ready') {
    // 'end' comes once the socket has closed after QUIT's reply.
    const hasEnded = Promise.all([client.quit(), once(client, 'end')]).then(() => true, () => false);
    if (await withinMs(hasEnded, 1_000)) return;
  }
  client.disconnect();
  // ioredis then arms a disconnectTimeout timer to destroy the socket, which nothing clears when the socket had already
  // closed (refused, or between reconnects): waiting it out leaves nothing behind.
  await new Promise((resolve) => setTimeout(resolve, DISCONNECT_TIMEOUT_MS));
}

/** `promise`'s answer, or false once `ms` have passed; the timer is cleared either way. */
async function withinMs(promise: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
