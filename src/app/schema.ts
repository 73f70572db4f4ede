import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { DateTimeResolver } from 'graphql-scalars';
import { GraphQLError, GraphQLScalarType, type GraphQLSchema, Kind, lexicographicSortSchema } from 'graphql';
import { type ContainerType, buildSchema } from 'type-graphql';
import { AuditResolver } from '../audit/audit.resolver';
import { AuthorizeResolver } from '../auth/authorize.resolver';
import { EffectiveAccessResolver } from '../auth/effective-access.resolver';
import { GroupResolver } from '../directory/group.resolver';
import { ManagementZoneResolver } from '../directory/management-zone.resolver';
import { PermissionGrantResolver } from '../directory/permission-grant.resolver';
import type { User } from '../directory/user.entity';
import type { AccessToken } from '../tokens/access-token.entity';
import { UserResolver } from '../directory/user.resolver';
import { FeatureResolver } from '../features/feature.resolver';
import { ScopeResolver } from '../scopes/scope.resolver';
import { AccessTokenResolver } from '../tokens/access-token.resolver';
import { PersonalAccessTokensResolver } from '../tokens/personal-access-tokens.resolver';
import { TokenPolicyResolver } from '../tokens/token-policy.resolver';
import { withAccessRulesInDescriptions } from '../graphql/access-rule-docs';
import { enforceAccessRules, withAccessRuleDirectives } from '../graphql/access-rules';
import { fieldRefusal } from '../auth/field-access';
import type { Context } from './context';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An input date-time: ISO-8601 with an offset, or a date alone for the end of that day in UTC,
 * so "expires 2027-01-31" keeps a token through that day. Outputs are always full date-times.
 */
function parseDateTime(value: unknown): unknown {
  try {
    return DateTimeResolver.parseValue(typeof value === 'string' && DATE_ONLY.test(value) ? `${value}T23:59:59.999Z` : value);
  } catch {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
    throw new GraphQLError(`${shown} is not a date: give YYYY-MM-DD (the end of that day, UTC) or a date-time with an offset, e.g. 2027-01-31 or 2027-01-31T12:00:00Z`);
  }
}

const DateTime = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  description:
    'An ISO-8601 date-time string with an offset, e.g. 2027-01-31T12:00:00.000Z. As input, a date alone ' +
    '(2027-01-31) means the end of that day in UTC (2027-01-31T23:59:59.999Z).',
  parseValue: parseDateTime,
  parseLiteral: (ast, variables) => (ast.kind === Kind.STRING ? parseDateTime(ast.value) : DateTimeResolver.parseLiteral(ast, variables)),
});

export const resolvers = [
  ScopeResolver,
  UserResolver,
  PermissionGrantResolver,
  GroupResolver,
  ManagementZoneResolver,
  FeatureResolver,
  AccessTokenResolver,
  PersonalAccessTokensResolver,
  AuthorizeResolver,
  EffectiveAccessResolver,
  TokenPolicyResolver,
  AuditResolver,
] as const;

/**
 * One instance of each resolver class, found by a map: type-graphql's default container searches a
 * list at every resolved field (150 times for a page of 50 tokens with their owners, scopes and status).
 * The resolvers keep no state; what they need comes with each request's context.
 */
class ResolverInstances implements ContainerType {
  private readonly instances = new Map<new () => object, object>();

  get(resolverClass: new () => object): object {
    let instance = this.instances.get(resolverClass);
    if (!instance) this.instances.set(resolverClass, (instance = new resolverClass()));
    return instance;
  }
}

/** The schema with its @auth/@public directives, before enforcement: what schema.graphql shows. */
export async function buildDocumentedSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    container: new ResolverInstances(),
    scalarsMap: [{ type: Date, scalar: DateTime }],
    validate: false,
  });
  return withAccessRuleDirectives(schema);
}

/** The executable schema: every access rule enforced, default deny checked, and each rule repeated in its field's description for GraphiQL. */
export async function buildExecutableSchema(): Promise<GraphQLSchema> {
  return enforceAccessRules<Context>(withAccessRulesInDescriptions(await buildDocumentedSchema()), {
    check: (rule, context, target) => fieldRefusal(rule, context.caller, target),
    // A user stands for itself; a PAT for its owner. A classic token is the environment's: nobody's own.
    selfOf: { User: (user: User) => user.id, AccessToken: (token: AccessToken) => (token.personalAccessToken ? token.ownerId : null) },
  });
}

/** schema.graphql's text: sorted, with directives, so diffs stay small and the file can be checked for staleness. */
export function printSchemaFile(schema: GraphQLSchema): string {
  return `${printSchemaWithDirectives(lexicographicSortSchema(schema))}\n`;
}
