import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GraphQLSchema, buildSchema as buildSdl, isInputObjectType, isObjectType } from 'graphql';
import { Field, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';
import { Permission } from '../../src/directory/permission.enum';
import { Auth, Public, accessRuleOf, enforceAccessRules, withAccessRuleDirectives } from '../../src/graphql/access-rules';
import { buildDocumentedSchema, printSchemaFile } from '../../src/app/schema';

describe('schema.graphql', () => {
  let schema: GraphQLSchema;

  beforeAll(async () => {
    schema = await buildDocumentedSchema();
  });

  it('is the printed schema of the running code (run `npm run schema` when this fails)', () => {
    const committed = readFileSync(join(__dirname, '../../schema.graphql'), 'utf8');
    expect(printSchemaFile(schema)).toBe(committed);
  });

  it('is valid SDL that keeps every access rule the code enforces', () => {
    const printed = buildSdl(printSchemaFile(schema));
    for (const root of [schema.getQueryType()!, schema.getMutationType()!]) {
      for (const field of Object.values(root.getFields())) {
        const printedField = (printed.getType(root.name) as typeof root).getFields()[field.name];
        expect(accessRuleOf(printed, printedField)).toEqual(accessRuleOf(schema, field));
      }
    }
  });

  it('gives every root field exactly one rule', () => {
    for (const root of [schema.getQueryType()!, schema.getMutationType()!]) {
      for (const field of Object.values(root.getFields())) {
        expect({ field: field.name, rule: accessRuleOf(schema, field) }).toEqual({ field: field.name, rule: expect.anything() });
      }
    }
  });

  it('describes every input field and every argument, so GraphiQL\'s docs say what each input means', () => {
    const undescribed: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description?.trim()) undescribed.push(`${type.name}.${field.name}`);
      }
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          for (const argument of field.args) if (!argument.description?.trim()) undescribed.push(`${type.name}.${field.name}(${argument.name})`);
        }
      }
    }
    expect(undescribed).toEqual([]);
  });

  it('puts the nested rule on User.personalAccessTokens', () => {
    const user = schema.getType('User');
    if (!isObjectType(user)) throw new Error('User is not an object type');
    expect(accessRuleOf(schema, user.getFields().personalAccessTokens)).toEqual({ scope: 'apiTokens.read', permission: undefined });
  });
});

describe('default deny', () => {
  @ObjectType()
  class Thing {
    @Field(() => Permission)
    permission: Permission;
  }

  @Resolver()
  class ForgetfulResolver {
    @Query(() => Thing)
    thing(): Thing {
      return { permission: Permission.VIEWER };
    }
  }

  @Resolver()
  class GuardedResolver {
    @Query(() => Thing)
    @Auth()
    @Public()
    confused(): Thing {
      return { permission: Permission.VIEWER };
    }
  }

  it('refuses to build a schema with a root field that has no access rule', async () => {
    const schema = withAccessRuleDirectives(await buildSchema({ resolvers: [ForgetfulResolver], validate: false }));
    expect(() => enforceAccessRules(schema, { check: async () => null })).toThrow('Query.thing needs exactly one access rule');
  });

  @Resolver()
  class MisspeltResolver {
    @Query(() => Thing)
    @Auth({ permission: 'SUPERUSER' })
    misspelt(): Thing {
      return { permission: Permission.VIEWER };
    }
  }

  it('refuses a rule that names a permission the schema does not know', async () => {
    const schema = withAccessRuleDirectives(await buildSchema({ resolvers: [MisspeltResolver], validate: false }));
    expect(() => enforceAccessRules(schema, { check: async () => null })).toThrow('Argument "permission" has invalid value SUPERUSER');
  });

  it('refuses a root field that is both public and guarded', async () => {
    const schema = withAccessRuleDirectives(await buildSchema({ resolvers: [GuardedResolver], validate: false }));
    expect(() => enforceAccessRules(schema, { check: async () => null })).toThrow('Query.confused needs exactly one access rule');
  });
});
