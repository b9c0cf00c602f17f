// Every field that calls Microsoft declares its cost (and, at the root, its rate limit) on itself; a new field cannot slip through.
import type { GraphQLObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { buildGatewaySchema } from '../../src/graphql/build-schema';
import { schemaOnlyBindings } from '../../src/graphql/resolvers';
import { declaredCost } from '../../src/guards/query-cost';
import { declaredRateLimits } from '../../src/guards/rate-limit-directive';
import { MICROSOFT_FIELD_COST } from '../../src/guards/query-limits';

/** Root fields that answer from the gateway alone. Any other root field is taken to call Microsoft. */
const LOCAL_FIELDS = new Set([
  'viewer', 'health', 'tokenStats', 'webhookDeliveries', 'signOut', 'disconnectMicrosoft',
  // Each push answers from the change feed; a rate limit would count pushes, not subscriptions.
  'calendarChanged',
]);
/** Fields below the root that a resolver class resolves (@FieldResolver) from the gateway alone; any other calls Microsoft. */
const LOCAL_NESTED_FIELDS = new Set(['Viewer.connections']);

const schema = buildGatewaySchema(schemaOnlyBindings());
const rootFields = [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!].flatMap((type) => Object.values(type.getFields()));
const limits = declaredRateLimits(schema);

/** Type.field of every @FieldResolver: the nested fields whose value a service computes, as a root field's is. */
const nestedFields = getMetadataStorage().fieldResolvers.map((resolver) => {
  const typeName = getMetadataStorage().objectTypes.find((type) => type.target === resolver.getObjectType!())!.name;
  const field = (schema.getType(typeName) as GraphQLObjectType).getFields()[resolver.schemaName];
  return [`${typeName}.${resolver.schemaName}`, field] as const;
});

describe('rules declared on fields', () => {
  it('knows every local field it allows (none was renamed or removed)', () => {
    expect(rootFields.map((field) => field.name)).toEqual(expect.arrayContaining([...LOCAL_FIELDS]));
    expect(nestedFields.map(([name]) => name)).toEqual(expect.arrayContaining([...LOCAL_NESTED_FIELDS]));
  });

  it.each(rootFields.filter((field) => !LOCAL_FIELDS.has(field.name)).map((field) => [field.name, field] as const))(
    '%s calls Microsoft, so it declares a rate limit and the Microsoft cost',
    (_name, field) => {
      expect(limits[field.name]).toEqual({ limit: expect.any(Number), duration: expect.any(Number) });
      expect(declaredCost(field)).toBe(MICROSOFT_FIELD_COST);
    },
  );

  it.each([...LOCAL_FIELDS])('%s answers locally and costs 1', (name) => {
    expect(declaredCost(rootFields.find((field) => field.name === name)!)).toBe(1);
  });

  it('finds the nested fields that call Microsoft, Calendar.events among them', () => {
    expect(nestedFields.map(([name]) => name).filter((name) => !LOCAL_NESTED_FIELDS.has(name))).toContain('Calendar.events');
  });

  // A nested field's rate limit is its root field's: only its cost is its own.
  it.each(nestedFields.filter(([name]) => !LOCAL_NESTED_FIELDS.has(name)))('%s calls Microsoft, so it declares the Microsoft cost', (_name, field) => {
    expect(declaredCost(field)).toBe(MICROSOFT_FIELD_COST);
  });

  it.each([...LOCAL_NESTED_FIELDS])('%s answers locally and costs 1', (name) => {
    expect(declaredCost(nestedFields.find(([nested]) => nested === name)![1])).toBe(1);
  });
});
