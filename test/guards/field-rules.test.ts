// Every root field that calls Microsoft declares its rate limit and its cost on itself; a new field cannot slip through.
import { buildGatewaySchema } from '../../src/graphql/build-schema';
import { schemaOnlyBindings } from '../../src/graphql/resolvers';
import { declaredCost } from '../../src/guards/query-cost';
import { declaredRateLimits } from '../../src/guards/rate-limit-directive';
import { MICROSOFT_FIELD_COST } from '../../src/guards/query-limits';

/** Root fields that answer from the gateway alone. Any other root field is taken to call Microsoft. */
const LOCAL_FIELDS = new Set(['viewer', 'health', 'tokenStats', 'signOut', 'disconnectMicrosoft']);

const schema = buildGatewaySchema(schemaOnlyBindings());
const rootFields = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) => Object.values(type.getFields()));
const limits = declaredRateLimits(schema);

describe('rules declared on root fields', () => {
  it('knows every local field it allows (none was renamed or removed)', () => {
    expect(rootFields.map((field) => field.name)).toEqual(expect.arrayContaining([...LOCAL_FIELDS]));
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
});
