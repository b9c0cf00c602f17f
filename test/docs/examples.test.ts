// Every example operation in docs/examples/**/*.graphql parses and validates against the gateway's schema, so docs never rot.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/build-schema';
import { schemaOnlyBindings } from '../../src/graphql/resolvers';

const EXAMPLES_ROOT = path.join(__dirname, '..', '..', 'docs', 'examples');

function graphqlFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return graphqlFiles(full);
    return entry.name.endsWith('.graphql') ? [full] : [];
  });
}

const files = graphqlFiles(EXAMPLES_ROOT).map((file) => path.relative(EXAMPLES_ROOT, file));

describe('docs/examples', () => {
  const schema = buildGatewaySchema(schemaOnlyBindings());

  it('holds example operations', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s is valid against the schema', (file) => {
    const document = parse(readFileSync(path.join(EXAMPLES_ROOT, file), 'utf8'));
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  });
});
