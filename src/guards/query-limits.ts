// Measures an operation's depth, aliases and cost before execution, so one request cannot fan out into many Graph calls.
import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

export interface QueryMeasures {
  depth: number;
  aliases: number;
  cost: number;
}

/**
 * Our deepest legitimate query is about 4 levels; a Graph-bound field costs 10 and everything else 1,
 * so one request can reach Microsoft at most about 20 times however it is written.
 */
export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = Object.freeze({ maxDepth: 10, maxAliases: 20, maxCost: 200 });

/** Root fields that call Microsoft (the identity platform or Graph) each time they resolve. */
export const MICROSOFT_FACING_FIELDS: ReadonlySet<string> = new Set([
  'startMicrosoftSignIn',
  'completeMicrosoftSignIn',
  'microsoftProfile',
  'calendar',
  'events',
  'event',
  'createEvent',
  'updateEvent',
  'deleteEvent',
]);
export const MICROSOFT_FIELD_COST = 10;

/** Depth, alias count and cost of one operation, following fragment spreads; introspection fields are not counted. */
export function measureOperation(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): QueryMeasures {
  const measures: QueryMeasures = { depth: 0, aliases: 0, cost: 0 };
  walk(operation.selectionSet, 1, true, new Set());
  return measures;

  function walk(selectionSet: SelectionSetNode, depth: number, isRoot: boolean, visitedFragments: Set<string>): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        measures.depth = Math.max(measures.depth, depth);
        if (selection.alias) measures.aliases += 1;
        measures.cost += isRoot && MICROSOFT_FACING_FIELDS.has(selection.name.value) ? MICROSOFT_FIELD_COST : 1;
        if (selection.selectionSet) walk(selection.selectionSet, depth + 1, false, visitedFragments);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth, isRoot, visitedFragments);
      } else {
        const fragment = fragments[selection.name.value];
        // Validation refuses fragment cycles, but this runs defensively on whatever parsed.
        if (!fragment || visitedFragments.has(fragment.name.value)) continue;
        walk(fragment.selectionSet, depth, isRoot, new Set([...visitedFragments, fragment.name.value]));
      }
    }
  }
}

export interface QueryLimitBreach {
  what: 'depth' | 'number of aliases' | 'cost';
  limit: number;
  actual: number;
}

/** The first limit the measures break, if any. */
export function findBreach(measures: QueryMeasures, limits: QueryLimits): QueryLimitBreach | undefined {
  if (measures.depth > limits.maxDepth) return { what: 'depth', limit: limits.maxDepth, actual: measures.depth };
  if (measures.aliases > limits.maxAliases) return { what: 'number of aliases', limit: limits.maxAliases, actual: measures.aliases };
  if (measures.cost > limits.maxCost) return { what: 'cost', limit: limits.maxCost, actual: measures.cost };
  return undefined;
}
