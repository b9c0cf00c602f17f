// The guards one gateway instance runs with: per-field rate limits (memory or Redis) and query limits.
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { GraphQLError, GraphQLSchema, ValidationRule } from 'graphql';
import type { GatewayConfig } from '../config/config.types';
import type { RequestContext } from '../graphql/context';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import type { SharedRedis } from '../scale/redis';
import { clientAddressOf } from '../server/client-address';
import { documentLimitError } from './document-limits';
import { queryCostPlugin } from './query-cost.plugin';
import { DEFAULT_QUERY_LIMITS } from './query-limits';
import { queryShapeRules } from './query-shape.rules';
import { applyRateLimitSettings, enforceRateLimits } from './rate-limit-directive';
import { createRateLimitStore } from './rate-limit-store';
import { routeRateLimit } from './route-rate-limit';
import { effectiveRouteRateLimits } from './rate-limits';

export interface GatewayGuards {
  /** The schema with RATE_LIMITS applied to the limits its fields declare (none with off). */
  applyRateLimits(schema: GraphQLSchema): GraphQLSchema;
  /** Makes the declared @rateLimit directives bite. */
  enforce(schema: GraphQLSchema): GraphQLSchema;
  /** The cost limit, checked per request once the operation is chosen. */
  plugins: ApolloServerPlugin<RequestContext>[];
  /** The depth and alias limits, checked with graphql-js's validation rules. */
  validationRules: ValidationRule[];
  /** The size and token limits, checked on the query text before it is parsed. */
  refuseQueryText(queryText: string): GraphQLError | undefined;
  /** Express middleware limiting a plain route per client address (TRUST_PROXY honoured); passes all when it has no limit. */
  routeLimit(name: string): RequestHandler;
}

/** `redis`: the gateway's shared connection when REDIS_URL is set, so counters are shared by every instance. */
export function createGatewayGuards(
  config: Pick<GatewayConfig, 'rateLimits' | 'trustProxy'>,
  metrics: Pick<GatewayMetrics, 'onRateLimited'>,
  redis?: SharedRedis,
): GatewayGuards {
  const routeLimits = effectiveRouteRateLimits(config.rateLimits);
  const store = createRateLimitStore(config.rateLimits === 'off' ? undefined : redis);
  return {
    applyRateLimits: (schema) => applyRateLimitSettings(schema, config.rateLimits),
    enforce: (schema) => enforceRateLimits(schema, { store, onRejected: (field) => metrics.onRateLimited(field) }),
    plugins: [queryCostPlugin(DEFAULT_QUERY_LIMITS)],
    validationRules: queryShapeRules(DEFAULT_QUERY_LIMITS),
    refuseQueryText: (queryText) => documentLimitError(queryText, DEFAULT_QUERY_LIMITS),
    routeLimit: (name) => {
      const limit = routeLimits[name];
      if (!limit) return (_request, _response, next) => next();
      return routeRateLimit({
        name,
        limit,
        store,
        clientAddress: (request) => clientAddressOf(request, config.trustProxy),
        onRejected: (route) => metrics.onRateLimited(route),
      });
    },
  };
}
