// The invalidations instances send each other: what a service changed that others may hold in memory. No Redis here:
// services import these whether or not REDIS_URL is set, and the Redis client loads only when it is.
import { ALL_CHANNELS, type Channel } from '../config/channels';

/**
 * 'session': a session id; 'user-sessions': every session of a gateway user id, or of everyone (ALL_USERS);
 * 'token': `${channel}:${userId}` of a Microsoft connection.
 */
export type InvalidationKind = 'session' | 'user-sessions' | 'token';

/** The 'user-sessions' id that names every user (gateway user ids are UUIDs, never this). */
export const ALL_USERS = '*';

export interface Invalidation {
  kind: InvalidationKind;
  id: string;
}

export function tokenInvalidation(channel: Channel, userId: string): Invalidation {
  return { kind: 'token', id: `${channel}:${userId}` };
}

/** The channel and user a token invalidation names, or undefined for an id no gateway would publish. */
export function parseTokenInvalidation(id: string): { channel: Channel; userId: string } | undefined {
  const separator = id.indexOf(':');
  const channel = id.slice(0, separator) as Channel;
  const userId = id.slice(separator + 1);
  return separator > 0 && ALL_CHANNELS.includes(channel) && userId ? { channel, userId } : undefined;
}

/** What services call after they change shared state that other instances may hold in memory. */
export interface InvalidationPublisher {
  publish(invalidation: Invalidation): Promise<void>;
}
