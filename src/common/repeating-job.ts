// Runs a background task again and again on an unref'd timer, one run at a time, and stops cleanly on shutdown.
import type { Logger } from 'pino';

export class RepeatingJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private isStopped = false;

  /** A run that throws is logged as `failureMessage` (the next run tries again). */
  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly failure: { logger: Logger; message: string },
  ) {}

  /** The first run waits `firstDelayMs`: start-up and the first requests go first. */
  start(firstDelayMs = this.intervalMs): void {
    this.schedule(firstDelayMs);
  }

  get isScheduled(): boolean {
    return this.timer !== undefined;
  }

  /** Clears the timer and waits for a run in progress, so the database is not closed under it. */
  async stop(): Promise<void> {
    this.isStopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.isStopped) return;
    // Unref'd: a pending run never keeps the process alive. The next run is timed from this one's end.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.run().finally(() => {
        this.running = undefined;
        this.schedule(this.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      await this.task();
    } catch (error) {
      // The type and code only: a driver's message can quote the statement's parameters.
      const { name, code } = error as { name?: string; code?: string };
      this.failure.logger.warn({ err: { type: name, code } }, this.failure.message);
    }
  }
}
