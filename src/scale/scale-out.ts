// What several gateway instances share through Redis when REDIS_URL is set: locks, invalidations, mailbox slots.
import type { Logger } from 'pino';
import type { Channel } from '../config/channels';
import type { GatewayConfig } from '../config/config.types';
import { RedisInvalidationBus } from './invalidation-bus';
import { ALL_USERS, parseTokenInvalidation } from './invalidations';
import { RedisMailboxSemaphore } from './mailbox-semaphore';
import { openSharedRedis, type SharedRedis } from './redis';
import { RedisRefreshLock } from './refresh-lock';

export interface ScaleOut {
  redis: SharedRedis;
  refreshLock: RedisRefreshLock;
  invalidations: RedisInvalidationBus;
  mailboxSlots: RedisMailboxSemaphore;
  /** Keeps this instance's memories in step with the invalidations other instances publish. */
  dropInvalidatedEntries(memories: InvalidatedMemories): void;
  /** Subscribes to invalidations; call after every handler is registered, before serving requests. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Undefined without REDIS_URL: one instance on its own keeps everything in its memory, as before. */
export function createScaleOut(config: Pick<GatewayConfig, 'redisUrl' | 'redisKeyPrefix'>, logger: Logger): ScaleOut | undefined {
  if (!config.redisUrl) return undefined;
  const report = rateLimitedWarning(logger);
  const redis = openSharedRedis(config.redisUrl, {
    keyPrefix: config.redisKeyPrefix,
    onError: (error) => report('redis_connection', error),
  });
  const invalidations = new RedisInvalidationBus(redis, (error) => report('invalidation', error));
  return {
    redis,
    refreshLock: new RedisRefreshLock(redis, { onUnavailable: (error) => report('refresh_lock', error) }),
    invalidations,
    mailboxSlots: new RedisMailboxSemaphore(redis, { onUnavailable: (error) => report('mailbox_semaphore', error) }),
    dropInvalidatedEntries: (memories) => dropInvalidatedEntries(invalidations, memories),
    async start() {
      // Both connections get the same few seconds; past that the instance starts and falls back until Redis answers.
      await Promise.all([redis.whenReady(3_000), invalidations.start(3_000)]);
    },
    async close() {
      await invalidations.stop();
      await redis.close();
    },
  };
}

/** The per-instance memories another instance's change makes stale: cached sessions, access tokens and msal-node apps. */
export interface InvalidatedMemories {
  sessions: { forgetLocally(sessionId: string): void; forgetUserLocally(userId: string): void; forgetAllLocally(): void };
  tokens: { forgetLocally(channel: Channel, userId: string): void; forgetAllLocally(): void };
}

function dropInvalidatedEntries(bus: RedisInvalidationBus, memories: InvalidatedMemories): void {
  bus.on('session', (sessionId) => memories.sessions.forgetLocally(sessionId));
  bus.on('user-sessions', (userId) => (userId === ALL_USERS ? memories.sessions.forgetAllLocally() : memories.sessions.forgetUserLocally(userId)));
  bus.on('token', (id) => {
    const connection = parseTokenInvalidation(id);
    if (connection) memories.tokens.forgetLocally(connection.channel, connection.userId);
  });
  // Invalidations published while this instance's subscriber was away are lost: forget everything they could have named.
  bus.onResync(() => {
    memories.sessions.forgetAllLocally();
    memories.tokens.forgetAllLocally();
  });
}

/** One warning per part and minute: a Redis outage fails every request's lock or slot, and the log must stay readable. */
function rateLimitedWarning(logger: Logger): (part: string, error: unknown) => void {
  const lastWarnedAt = new Map<string, number>();
  return (part, error) => {
    const now = Date.now();
    if (now - (lastWarnedAt.get(part) ?? 0) < 60_000) return;
    lastWarnedAt.set(part, now);
    // The error's type and code only: a message could quote a command's arguments.
    const { name, code } = error as { name?: string; code?: string };
    logger.warn({ part, err: { type: name, code } }, 'Redis is unavailable: this instance falls back to its own memory until it answers');
  };
}
