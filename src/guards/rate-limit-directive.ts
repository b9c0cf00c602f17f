// Declares @rateLimit on the root fields named in the limits table, and enforces it with graphql-rate-limit-directive.
import { DirectiveLocation, GraphQLDirective, GraphQLInt, GraphQLNonNull, GraphQLSchema, type GraphQLFieldConfig } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { rateLimitDirective, type RateLimitArgs } from 'graphql-rate-limit-directive';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { errors } from '../errors/gateway-errors';
import type { RequestContext } from '../graphql/context';
import type { RateLimitTable } from './rate-limits';
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

/**
 * Attaches `@rateLimit(limit, duration)` to each root field in the table, as `@Directive` on the resolver method would,
 * so the limits live in one table here instead of in every capability's resolver file.
 */
export function declareRateLimits(schema: GraphQLSchema, table: RateLimitTable): GraphQLSchema {
  const annotated = mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const limit = table[fieldName];
      if (!limit || !ROOT_TYPES.has(typeName)) return fieldConfig;
      return withDirective(fieldConfig, { limit: limit.limit, duration: limit.duration });
    },
  });
  if (annotated.getDirective(RATE_LIMIT_DIRECTIVE)) return annotated;
  const config = annotated.toConfig();
  return new GraphQLSchema({ ...config, directives: [...config.directives, rateLimitDirectiveDefinition] });
}

function withDirective(fieldConfig: GraphQLFieldConfig<unknown, unknown>, args: RateLimitArgs): GraphQLFieldConfig<unknown, unknown> {
  const extensions = (fieldConfig.extensions ?? {}) as Record<string, unknown>;
  const directives = (extensions.directives ?? {}) as Record<string, unknown>;
  return { ...fieldConfig, extensions: { ...extensions, directives: { ...directives, [RATE_LIMIT_DIRECTIVE]: [args] } } };
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
