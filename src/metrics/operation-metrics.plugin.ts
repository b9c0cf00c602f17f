// Apollo plugin counting each GraphQL operation by name and outcome, with its latency.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayMetrics } from './gateway-metrics';
import { operationOutcome } from './operation-outcome';

export function operationMetricsPlugin<TContext extends object>(metrics: GatewayMetrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse(requestContext) {
          const { operationName, operationType, outcome } = operationOutcome(requestContext);
          metrics.onOperation({ operationName, operationType, outcome, durationMs: performance.now() - startedAt });
        },
      };
    },
  };
}
