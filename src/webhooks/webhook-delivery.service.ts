// Delivers the webhook outbox: claims due rows, sends each, and records delivered, retried (with backoff) or given up.
import type { Logger } from 'pino';
import { forEachWithConcurrency } from '../common/concurrency';
import { RepeatingJob } from '../common/repeating-job';
import { nextDeliveryAttemptAt } from './delivery-schedule';
import type { OutboxMessage, WebhookDeliveryRecord, WebhookOutboxRepository } from './webhook-outbox.repository';
import type { WebhookSender } from './webhook-sender';

export const DELIVERY_INTERVAL_MS = 5_000;
/** A claim outlives the slowest batch (50 rows, 4 at a time, 10 s each); past it, another instance may send the row. */
const CLAIM_FOR_MS = 5 * 60_000;
const BATCH_SIZE = 50;
const SENDS_AT_ONCE = 4;

export type DeliveryOutcome = 'delivered' | 'retried' | 'failed';

export interface WebhookDeliveryDependencies {
  outbox: WebhookOutboxRepository;
  /** Undefined without WEBHOOK_URL: nothing is written to the outbox then, and nothing is sent. */
  sender?: WebhookSender;
  logger: Logger;
  now?: () => number;
  /** Metrics hook: each attempt's outcome. */
  onAttempt?: (outcome: DeliveryOutcome) => void;
  intervalMs?: number;
}

export class WebhookDeliveryService {
  private readonly job: RepeatingJob;
  private readonly now: () => number;

  constructor(private readonly deps: WebhookDeliveryDependencies) {
    this.now = deps.now ?? Date.now;
    this.job = new RepeatingJob(async () => void (await this.runOnce()), deps.intervalMs ?? DELIVERY_INTERVAL_MS, {
      logger: deps.logger,
      message: 'delivering webhooks failed; the next run tries again',
    });
  }

  /** One pass: sends every due row this instance could claim; counts the outcomes. */
  async runOnce(): Promise<Record<DeliveryOutcome, number>> {
    const counts: Record<DeliveryOutcome, number> = { delivered: 0, retried: 0, failed: 0 };
    const sender = this.deps.sender;
    if (!sender) return counts;
    const claimed = await this.deps.outbox.claimDue(this.now(), CLAIM_FOR_MS, BATCH_SIZE);
    await forEachWithConcurrency(claimed, SENDS_AT_ONCE, async (message) => {
      const outcome = await this.attempt(sender, message);
      counts[outcome] += 1;
      this.deps.onAttempt?.(outcome);
    });
    return counts;
  }

  /** The newest deliveries, or only those still pending (callers are admins: @Authorized(ADMIN) on the field). */
  recent(first = 50, pendingOnly = false): Promise<WebhookDeliveryRecord[]> {
    return this.deps.outbox.recent(first, pendingOnly);
  }

  start(): void {
    if (this.deps.sender) this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  private async attempt(sender: WebhookSender, message: OutboxMessage): Promise<DeliveryOutcome> {
    const sent = await sender.send(message);
    const now = this.now();
    if (sent.isDelivered) {
      await this.deps.outbox.markDelivered(message.id, now);
      return 'delivered';
    }
    const nextAttemptAt = nextDeliveryAttemptAt(message.attempts + 1, message.createdAt, now);
    if (nextAttemptAt === undefined) {
      await this.deps.outbox.markFailed(message.id, now, sent.error);
      this.deps.logger.error({ webhookId: message.id, type: message.type, error: sent.error }, 'A webhook could not be delivered for three days; it is given up');
      return 'failed';
    }
    await this.deps.outbox.markRetry(message.id, nextAttemptAt, sent.error);
    this.deps.logger.warn({ webhookId: message.id, type: message.type, error: sent.error, attempts: message.attempts + 1 }, 'A webhook delivery failed; it is tried again later');
    return 'retried';
  }
}
