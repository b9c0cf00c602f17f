// At most N Graph requests in flight per mailbox, the rest queued in arrival order.
// Outlook allows 4 concurrent requests per app and mailbox: https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits

interface MailboxQueue {
  inFlight: number;
  waiting: Array<() => void>;
}

/** Runs a task once the mailbox has a free slot: this in-process limiter, or one shared by every instance (src/scale/). */
export interface MailboxSlots {
  run<T>(mailboxKey: string, task: () => Promise<T>): Promise<T>;
}

export class MailboxLimiter implements MailboxSlots {
  private readonly mailboxes = new Map<string, MailboxQueue>();

  constructor(readonly concurrentRequestsPerMailbox = 4) {}

  /** Runs `task` once the mailbox has a free slot. */
  async run<T>(mailboxKey: string, task: () => Promise<T>): Promise<T> {
    const slots = await this.acquire(mailboxKey);
    try {
      return await task();
    } finally {
      this.release(mailboxKey, slots);
    }
  }

  /** Requests currently running for a mailbox (for tests and metrics). */
  inFlight(mailboxKey: string): number {
    return this.mailboxes.get(mailboxKey)?.inFlight ?? 0;
  }

  private async acquire(mailboxKey: string): Promise<MailboxQueue> {
    let slots = this.mailboxes.get(mailboxKey);
    if (!slots) {
      slots = { inFlight: 0, waiting: [] };
      this.mailboxes.set(mailboxKey, slots);
    }
    if (slots.inFlight < this.concurrentRequestsPerMailbox) {
      slots.inFlight += 1;
      return slots;
    }
    // The releasing request hands its slot over directly, so inFlight never drops and rises again in between.
    await new Promise<void>((resolve) => slots.waiting.push(resolve));
    return slots;
  }

  private release(mailboxKey: string, slots: MailboxQueue): void {
    const next = slots.waiting.shift();
    if (next) {
      next();
      return;
    }
    slots.inFlight -= 1;
    if (slots.inFlight === 0) this.mailboxes.delete(mailboxKey);
  }
}

/**
 * This instance's bound first, then the shared one: an instance never has more than its own few requests waiting
 * on Redis, so a burst polls Redis from a handful of requests rather than from every queued one.
 */
export function localThenShared(local: MailboxSlots, shared?: MailboxSlots): MailboxSlots {
  if (!shared) return local;
  return { run: (mailboxKey, task) => local.run(mailboxKey, () => shared.run(mailboxKey, task)) };
}
