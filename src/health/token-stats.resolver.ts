// GraphQL surface of token statistics (admin only).
import { Arg, Authorized, Query, Resolver } from 'type-graphql';
import { ADMIN } from '../graphql/auth-checker';
import { Channel } from '../graphql/enums';
import { PER_MINUTE, RateLimit } from '../guards/field-rules';
import { TokenStats } from './health.types';
import { TokenStatsService } from './token-stats.service';

@Resolver()
export class TokenStatsResolver {
  constructor(private readonly tokenStatsService: TokenStatsService) {}

  // Counted before the admin token is checked (the limit wraps the whole field), so ADMIN_TOKEN cannot be guessed at full speed.
  @Authorized(ADMIN)
  @RateLimit(30, PER_MINUTE)
  @Query(() => [TokenStats], { description: 'Token counts for one channel, or for all when channel is omitted. Needs the x-admin-token header.' })
  tokenStats(@Arg('channel', () => Channel, { nullable: true }) channel?: Channel): Promise<TokenStats[]> {
    return this.tokenStatsService.statsFor(channel);
  }
}
