// Apollo plugin refusing operations over the query limits with QUERY_TOO_COMPLEX (HTTP 400) before anything executes.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import { errors } from '../errors/gateway-errors';
import type { RequestContext } from '../graphql/context';
import { DEFAULT_QUERY_LIMITS, findBreach, measureOperation, type QueryLimits } from './query-limits';

export function queryLimitsPlugin(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        // Apollo documents didResolveOperation as the hook for checks that need the validated, chosen operation.
        async didResolveOperation(requestContext) {
          if (!requestContext.operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of requestContext.document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const breach = findBreach(measureOperation(requestContext.operation, fragments), limits);
          if (!breach) return;
          // The request is at fault, not the server: Apollo would answer 500 otherwise.
          requestContext.response.http.status = 400;
          throw errors.queryTooComplex(breach.what, breach.limit, breach.actual);
        },
      };
    },
  };
}
