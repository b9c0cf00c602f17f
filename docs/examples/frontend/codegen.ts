// GraphQL Code Generator config for a frontend: typed operations from the gateway's schema and your .graphql files.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  // The checked-in schema, or the running gateway's /graphql in development (introspection is on there).
  schema: 'schema/schema.graphql',
  documents: ['docs/examples/**/*.graphql'],
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        // DateTime travels as an ISO 8601 string with an offset, e.g. "2026-11-24T09:00:00.000Z".
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
