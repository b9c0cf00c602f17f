// A connection event as the outbox stores it and receivers get it: `{ type, timestamp, data }`, never a token.
import { randomUUID } from 'node:crypto';
import type { Channel } from '../config/channels';
import type { ConnectionEventType } from '../lifecycle/connection-status';

export interface ConnectionEvent {
  type: ConnectionEventType;
  userId: string;
  channel: Channel;
  microsoftUserId: string;
  occurredAt: Date;
}

/** The body receivers get. Built from identifiers only: no token, cache or error text can reach it. */
export function webhookBody(event: ConnectionEvent) {
  return {
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    // The channel as the GraphQL API names it (MAIN, BETA).
    data: { userId: event.userId, channel: event.channel.toUpperCase(), microsoftUserId: event.microsoftUserId },
  };
}

/** A new outbox row for the event, due at once; both dialects insert exactly this. */
export function outboxRowFor(event: ConnectionEvent) {
  const createdAt = event.occurredAt.getTime();
  return {
    id: `msg_${randomUUID().replace(/-/g, '')}`,
    type: event.type,
    payload: JSON.stringify(webhookBody(event)),
    createdAt,
    attempts: 0,
    nextAttemptAt: createdAt,
  };
}
