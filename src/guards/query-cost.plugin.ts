// Apollo plugin refusing operations over the cost limit with QUERY_TOO_COMPLEX (HTTP 400) before anything executes.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { errors, GatewayError } from '../errors/gateway-errors';
import type { RequestContext } from '../graphql/context';
import { operationCost } from './query-cost';
import { breachOf, type QueryLimits } from './query-limits';

/**
 * Cost is measured per request, not once per document in validation: `@skip`/`@include` and arguments may come from
 * variables. Depth and aliases do not depend on them and are refused by validation rules (query-shape.rules.ts).
 */
export function queryCostPlugin(limits: Pick<QueryLimits, 'maxCost'>): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ schema }) {
      return {
        // Apollo documents didResolveOperation as the hook for checks that need the validated, chosen operation.
        async didResolveOperation(requestContext) {
          if (!requestContext.operation) return;
          let cost: number | undefined;
          try {
            cost = operationCost(schema, requestContext.document, requestContext.operation, requestContext.request.variables);
          } catch (error) {
            // graphql-js refuses a directive argument the variables leave null (`@skip(if: $v)` with v: null) while
            // costing: the caller's input, not a fault of ours, which Apollo would mask as a 500.
            if (!(error instanceof GraphQLError) || error instanceof GatewayError) throw error;
            requestContext.response.http.status = 400;
            throw errors.badUserInput('variables', error.message);
          }
          const breach = cost === undefined ? undefined : breachOf('cost', limits.maxCost, cost);
          if (!breach) return;
          // The request is at fault, not the server: Apollo would answer 500 otherwise.
          requestContext.response.http.status = 400;
          throw errors.queryTooComplex(breach.what, breach.limit, breach.actual);
        },
      };
    },
  };
}
