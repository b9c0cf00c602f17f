// Coalesces "this connection was used" marks in memory and writes them in one batch per interval.
import { ALL_CHANNELS, type Channel } from '../config/channels';
import type { TokensRepository } from './tokens.repository';

export type FlushFailureHandler = (error: unknown) => void;

export class LastUsedRecorder {
  private readonly pending = new Map<Channel, Map<string, Date>>(ALL_CHANNELS.map((channel) => [channel, new Map()]));
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly tokens: TokensRepository,
    flushIntervalMs = 30_000,
    private readonly onFlushFailure: FlushFailureHandler = () => {},
  ) {
    // A failed write only loses last-used times, which statistics tolerate; it must never become an unhandled rejection.
    this.timer = setInterval(() => void this.flush().catch(this.onFlushFailure), flushIntervalMs);
    this.timer.unref();
  }

  mark(channel: Channel, userId: string, at = new Date()): void {
    this.pending.get(channel)!.set(userId, at);
  }

  peek(channel: Channel, userId: string): Date | undefined {
    return this.pending.get(channel)!.get(userId);
  }

  forget(channel: Channel, userId: string): void {
    this.pending.get(channel)!.delete(userId);
  }

  /** One transaction per channel, however many requests came in since the last flush. */
  async flush(): Promise<void> {
    for (const [channel, marks] of this.pending) {
      if (marks.size === 0) continue;
      const batch = [...marks].map(([userId, at]) => ({ userId, at }));
      marks.clear();
      await this.tokens.touchLastUsed(channel, batch);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
