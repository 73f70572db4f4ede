// `npm run codegen`: typed documents for client/operations/*.graphql, from the committed schema.graphql
// (not a running service), so generating needs no server and follows the schema exactly as committed.
// test/client/codegen.test.ts fails while client/generated/ is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['client/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'client/generated/': {
      preset: 'client',
      presetConfig: {
        // The example reads fragment fields directly; masking pays off in component trees, not in a script.
        fragmentMasking: false,
      },
      config: {
        // DateTime travels as an ISO-8601 string in JSON.
        scalars: { DateTime: 'string' },
        useTypeImports: true,
      },
    },
  },
};

export default config;
