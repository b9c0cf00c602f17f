// Builds the type-graphql schema once, handing resolvers their services through the container.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync, type NonEmptyArray } from 'type-graphql';
import { declareRateLimits } from '../guards/rate-limit-directive';
import { DEFAULT_RATE_LIMITS, type RateLimitTable } from '../guards/rate-limits';
import { sessionAuthChecker } from './auth-checker';
import { DateTimeScalar } from './date-time.scalar';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ResolverClass = new (...args: any[]) => object;

export interface ResolverBinding {
  resolver: ResolverClass;
  instance: object;
}

/** The schema with `@rateLimit` declared on the fields in `rateLimits` (enforcement is src/guards' job at start-up). */
export function buildGatewaySchema(bindings: ResolverBinding[], rateLimits: RateLimitTable = DEFAULT_RATE_LIMITS): GraphQLSchema {
  const instances = new Map<unknown, object>(bindings.map((binding) => [binding.resolver, binding.instance]));
  const schema = buildSchemaSync({
    resolvers: bindings.map((binding) => binding.resolver) as unknown as NonEmptyArray<ResolverClass>,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    authChecker: sessionAuthChecker,
    authMode: 'error',
    validate: false,
    // Each subscription field brings its own `subscribe` (src/live's change feed); type-graphql insists on a PubSub anyway.
    pubSub: {
      publish: () => {
        throw new Error('publish through the change feed (src/live/change-feed.ts)');
      },
      subscribe: () => {
        throw new Error('subscription fields declare their own subscribe');
      },
    },
    container: {
      get(someClass) {
        const instance = instances.get(someClass);
        if (!instance) throw new Error(`no instance bound for resolver ${(someClass as { name?: string }).name}`);
        return instance;
      },
    },
  });
  return declareRateLimits(schema, rateLimits);
}
