import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GraphQLSchema, isObjectType } from 'graphql';
import { describeAccessRule } from '../../src/graphql/access-rule-docs';
import { accessRuleOf } from '../../src/graphql/access-rules';
import { buildDocumentedSchema } from '../../src/app/schema';
import { TestService } from '../helpers/service';

interface IntrospectedType {
  name: string;
  fields: { name: string; description: string | null }[] | null;
}

let service: TestService;
let documented: GraphQLSchema;
let served: Map<string, string | null>;

beforeAll(async () => {
  service = await TestService.start();
  documented = await buildDocumentedSchema();
  const admin = await service.admin();
  const data = await service.ok<{ __schema: { types: IntrospectedType[] } }>(
    '{ __schema { types { name fields { name description } } } }',
    {},
    admin.authorization,
  );
  served = new Map(
    data.__schema.types.flatMap((type) => (type.fields ?? []).map((field) => [`${type.name}.${field.name}`, field.description] as const)),
  );
});
afterAll(() => service?.stop());

/** Every field that carries @auth or @public in the code, with its rule. */
function guardedFields() {
  return Object.values(documented.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith('__'))
    .flatMap((type) => Object.values(type.getFields()).map((field) => ({ coordinate: `${type.name}.${field.name}`, field, rule: accessRuleOf(documented, field) })))
    .filter((entry) => entry.rule !== null);
}

describe('access rules in the served schema (what GraphiQL\'s Docs explorer shows)', () => {
  it('ends the description of every guarded field with its rule, as the @auth directive states it', () => {
    const fields = guardedFields();
    expect(fields.length).toBeGreaterThan(10);
    for (const { coordinate, field, rule } of fields) {
      const expected = field.description ? `${field.description}  \n${describeAccessRule(rule!)}` : describeAccessRule(rule!);
      expect({ coordinate, description: served.get(coordinate) }).toEqual({ coordinate, description: expected });
    }
  });

  it('words scopes, permissions and public fields plainly', () => {
    expect(served.get('Query.accessTokens')).toMatch(/Access: scope apiTokens\.read$/);
    expect(served.get('Query.groups')).toMatch(/Access: scope settings\.read; permission ADMIN$/);
    expect(served.get('Mutation.reportLeakedToken')).toMatch(/Access: public$/);
    expect(served.get('Query.me')).toMatch(/Access: any authenticated caller$/);
  });

  it('leaves fields without a rule of their own as they are', () => {
    expect(served.get('Scope.value')).not.toMatch(/Access:/);
  });

  it('keeps schema.graphql free of the added lines: it carries the directives themselves', () => {
    const committed = readFileSync(join(__dirname, '../../schema.graphql'), 'utf8');
    expect(committed).toMatch(/@auth\(scope: "apiTokens\.read"/);
    expect(committed).not.toMatch(/^\s*Access: (public|scope|permission|any authenticated)/m);
  });
});
