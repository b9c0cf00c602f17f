// The background sweep: refreshes every connection idle longer than REFRESH_IDLE_AFTER, so refresh tokens never lapse.
// Entra ID refresh tokens end after 90 days unused: https://learn.microsoft.com/entra/identity-platform/refresh-tokens
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { forEachWithConcurrency } from '../common/concurrency';
import { RepeatingJob } from '../common/repeating-job';
import type { Channel } from '../config/channels';
import type { TokensRepository } from '../tokens/tokens.repository';
import type { LeasesRepository } from './leases.repository';

export const SWEEP_INTERVAL_MS = 60_000;
/** Per run, so refreshes are spread over time: at most this many a minute, however many connections fall due at once. */
export const SWEEP_BATCH_SIZE = 100;
/** Refreshes in flight at once; each is one request to the identity platform. */
export const SWEEP_CONCURRENCY = 4;
export const SWEEP_LEASE_NAME = 'refresh-sweep';
/** Renewed while a run lasts; a crashed holder blocks the others for this long at most. */
const LEASE_TTL_MS = 2 * 60_000;

export interface SweepResult {
  /** Another instance held the sweep: this one did nothing. */
  isSkipped: boolean;
  refreshed: number;
  failed: number;
}

export interface RefreshSweepDependencies {
  tokens: Pick<TokensRepository, 'findDueForRefresh'>;
  /** The token service: its single flight (and, with Redis, the shared refresh lock) keeps one refresh per connection. */
  refresher: { refreshIdleConnection(userId: string, channel: Channel): Promise<void> };
  leases: LeasesRepository;
  /** The channels that are enabled and configured. */
  channels: readonly Channel[];
  idleAfterMs: number;
  logger: Logger;
  now?: () => number;
  intervalMs?: number;
}

export class RefreshSweepService {
  private readonly job: RepeatingJob;
  private readonly now: () => number;
  /** This instance's name as a lease holder. */
  private readonly holder = randomUUID();

  constructor(private readonly deps: RefreshSweepDependencies) {
    this.now = deps.now ?? Date.now;
    this.job = new RepeatingJob(() => this.runScheduled(), deps.intervalMs ?? SWEEP_INTERVAL_MS, {
      logger: deps.logger,
      message: 'the refresh sweep failed; the next run tries again',
    });
  }

  /** One pass, on whichever instance holds the lease: refreshes up to a batch of due connections per channel. */
  async runOnce(): Promise<SweepResult> {
    const result: SweepResult = { isSkipped: false, refreshed: 0, failed: 0 };
    if (!(await this.deps.leases.tryAcquire(SWEEP_LEASE_NAME, this.holder, this.now(), LEASE_TTL_MS))) return { ...result, isSkipped: true };
    // Renewed while the run lasts; unref'd, so it never holds the process open.
    const renewal = setInterval(() => void this.renewLease(), LEASE_TTL_MS / 3).unref();
    try {
      for (const channel of this.deps.channels) {
        const due = await this.deps.tokens.findDueForRefresh(channel, new Date(this.now() - this.deps.idleAfterMs), new Date(this.now()), SWEEP_BATCH_SIZE);
        await forEachWithConcurrency(due, SWEEP_CONCURRENCY, async (userId) => {
          try {
            await this.deps.refresher.refreshIdleConnection(userId, channel);
            result.refreshed += 1;
          } catch {
            // The token service recorded the failure and the connection's new status; the backoff decides when it is retried.
            result.failed += 1;
          }
        });
      }
    } finally {
      clearInterval(renewal);
      await this.deps.leases.release(SWEEP_LEASE_NAME, this.holder).catch(() => undefined);
    }
    return result;
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  private async renewLease(): Promise<void> {
    await this.deps.leases.tryAcquire(SWEEP_LEASE_NAME, this.holder, this.now(), LEASE_TTL_MS).catch(() => false);
  }

  private async runScheduled(): Promise<void> {
    const result = await this.runOnce();
    if (result.refreshed + result.failed > 0) this.deps.logger.info({ sweep: result }, 'refreshed idle Microsoft connections');
  }
}
