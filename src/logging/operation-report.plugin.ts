// Apollo plugin reporting each GraphQL request once answered: one log line and its metrics, written after the response.
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import { operationOutcome } from '../metrics/operation-outcome';

/**
 * willSendResponse runs before the endpoint writes the answer; the line and the metrics wait for the next turn of the
 * event loop (setImmediate), so the caller does not wait for them. Their figures are taken here, when the answer is ready.
 * The log line never carries the query or its variables.
 */
export function operationReportPlugin<TContext extends { requestId?: string }>(
  logger: Logger, metrics: Pick<GatewayMetrics, 'onOperation'>,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse(requestContext) {
          const durationMs = performance.now() - startedAt;
          const { operationName, operationType, outcome, errorCodes, status } = operationOutcome(requestContext);
          const requestId = requestContext.contextValue.requestId;
          setImmediate(() => {
            logger.info(
              {
                requestId,
                operationName,
                operationType,
                outcome,
                errorCodes: errorCodes.length > 0 ? errorCodes : undefined,
                status,
                durationMs: Math.round(durationMs * 100) / 100,
              },
              'graphql request',
            );
            metrics.onOperation({ operationName, operationType, outcome, durationMs });
          });
        },
      };
    },
  };
}
