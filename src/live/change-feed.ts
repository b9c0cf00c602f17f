// Hands calendar changes to the clients listening for them: in this process, and through Redis pub/sub to every instance.
import { EventEmitter, on } from 'node:events';
import type { TokenCipher } from '../crypto/token-cipher';
import type { GraphEvent } from '../calendar/event.mapper';
import type { SharedRedis } from '../scale/redis';

export type ChangeKindName = 'CREATED' | 'UPDATED' | 'DELETED';

export interface CalendarChangeMessage {
  userId: string;
  channel: string;
  kind: ChangeKindName;
  eventId: string;
  /** Graph's event as stored (UTC times); null when deleted. */
  event: GraphEvent | null;
}

// Bound to its purpose: a message is calendar data and travels encrypted, as it rests in the store.
const ASSOCIATED_DATA = 'calendar-change';

export class ChangeFeed {
  private readonly local = new EventEmitter();
  private readonly channelName?: string;
  private readonly onRedisMessage = (channel: string, text: string) => {
    if (channel === this.channelName) this.deliverRemote(text);
  };

  /** With `redis`, every change goes through Redis, so each instance (this one too) hears each change once. */
  constructor(private readonly cipher: TokenCipher, private readonly redis?: SharedRedis, private readonly onFailure: (error: unknown) => void = () => undefined) {
    // Each socket adds a listener; hundreds per process are normal here.
    this.local.setMaxListeners(0);
    this.channelName = redis?.name('calendar-changes');
  }

  async start(): Promise<void> {
    if (!this.redis || !this.channelName) return;
    const subscriber = this.redis.subscriber();
    subscriber.on('message', this.onRedisMessage);
    // Not awaited: with Redis away ioredis queues the command until it is back, and an instance must start regardless.
    void subscriber.subscribe(this.channelName).catch((error: unknown) => this.onFailure(error));
  }

  async stop(): Promise<void> {
    this.redis?.subscriber().off('message', this.onRedisMessage);
    this.local.removeAllListeners();
  }

  async publish(change: CalendarChangeMessage): Promise<void> {
    if (!this.redis || !this.channelName || !this.redis.isReady()) {
      // Without Redis (or while it is away) the instance that saw the change still tells its own clients.
      this.deliverLocal(change);
      return;
    }
    try {
      await this.redis.commands.publish(this.channelName, this.cipher.encrypt(JSON.stringify(change), ASSOCIATED_DATA));
    } catch (error) {
      this.onFailure(error);
      this.deliverLocal(change);
    }
  }

  /** The changes of one user's connection, until the iterator is returned (graphql-ws does so when the client stops). */
  subscribe(userId: string, channel: string): AsyncIterableIterator<CalendarChangeMessage> {
    const events = on(this.local, topic(userId, channel)) as AsyncIterableIterator<[CalendarChangeMessage]>;
    return {
      next: async () => {
        const result = await events.next();
        return result.done ? result : { done: false, value: result.value[0] };
      },
      return: async () => {
        await events.return?.();
        return { done: true, value: undefined };
      },
      throw: async (error) => {
        await events.return?.();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  listenerCount(userId: string, channel: string): number {
    return this.local.listenerCount(topic(userId, channel));
  }

  private deliverRemote(text: string): void {
    try {
      this.deliverLocal(JSON.parse(this.cipher.decrypt(text, ASSOCIATED_DATA)) as CalendarChangeMessage);
    } catch (error) {
      // Not ours (another deployment on the same prefix with other keys) or damaged: nobody is told.
      this.onFailure(error);
    }
  }

  private deliverLocal(change: CalendarChangeMessage): void {
    this.local.emit(topic(change.userId, change.channel), change);
  }
}

function topic(userId: string, channel: string): string {
  return `${channel}:${userId}`;
}
