// Tells every other gateway instance, over Redis pub/sub, to drop what it keeps in memory about a session or a token.
import { randomUUID } from 'node:crypto';
import type { Invalidation, InvalidationKind, InvalidationPublisher } from './invalidations';
import { RedisNotReadyError, type SharedRedis } from './redis';

export type InvalidationHandler = (id: string) => void;

interface Message extends Invalidation {
  /** The publishing instance, which already dropped its own entry and ignores its echo. */
  origin: string;
}

const KINDS: readonly InvalidationKind[] = ['session', 'user-sessions', 'token'];

export class RedisInvalidationBus implements InvalidationPublisher {
  readonly instanceId = randomUUID();
  private readonly channel: string;
  private readonly handlers = new Map<InvalidationKind, InvalidationHandler[]>();
  private readonly onMessage = (channel: string, text: string) => {
    if (channel === this.channel) this.deliver(text);
  };
  /** Told after messages may have been missed (a reconnect, a late first subscription): drop everything kept in memory. */
  private readonly resyncHandlers: Array<() => void> = [];
  private readonly onReady = () => {
    if (this.mayHaveMissedMessages) this.resync();
  };
  /** False until the first subscription is confirmed: only a 'ready' after that follows a gap in delivery. */
  private mayHaveMissedMessages = false;
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

  onResync(handler: () => void): void {
    this.resyncHandlers.push(handler);
  }

  /**
   * Subscribes, and resolves once Redis confirmed, so nothing published after start-up is missed. When Redis does not
   * answer within `waitMs` it resolves anyway (reporting it): the subscription is made as soon as Redis is back, and
   * meanwhile the short memory TTLs bound staleness. An instance should not fail to start for a Redis blip.
   */
  async start(waitMs = 3_000): Promise<void> {
    if (this.isStarted) return;
    this.isStarted = true;
    const subscriber = this.redis.subscriber();
    subscriber.on('message', this.onMessage);
    subscriber.on('ready', this.onReady);
    const subscribed = subscriber.subscribe(this.channel).then(() => true, () => false);
    // Redis pub/sub does not keep messages for a subscriber that is away: every later connection may have missed some.
    void subscribed.then(() => (this.mayHaveMissedMessages = true));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
    });
    const isSubscribed = await Promise.race([subscribed, timedOut]);
    clearTimeout(timer);
    if (isSubscribed) return;
    this.onFailure(Object.assign(new Error('could not subscribe to invalidations yet'), { code: 'SUBSCRIBE_PENDING' }));
    // Serving starts now, so whatever is published before the subscription lands is missed: resync once it does.
    void subscribed.then((isLate) => isLate && this.notifyResync());
  }

  /**
   * Resolves once Redis passed the message on to every subscribed connection, so a caller that answers its client
   * afterwards has the other instances' copies already on their way. Failures are reported, never thrown: the short memory TTLs still bound staleness.
   */
  async publish(invalidation: Invalidation): Promise<void> {
    const message: Message = { ...invalidation, origin: this.instanceId };
    if (!this.redis.isReady()) {
      this.onFailure(new RedisNotReadyError());
      return;
    }
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
    subscriber.off('ready', this.onReady);
    this.mayHaveMissedMessages = false;
    // Without a connection the command would wait for one; closing the connection ends the subscription anyway.
    if (subscriber.status === 'ready') await subscriber.unsubscribe(this.channel).catch(() => undefined);
  }

  /** Clears once the subscription is back (ioredis re-subscribes only after 'ready'), so nothing slips in between. */
  private resync(): void {
    void this.redis
      .subscriber()
      .subscribe(this.channel)
      .catch(() => undefined)
      .then(() => this.notifyResync());
  }

  private notifyResync(): void {
    if (!this.isStarted) return;
    for (const handler of this.resyncHandlers) {
      try {
        handler();
      } catch (error) {
        this.onFailure(error);
      }
    }
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
