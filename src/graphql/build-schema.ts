// Builds the type-graphql schema once, handing resolvers their services through the container.
import 'reflect-metadata';
import { specifiedDirectives, type GraphQLSchema } from 'graphql';
import { buildSchemaSync, type NonEmptyArray } from 'type-graphql';
import type { GatewayConfig } from '../config/config.types';
import { rateLimitDirectiveDefinition } from '../guards/rate-limit-directive';
import { gatewayAuthChecker } from './auth-checker';
import { DateTimeScalar } from './date-time.scalar';
import { inputValidator } from './input-validation';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ResolverClass = new (...args: any[]) => object;

export interface ResolverBinding {
  resolver: ResolverClass;
  instance: object;
}

/** The settings the schema's own rules read: who is admin (@Authorized('ADMIN')) and where returnTo may point. */
export type SchemaSettings = Partial<Pick<GatewayConfig, 'adminToken' | 'allowedReturnOrigins'>>;

/**
 * The schema with each field's rules as declared on it: @Authorized, argument validation, @RateLimit (declared only;
 * RATE_LIMITS and enforcement are src/guards' job at start-up) and cost.
 */
export function buildGatewaySchema(bindings: ResolverBinding[], settings: SchemaSettings = {}): GraphQLSchema {
  const instances = new Map<unknown, object>(bindings.map((binding) => [binding.resolver, binding.instance]));
  return buildSchemaSync({
    resolvers: bindings.map((binding) => binding.resolver) as unknown as NonEmptyArray<ResolverClass>,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    directives: [...specifiedDirectives, rateLimitDirectiveDefinition],
    authChecker: gatewayAuthChecker(settings.adminToken),
    authMode: 'error',
    validateFn: inputValidator({ allowedReturnOrigins: settings.allowedReturnOrigins ?? [] }),
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
}
