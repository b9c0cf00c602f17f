// What graphql-rate-limit-directive adds to one rate-limited root field, without HTTP or Apollo: graphql-js executes
// `{ viewer { id } }` on the same schema with and without the gateway's @rateLimit enforcement (in-memory counters,
// a limit no run reaches), in rounds, sequentially.
//   node -r ./bench/register.js bench/experiments/rate-limit-cost.ts [executionsPerRound]
import { buildSchema, execute, parse, type GraphQLSchema } from 'graphql';
import { enforceRateLimits } from '../../src/guards/rate-limit-directive';
import { createRateLimitStore } from '../../src/guards/rate-limit-store';

function viewerSchema(rateLimit = ''): GraphQLSchema {
  const directive = 'directive @rateLimit(limit: Int!, duration: Int!) on FIELD_DEFINITION';
  const schema = buildSchema(`${directive} type Viewer { id: ID } type Query { viewer: Viewer ${rateLimit} }`);
  schema.getQueryType()!.getFields().viewer.resolve = () => ({ id: 'user-1' });
  return schema;
}

async function timePerExecution(schema: GraphQLSchema, count: number): Promise<number> {
  const document = parse('{ viewer { id } }');
  const contextValue = { clientAddress: '127.0.0.1' };
  const startedAt = process.hrtime.bigint();
  for (let index = 0; index < count; index += 1) {
    const result = execute({ schema, document, contextValue });
    if (result instanceof Promise) await result;
  }
  return Number(process.hrtime.bigint() - startedAt) / count / 1000;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 200_000);
  const plain = viewerSchema();
  const limited = enforceRateLimits(
    viewerSchema('@rateLimit(limit: 1000000000, duration: 60)'),
    { store: createRateLimitStore(undefined) },
  );
  const rounds: Array<[number, number]> = [];
  for (let round = 0; round < 5; round += 1) rounds.push([await timePerExecution(plain, count), await timePerExecution(limited, count)]);
  for (const [plainMicros, limitedMicros] of rounds.slice(1)) {
    console.log(`plain ${plainMicros.toFixed(2)} µs  rate-limited ${limitedMicros.toFixed(2)} µs  added ${(limitedMicros - plainMicros).toFixed(2)} µs per execution`);
  }
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
