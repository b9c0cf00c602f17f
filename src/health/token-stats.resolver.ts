// GraphQL surface of token statistics (admin only).
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Channel } from '../graphql/enums';
import type { RequestContext } from '../graphql/context';
import { TokenStats } from './health.types';
import { TokenStatsService } from './token-stats.service';

@Resolver()
export class TokenStatsResolver {
  constructor(private readonly tokenStatsService: TokenStatsService) {}

  @Query(() => [TokenStats], { description: 'Token counts for one channel, or for all when channel is omitted. Needs the x-admin-token header.' })
  tokenStats(@Ctx() context: RequestContext, @Arg('channel', () => Channel, { nullable: true }) channel?: Channel): Promise<TokenStats[]> {
    return this.tokenStatsService.statsFor(context.adminToken, channel);
  }
}
