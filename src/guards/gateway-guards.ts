// The guards one gateway instance runs with: per-field rate limits (memory or Redis) and query limits.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { GatewayConfig } from '../config/config.types';
import type { RequestContext } from '../graphql/context';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import type { SharedRedis } from '../scale/redis';
import { DEFAULT_QUERY_LIMITS } from './query-limits';
import { queryLimitsPlugin } from './query-limits.plugin';
import { enforceRateLimits } from './rate-limit-directive';
import { createRateLimitStore } from './rate-limit-store';
import { effectiveRateLimits, type RateLimitTable } from './rate-limits';

export interface GatewayGuards {
  /** The limits to declare on the schema (empty when RATE_LIMITS=off). */
  rateLimits: RateLimitTable;
  /** Makes the declared @rateLimit directives bite. */
  enforce(schema: GraphQLSchema): GraphQLSchema;
  plugins: ApolloServerPlugin<RequestContext>[];
}

/** `redis`: the gateway's shared connection when REDIS_URL is set, so counters are shared by every instance. */
export function createGatewayGuards(
  config: Pick<GatewayConfig, 'rateLimits'>,
  metrics: Pick<GatewayMetrics, 'onRateLimited'>,
  redis?: SharedRedis,
): GatewayGuards {
  const rateLimits = effectiveRateLimits(config.rateLimits);
  const store = createRateLimitStore(config.rateLimits === 'off' ? undefined : redis);
  return {
    rateLimits,
    enforce: (schema) => enforceRateLimits(schema, { store, onRejected: (field) => metrics.onRateLimited(field) }),
    plugins: [queryLimitsPlugin(DEFAULT_QUERY_LIMITS)],
  };
}
