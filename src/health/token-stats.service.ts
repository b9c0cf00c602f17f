// Decides token statistics for one channel or all (callers are admins: @Authorized(ADMIN) on the field).
import { ALL_CHANNELS, type Channel } from '../config/channels';
import type { TokenStats } from './health.types';
import type { TokenStatsRepository } from './token-stats.repository';

export class TokenStatsService {
  constructor(private readonly repository: TokenStatsRepository) {}

  /** One channel's counts, or every channel's when none is named. */
  async statsFor(channel?: Channel | null, now = new Date()): Promise<TokenStats[]> {
    const channels = channel ? [channel] : ALL_CHANNELS;
    return Promise.all(channels.map(async (each) => ({ channel: each, ...(await this.repository.countsFor(each, now)) })));
  }
}
