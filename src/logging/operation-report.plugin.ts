// Apollo plugin reporting each GraphQL request once answered: one log line and its metrics, written after the response.
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import { operationOutcome, type OperationOutcome } from '../metrics/operation-outcome';

interface OperationReport {
  outcome: OperationOutcome;
  requestId?: string;
  durationMs: number;
}

/**
 * willSendResponse runs before the endpoint writes the answer: its figures are taken there, and the line and the metrics
 * are written on the next turn of the event loop (all of one turn's requests together), so callers do not wait for them.
 * The log line never carries the query or its variables.
 */
export function operationReportPlugin<TContext extends { requestId?: string }>(
  logger: Logger, metrics: Pick<GatewayMetrics, 'onOperation'>,
): ApolloServerPlugin<TContext> {
  const pending: OperationReport[] = [];
  const writePending = () => {
    for (const report of pending.splice(0)) {
      try {
        writeReport(logger, metrics, report);
      } catch {
        // Outside any request now: a failing log or metrics write must not become an uncaught exception.
      }
    }
  };
  return {
    async serverWillStart() {
      // Reports still waiting for their turn when the server stops are written, not dropped.
      return { serverWillStop: async () => writePending() };
    },
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse(requestContext) {
          const durationMs = performance.now() - startedAt;
          const report: OperationReport = { outcome: operationOutcome(requestContext), requestId: requestContext.contextValue.requestId, durationMs };
          if (pending.push(report) === 1) setImmediate(writePending);
        },
      };
    },
  };
}

function writeReport(logger: Logger, metrics: Pick<GatewayMetrics, 'onOperation'>, report: OperationReport): void {
  const { operationName, operationType, outcome, errorCodes, status } = report.outcome;
  logger.info(
    {
      requestId: report.requestId,
      operationName,
      operationType,
      outcome,
      errorCodes: errorCodes.length > 0 ? errorCodes : undefined,
      status,
      durationMs: Math.round(report.durationMs * 100) / 100,
    },
    'graphql request',
  );
  metrics.onOperation({ operationName, operationType, outcome, durationMs: report.durationMs });
}
