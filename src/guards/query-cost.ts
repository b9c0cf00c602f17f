// The cost of one operation under the gateway's cost model, computed by graphql-query-complexity.
import { createComplexityRule, type ComplexityEstimator } from 'graphql-query-complexity';
import {
  Kind,
  TypeInfo,
  ValidationContext,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

type ComplexityVisitor = ReturnType<ReturnType<typeof createComplexityRule>>;

/**
 * A field costs what it declares (@Cost, @CallsMicrosoft: 10 for a field that calls Microsoft, root or nested such as
 * Calendar.events, counted once however many calendars it batches), any other field 1; introspection fields cost
 * nothing, nor does what is under them.
 */
export function gatewayCostEstimator(): ComplexityEstimator {
  return ({ field, childComplexity }) => {
    if (field.name.startsWith('__')) return 0;
    return declaredCost(field) + childComplexity;
  };
}

/** The field's own cost as declared with @Cost (src/guards/field-rules.ts); 1 without one. */
export function declaredCost(field: { extensions?: Readonly<Record<string, unknown>> | null }): number {
  const cost = field.extensions?.cost;
  return typeof cost === 'number' ? cost : 1;
}

/**
 * The operation's cost with these variables (fields under `@skip(if: true)` cost nothing), or undefined when the
 * variables do not fit the operation: execution then refuses them with BAD_USER_INPUT before any resolver runs.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): number | undefined {
  let isMeasurable = true;
  const typeInfo = new TypeInfo(schema);
  const context = new ValidationContext(schema, document, typeInfo, () => (isMeasurable = false));
  const visitor = createComplexityRule({ maximumComplexity: Number.POSITIVE_INFINITY, estimators: [gatewayCostEstimator()], variables })(context);
  costEachFragmentOnce(visitor);
  visit(operation, visitWithTypeInfo(typeInfo, visitor));
  return isMeasurable ? visitor.complexity : undefined;
}

/**
 * graphql-query-complexity walks a fragment again at every spread that reaches it, so fragments that each spread the
 * next twice make it walk 2^n selections (40 of them: hours, on the event loop). A fragment's cost does not depend on
 * where it is spread (its type condition fixes its type, the operation its variables), so each is costed once;
 * nodeComplexity is the public method the library recurses through.
 */
function costEachFragmentOnce(visitor: ComplexityVisitor): void {
  const walk = visitor.nodeComplexity.bind(visitor);
  const costs = new Map<FragmentDefinitionNode, number>();
  visitor.nodeComplexity = (node, typeDefinition, activeFragments) => {
    if (node.kind !== Kind.FRAGMENT_DEFINITION) return walk(node, typeDefinition, activeFragments);
    let cost = costs.get(node);
    if (cost === undefined) {
      cost = walk(node, typeDefinition, activeFragments);
      costs.set(node, cost);
    }
    return cost;
  };
}
