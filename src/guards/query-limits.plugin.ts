// Apollo plugin refusing operations over the query limits with QUERY_TOO_COMPLEX (HTTP 400) before anything executes.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { errors } from '../errors/gateway-errors';
import type { RequestContext } from '../graphql/context';
import { DEFAULT_QUERY_LIMITS, findBreach, measureOperation, type QueryLimits, type QueryMeasures } from './query-limits';

/**
 * Apollo hands out the same parsed document for every request with the same query text (its document cache), so an
 * operation is measured once, not on every request.
 */
const measuresByOperation = new WeakMap<OperationDefinitionNode, QueryMeasures>();

function measuresOf(document: DocumentNode, operation: OperationDefinitionNode): QueryMeasures {
  let measures = measuresByOperation.get(operation);
  if (!measures) {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    measures = measureOperation(operation, fragments);
    measuresByOperation.set(operation, measures);
  }
  return measures;
}

export function queryLimitsPlugin(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        // Apollo documents didResolveOperation as the hook for checks that need the validated, chosen operation.
        async didResolveOperation(requestContext) {
          if (!requestContext.operation) return;
          const breach = findBreach(measuresOf(requestContext.document, requestContext.operation), limits);
          if (!breach) return;
          // The request is at fault, not the server: Apollo would answer 500 otherwise.
          requestContext.response.http.status = 400;
          throw errors.queryTooComplex(breach.what, breach.limit, breach.actual);
        },
      };
    },
  };
}
