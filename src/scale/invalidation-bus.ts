// Tells every other gateway instance, over Redis pub/sub, to drop what it keeps in memory about a session or a token.
import { randomUUID } from 'node:crypto';
import type { SharedRedis } from './redis';

/** 'session': a session id; 'token': `${channel}:${userId}` of a Microsoft connection. */
export type InvalidationKind = 'session' | 'token';

export interface Invalidation {
  kind: InvalidationKind;
  id: string;
}

/** What services call after they change shared state that other instances may hold in memory. */
export interface InvalidationPublisher {
  publish(invalidation: Invalidation): Promise<void>;
}

export type InvalidationHandler = (id: string) => void;

interface Message extends Invalidation {
  /** The publishing instance, which already dropped its own entry and ignores its echo. */
  origin: string;
}

const KINDS: readonly InvalidationKind[] = ['session', 'token'];

export class RedisInvalidationBus implements InvalidationPublisher {
  readonly instanceId = randomUUID();
  private readonly channel: string;
  private readonly handlers = new Map<InvalidationKind, InvalidationHandler[]>();
  private readonly onMessage = (channel: string, text: string) => {
    if (channel === this.channel) this.deliver(text);
  };
  private isStarted = false;

  constructor(
    private readonly redis: SharedRedis,
    private readonly onFailure: (error: unknown) => void = () => undefined,
  ) {
    this.channel = redis.name('invalidate');
  }

  on(kind: InvalidationKind, handler: InvalidationHandler): void {
    this.handlers.set(kind, [...(this.handlers.get(kind) ?? []), handler]);
  }

  /** Subscribes; resolves once Redis confirmed, so nothing published after start-up is missed. */
  async start(): Promise<void> {
    if (this.isStarted) return;
    this.isStarted = true;
    const subscriber = this.redis.subscriber();
    subscriber.on('message', this.onMessage);
    await subscriber.subscribe(this.channel);
  }

  /**
   * Resolves once Redis handed the message to every subscriber, so a caller that answers its client afterwards knows
   * the other instances have it. Failures are reported, never thrown: the short memory TTLs still bound staleness.
   */
  async publish(invalidation: Invalidation): Promise<void> {
    const message: Message = { ...invalidation, origin: this.instanceId };
    try {
      await this.redis.commands.publish(this.channel, JSON.stringify(message));
    } catch (error) {
      this.onFailure(error);
    }
  }

  async stop(): Promise<void> {
    if (!this.isStarted) return;
    this.isStarted = false;
    const subscriber = this.redis.subscriber();
    subscriber.off('message', this.onMessage);
    await subscriber.unsubscribe(this.channel).catch(() => undefined);
  }

  private deliver(text: string): void {
    let message: Partial<Message>;
    try {
      message = JSON.parse(text) as Partial<Message>;
    } catch {
      return;
    }
    if (message.origin === this.instanceId || typeof message.id !== 'string') return;
    if (!KINDS.includes(message.kind as InvalidationKind)) return;
    for (const handler of this.handlers.get(message.kind as InvalidationKind) ?? []) {
      try {
        handler(message.id);
      } catch (error) {
        this.onFailure(error);
      }
    }
  }
}
