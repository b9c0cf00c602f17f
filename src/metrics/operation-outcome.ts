// What became of a GraphQL operation, shared by the operation metrics and the request log line.
import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';

export interface OperationOutcome {
  operationName: string | null;
  operationType: string;
  /** `success`, or the first error's code (a small fixed set: ours and Apollo's). */
  outcome: string;
  errorCodes: string[];
  status: number;
}

export function operationOutcome<TContext extends object>(requestContext: GraphQLRequestContextWillSendResponse<TContext>): OperationOutcome {
  const body = requestContext.response.body;
  const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
  const errorCodes = errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  return {
    operationName: requestContext.operationName ?? requestContext.operation?.name?.value ?? null,
    operationType: requestContext.operation?.operation ?? 'unknown',
    outcome: errorCodes[0] ?? 'success',
    errorCodes: errorCodes.length > 1 ? [...new Set(errorCodes)] : errorCodes,
    status: requestContext.response.http.status ?? 200,
  };
}
