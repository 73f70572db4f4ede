import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import {
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  buildSchema,
  getNamedType,
  isCompositeType,
  parse,
} from 'graphql';

/**
 * A user's subject, email and permissions are readable by that user and by administrators only
 * (`@auth(..., permission: ADMIN, self: true)`); asked by anybody else, the service answers
 * FORBIDDEN with partial data. The app signs in as a person: an operation that asks them of a user
 * other than `me` may be sent only from the admin pages, which only administrators reach.
 */
const ROOT = resolve(__dirname, '../..');
const OPERATIONS = join(ROOT, 'client/operations');
const WEB = join(ROOT, 'web/src');
const ADMIN_PAGES = join(WEB, 'pages/admin') + sep;
const IDENTITY = new Set(['subject', 'email', 'permissions']);

const schema = buildSchema(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));

/**
 * Where `document` asks a user's identity fields of a user other than the caller: each as
 * "<operation>: <field that reached the user>.<identity field>".
 */
function identityQuestions(graphqlSchema: GraphQLSchema, source: string): string[] {
  const document = parse(source);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const found: string[] = [];

  const walk = (operation: string, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, reachedBy: string): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (parent.name === 'User' && IDENTITY.has(name) && reachedBy !== 'Query.me') found.push(`${operation}: ${reachedBy}.${name}`);
        const field = 'getFields' in parent ? parent.getFields()[name] : undefined;
        const type = field && getNamedType(field.type);
        if (selection.selectionSet && type && isCompositeType(type)) walk(operation, selection.selectionSet, type, `${parent.name}.${name}`);
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value)! : selection;
        const condition = fragment.typeCondition ? graphqlSchema.getType(fragment.typeCondition.name.value) : parent;
        if (condition && isCompositeType(condition)) walk(operation, fragment.selectionSet, condition, reachedBy);
      }
    }
  };

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = definition.operation === 'query' ? graphqlSchema.getQueryType() : graphqlSchema.getMutationType();
    walk(definition.name?.value ?? '(anonymous)', definition.selectionSet, root!, '');
  }
  return found;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the identity fields the app asks for', () => {
  it('are found wherever a user other than the caller is reached, through fragments too', () => {
    const found = identityQuestions(
      schema,
      `fragment Owner on AccessToken { owner { id email } }
       query Mine { me { subject personalAccessTokens { nodes { ...Owner } } } }
       query Members { groups { members { ... on User { permissions { permission } } } } }`,
    );
    expect(found).toEqual(['Mine: AccessToken.owner.email', 'Members: Group.members.permissions']);
  });

  it('are asked of users other than the caller only from the admin pages', () => {
    const source = readdirSync(OPERATIONS)
      .filter((name) => name.endsWith('.graphql'))
      .map((name) => readFileSync(join(OPERATIONS, name), 'utf8'))
      .join('\n');
    const operations = new Set(identityQuestions(schema, source).map((question) => question.split(':')[0]));
    const pages = filesUnder(WEB).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    const outsideAdmin = [...operations].flatMap((operation) =>
      pages
        .filter(({ file, text }) => new RegExp(`\\b${operation}Document\\b`).test(text) && !file.startsWith(ADMIN_PAGES))
        .map(({ file }) => `${operation} in ${relative(ROOT, file)}`),
    );
    expect(outsideAdmin).toEqual([]);
  });
});
