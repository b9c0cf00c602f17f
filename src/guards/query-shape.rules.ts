// Validation rules refusing operations over the depth and alias limits, measured by graphql-armor's visitors.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { validate, type DocumentNode, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';
import { errors } from '../errors/gateway-errors';
import { breachOf, type QueryLimits } from './query-limits';

type MeasureCallback = (context: ValidationContext | null, measure: { n: number }) => void;

/**
 * graphql-armor's visitors measure each fragment once however many spreads reach it (so a chain of fragments that each
 * spread the next twice is measured in linear time). They run here with no limit of their own and hand back the
 * measure, so the refusal carries the contract's code, limit and actual value rather than armor's own message.
 * Fragments add no depth (as fields inside them sit at the spread's level) and `__schema` is not counted.
 */
function depthMeasuringRule(onMeasured: MeasureCallback): ValidationRule {
  return maxDepthRule({ n: Number.POSITIVE_INFINITY, flattenFragments: true, ignoreIntrospection: true, onAccept: [onMeasured] });
}

/** Aliases of `__typename` are not counted (armor's default allow-list). */
function aliasesMeasuringRule(onMeasured: MeasureCallback): ValidationRule {
  return maxAliasesRule({ n: Number.POSITIVE_INFINITY, onAccept: [onMeasured] });
}

/** The rules Apollo runs with graphql-js's own: each operation over a limit gets one QUERY_TOO_COMPLEX error. */
export function queryShapeRules(limits: Pick<QueryLimits, 'maxDepth' | 'maxAliases'>): ValidationRule[] {
  return [
    (context) => depthMeasuringRule((_, { n }) => reportBreach(context, breachOf('depth', limits.maxDepth, n)))(context),
    (context) => aliasesMeasuringRule((_, { n }) => reportBreach(context, breachOf('number of aliases', limits.maxAliases, n)))(context),
  ];
}

function reportBreach(context: ValidationContext, breach: ReturnType<typeof breachOf>): void {
  if (breach) context.reportError(errors.queryTooComplex(breach.what, breach.limit, breach.actual));
}

/** Depth and alias count of a document's first operation, as the rules measure them (for tests and tools). */
export function measureShape(schema: GraphQLSchema, document: DocumentNode): { depth: number; aliases: number } {
  const measures: { depth?: number; aliases?: number } = {};
  validate(schema, document, [
    depthMeasuringRule((_, { n }) => (measures.depth ??= n)),
    aliasesMeasuringRule((_, { n }) => (measures.aliases ??= n)),
  ]);
  return { depth: measures.depth ?? 0, aliases: measures.aliases ?? 0 };
}
