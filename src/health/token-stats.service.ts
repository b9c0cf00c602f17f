// Decides who may read token statistics and for which channels.
import { ALL_CHANNELS, type Channel } from '../config/channels';
import { requireAdmin } from '../guards/admin-guard';
import type { TokenStats } from './health.types';
import type { TokenStatsRepository } from './token-stats.repository';

export class TokenStatsService {
  constructor(
    private readonly repository: TokenStatsRepository,
    private readonly adminToken: string | undefined,
  ) {}

  /** One channel's counts, or every channel's when none is named; FORBIDDEN without the admin token. */
  async statsFor(sentAdminToken: string | undefined, channel?: Channel | null, now = new Date()): Promise<TokenStats[]> {
    requireAdmin(sentAdminToken, this.adminToken);
    const channels = channel ? [channel] : ALL_CHANNELS;
    return Promise.all(channels.map(async (each) => ({ channel: each, ...(await this.repository.countsFor(each, now)) })));
  }
}
