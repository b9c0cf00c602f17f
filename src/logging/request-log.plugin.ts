// Apollo plugin writing one log line per GraphQL request: operation, duration, outcome, request id; never the query or variables.
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import { operationOutcome } from '../metrics/operation-outcome';

export function requestLogPlugin<TContext extends { requestId?: string }>(logger: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse(requestContext) {
          const { operationName, operationType, outcome, errorCodes, status } = operationOutcome(requestContext);
          logger.info(
            {
              requestId: requestContext.contextValue.requestId,
              operationName,
              operationType,
              outcome,
              errorCodes: errorCodes.length > 0 ? errorCodes : undefined,
              status,
              durationMs: Math.round((performance.now() - startedAt) * 100) / 100,
            },
            'graphql request',
          );
        },
      };
    },
  };
}
