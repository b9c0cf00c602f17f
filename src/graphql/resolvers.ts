// Every resolver class of the schema, with how to build it from the services.
import { HealthResolver } from '../health/health.resolver';
import type { GatewayServices } from '../services';
import type { ResolverBinding } from './build-schema';
import { PendingResolver } from './pending.resolver';

export function resolverBindings(services: GatewayServices): ResolverBinding[] {
  return [
    { resolver: HealthResolver, instance: new HealthResolver(services.health) },
    { resolver: PendingResolver, instance: new PendingResolver() },
  ];
}

/** The schema's shape alone (for emitting SDL): resolvers are never called. */
export function schemaOnlyBindings(): ResolverBinding[] {
  return resolverBindings(new Proxy({}, { get: () => ({}) }) as GatewayServices).map(({ resolver }) => ({ resolver, instance: {} }));
}
