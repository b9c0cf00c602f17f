// At most N Graph requests in flight per mailbox, the rest queued in arrival order.
// Outlook allows 4 concurrent requests per app and mailbox: https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits

interface MailboxSlots {
  inFlight: number;
  waiting: Array<() => void>;
}

export class MailboxLimiter {
  private readonly mailboxes = new Map<string, MailboxSlots>();

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

  private async acquire(mailboxKey: string): Promise<MailboxSlots> {
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

  private release(mailboxKey: string, slots: MailboxSlots): void {
    const next = slots.waiting.shift();
    if (next) {
      next();
      return;
    }
    slots.inFlight -= 1;
    if (slots.inFlight === 0) this.mailboxes.delete(mailboxKey);
  }
}
