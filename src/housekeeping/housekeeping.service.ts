// Purges on a schedule what no request can use any more: ended sessions and sign-in states past their retention.
import type { Logger } from 'pino';
import type { OauthStatesRepository } from '../auth/oauth-states.repository';
import { RepeatingJob } from '../common/repeating-job';
import type { SessionsRepository } from '../sessions/sessions.repository';

export const PURGE_INTERVAL_MS = 3_600_000;
/** The first run waits a little: start-up and the first requests go first. */
export const FIRST_PURGE_DELAY_MS = 60_000;
/**
 * Spent and expired sign-in states are kept a day (every state expires 10 minutes after it was issued), so a late
 * completion still hears "expired" or "already used" rather than "unknown".
 */
export const SIGN_IN_STATE_RETENTION_MS = 24 * 3_600_000;

export interface PurgeResult {
  sessions: number;
  signInStates: number;
}

export interface HousekeepingDependencies {
  sessions: SessionsRepository;
  signInStates: OauthStatesRepository;
  logger: Logger;
  intervalMs?: number;
  now?: () => number;
}

export class HousekeepingService {
  private readonly job: RepeatingJob;

  constructor(private readonly deps: HousekeepingDependencies) {
    this.job = new RepeatingJob(() => this.runScheduled(), deps.intervalMs ?? PURGE_INTERVAL_MS, {
      logger: deps.logger,
      message: 'purging ended sessions and sign-in states failed; the next run tries again',
    });
  }

  /**
   * Plain DELETE … WHERE statements: running them twice, or on several instances at once, deletes each row once and
   * leaves the same rows behind, so instances sharing PostgreSQL need no coordination.
   */
  async purge(now = new Date((this.deps.now ?? Date.now)())): Promise<PurgeResult> {
    const sessions = await this.deps.sessions.deleteEnded(now);
    const signInStates = await this.deps.signInStates.deleteExpired(new Date(now.getTime() - SIGN_IN_STATE_RETENTION_MS));
    return { sessions, signInStates };
  }

  start(): void {
    this.job.start(FIRST_PURGE_DELAY_MS);
  }

  get isScheduled(): boolean {
    return this.job.isScheduled;
  }

  /** Clears the timer and waits for a run in progress, so the database is not closed under it. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  private async runScheduled(): Promise<void> {
    const purged = await this.purge();
    if (purged.sessions + purged.signInStates > 0) this.deps.logger.info({ purged }, 'purged ended sessions and spent sign-in states');
  }
}
