// Applies RATE_LIMITS to the @rateLimit limits the root fields declare, and enforces them with graphql-rate-limit-directive.
import { DirectiveLocation, GraphQLDirective, GraphQLInt, GraphQLNonNull, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { rateLimitDirective, type RateLimitArgs } from 'graphql-rate-limit-directive';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { errors } from '../errors/gateway-errors';
import type { RequestContext } from '../graphql/context';
import type { GatewayConfig } from '../config/config.types';
import { ConfigError } from '../config/load-config';
import { DEFAULT_ROUTE_RATE_LIMITS, rateLimitOverrides, type FieldRateLimit, type RateLimitTable } from './rate-limits';
import type { RateLimitStore } from './rate-limit-store';

export const RATE_LIMIT_DIRECTIVE = 'rateLimit';

/** The same definition graphql-rate-limit-directive documents in its rateLimitDirectiveTypeDefs. */
export const rateLimitDirectiveDefinition = new GraphQLDirective({
  name: RATE_LIMIT_DIRECTIVE,
  description: 'Controls the rate of traffic: each caller (signed-in user, else client address) may call the field `limit` times per `duration` seconds.',
  locations: [DirectiveLocation.OBJECT, DirectiveLocation.FIELD_DEFINITION],
  args: {
    limit: { type: new GraphQLNonNull(GraphQLInt), defaultValue: 60, description: 'Number of occurrences allowed over duration.' },
    duration: { type: new GraphQLNonNull(GraphQLInt), defaultValue: 60, description: 'Number of seconds before limit is reset.' },
  },
});

const ROOT_TYPES = new Set(['Query', 'Mutation']);

/** The limits the root fields declare with @RateLimit, by field name. */
export function declaredRateLimits(schema: GraphQLSchema): RateLimitTable {
  const table: RateLimitTable = {};
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const [args] = getDirective(schema, field, RATE_LIMIT_DIRECTIVE) ?? [];
      if (args) table[field.name] = { limit: args.limit as number, duration: args.duration as number };
    }
  }
  return table;
}

/**
 * The schema with RATE_LIMITS applied to the declared limits: overridden ones replaced, all of them dropped with 'off'.
 * An override naming neither a limited field nor a limited route stops start-up: it would leave the real one at its default.
 */
export function applyRateLimitSettings(schema: GraphQLSchema, rateLimits: GatewayConfig['rateLimits']): GraphQLSchema {
  const declared = declaredRateLimits(schema);
  const overrides = rateLimitOverrides(rateLimits);
  const known = [...Object.keys(declared), ...Object.keys(DEFAULT_ROUTE_RATE_LIMITS)];
  const unknown = overrides === 'off' ? undefined : Object.keys(overrides).find((name) => !known.includes(name));
  if (unknown) {
    throw new ConfigError('RATE_LIMITS', `expected one of the rate-limited fields and routes (${known.join(', ')}), got an unknown field ${unknown}`);
  }
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (fieldConfig, fieldName, typeName) => {
      if (!declared[fieldName] || !ROOT_TYPES.has(typeName)) return fieldConfig;
      const limit = overrides === 'off' ? undefined : (overrides[fieldName] ?? declared[fieldName]);
      return withRateLimit(fieldConfig, limit);
    },
  });
}

/** The field with exactly this @rateLimit (none when undefined), held in extensions, which take precedence over the SDL node. */
function withRateLimit(fieldConfig: GraphQLFieldConfig<unknown, unknown>, limit: FieldRateLimit | undefined): GraphQLFieldConfig<unknown, unknown> {
  const extensions = (fieldConfig.extensions ?? {}) as Record<string, unknown>;
  const { [RATE_LIMIT_DIRECTIVE]: _declared, ...otherDirectives } = (extensions.directives ?? {}) as Record<string, unknown>;
  const directives = limit ? { ...otherDirectives, [RATE_LIMIT_DIRECTIVE]: [{ limit: limit.limit, duration: limit.duration } satisfies RateLimitArgs] } : otherDirectives;
  const astNode = fieldConfig.astNode && {
    ...fieldConfig.astNode,
    directives: fieldConfig.astNode.directives?.filter((directive) => directive.name.value !== RATE_LIMIT_DIRECTIVE),
  };
  return { ...fieldConfig, astNode, extensions: { ...extensions, directives } };
}

export interface RateLimitEnforcement {
  store: RateLimitStore;
  /** Told of every refused call, for the rate-limit rejection metric. */
  onRejected?(field: string): void;
}

/** Wraps every field carrying @rateLimit so a caller over its limit gets RATE_LIMITED on that field alone. */
export function enforceRateLimits(schema: GraphQLSchema, enforcement: RateLimitEnforcement): GraphQLSchema {
  const { rateLimitDirectiveTransformer } = rateLimitDirective<RequestContext>({
    name: RATE_LIMIT_DIRECTIVE,
    keyGenerator: (_directiveArgs, _source, _args, context, info) => `${callerKey(context)}:${info.parentType.name}.${info.fieldName}`,
    onLimit: (response: RateLimiterRes, _directiveArgs, _source, _args, _context, info) => {
      enforcement.onRejected?.(info.fieldName);
      throw errors.rateLimited(Math.max(1, Math.ceil(response.msBeforeNext / 1000)));
    },
    limiterClass: enforcement.store.limiterClass,
    limiterOptions: enforcement.store.limiterOptions,
  });
  return rateLimitDirectiveTransformer(schema);
}

/** Limits follow the signed-in user across addresses; anonymous callers are told apart by address. */
export function callerKey(context: Pick<RequestContext, 'session' | 'clientAddress'>): string {
  return context.session ? `user:${context.session.userId}` : `address:${context.clientAddress}`;
}
