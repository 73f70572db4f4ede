import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { describeError } from '../describe-error';
import { buildDocumentedSchema, printSchemaFile } from '../app/schema';

/** `npm run schema`: writes schema.graphql from the built schema, directives included, sorted. */
buildDocumentedSchema()
  .then((schema) => {
    writeFileSync('schema.graphql', printSchemaFile(schema));
    process.stdout.write('schema.graphql written\n');
  })
  .catch((error: unknown) => {
    process.stderr.write(`${describeError(error)}\n`);
    process.exit(1);
  });
