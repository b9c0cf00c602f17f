// Runs a background task again and again on an unref'd timer, one run at a time, and stops cleanly on shutdown.

export class RepeatingJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private isStopped = false;

  /** `run` must not throw: it reports its own failures (the next run tries again). */
  constructor(
    private readonly run: () => Promise<void>,
    private readonly intervalMs: number,
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
}
