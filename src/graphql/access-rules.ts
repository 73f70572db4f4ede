import { MapperKind, getDirective, mapSchema } from '@graphql-tools/utils';
import {
  DirectiveLocation,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLSchema,
  GraphQLString,
  defaultFieldResolver,
  isObjectType,
} from 'graphql';
import { Directive } from 'type-graphql';
import type { Caller } from '../auth/caller';
import { Permission } from '../directory/permission.enum';
import type { Context } from './context';
import { authenticationRequired, forbidden } from './errors';

/** The access rule of one field: a scope an access token must carry, a permission the acting user must hold. */
export interface AccessRule {
  scope?: string;
  permission?: Permission;
}

/**
 * The one place a field's access rule is written. It prints `@auth(...)` into the schema, and
 * `enforceAccessRules` reads the same directive back to enforce it, so the SDL documents
 * exactly what is enforced. `@Auth()` alone: any authenticated caller.
 */
export function Auth(rule: AccessRule = {}): MethodDecorator & PropertyDecorator {
  const args = [
    rule.scope !== undefined && `scope: ${JSON.stringify(rule.scope)}`,
    rule.permission !== undefined && `permission: ${rule.permission}`,
  ].filter(Boolean);
  return Directive(args.length > 0 ? `@auth(${args.join(', ')})` : '@auth');
}

/** A root field that needs no authentication at all. */
export function Public(): MethodDecorator & PropertyDecorator {
  return Directive('@public');
}

/** Adds the definitions of @auth and @public, which type-graphql leaves out. */
export function withAccessRuleDirectives(schema: GraphQLSchema): GraphQLSchema {
  const permission = schema.getType('Permission');
  if (!(permission instanceof GraphQLEnumType)) throw new Error('the schema has no Permission enum');
  const auth = new GraphQLDirective({
    name: 'auth',
    description:
      'Access rule of one field. A caller authenticated with an access token needs `scope` among the token\'s scopes. ' +
      'The acting user (the session\'s user, or a personal access token\'s owner) needs `permission`. ' +
      'A classic API token (personalAccessToken: false) is checked on its scope alone.',
    locations: [DirectiveLocation.FIELD_DEFINITION],
    args: { scope: { type: GraphQLString }, permission: { type: permission } },
  });
  const publicDirective = new GraphQLDirective({
    name: 'public',
    description: 'Marks a root field that needs no authentication at all.',
    locations: [DirectiveLocation.FIELD_DEFINITION],
  });
  return new GraphQLSchema({ ...schema.toConfig(), directives: [...schema.getDirectives(), auth, publicDirective] });
}

export function accessRuleOf(schema: GraphQLSchema, field: Parameters<typeof getDirective>[1]): AccessRule | 'public' | null {
  if (getDirective(schema, field, 'public')?.length) return 'public';
  const auth = getDirective(schema, field, 'auth')?.[0];
  return auth ? { scope: auth.scope ?? undefined, permission: auth.permission ?? undefined } : null;
}

/** Every scope named by an access rule, to check against the catalog at start. */
export function scopesInAccessRules(schema: GraphQLSchema): string[] {
  const scopes = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const rule = accessRuleOf(schema, field);
      if (rule && rule !== 'public' && rule.scope) scopes.add(rule.scope);
    }
  }
  return [...scopes];
}

/**
 * Why `caller` may not use a field with `rule`, or null when it may. A signed-in user has no
 * scopes to check; a classic API token is checked on its scope alone; a personal access
 * token on its scope and its owner's current permission.
 */
export async function refusal(rule: AccessRule, caller: Caller): Promise<Error | null> {
  if (!caller.user) return authenticationRequired();
  const missingScope = rule.scope !== undefined && caller.lacksScope(rule.scope) ? rule.scope : undefined;
  const missingPermission =
    rule.permission !== undefined && !caller.isClassicToken && !(await caller.holds(rule.permission))
      ? rule.permission
      : undefined;
  return missingScope || missingPermission ? forbidden({ scope: missingScope, permission: missingPermission }) : null;
}

/**
 * Wraps every field that carries @auth with its check, and refuses to build a schema in which a
 * root field has no rule at all (default deny).
 */
export function enforceAccessRules(schema: GraphQLSchema): GraphQLSchema {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean);
  for (const root of roots) {
    for (const field of Object.values(root!.getFields())) {
      const hasPublic = Boolean(getDirective(schema, field, 'public')?.length);
      const hasAuth = Boolean(getDirective(schema, field, 'auth')?.length);
      if (hasPublic === hasAuth) {
        throw new Error(`${root!.name}.${field.name} needs exactly one access rule: @Auth(...) or @Public()`);
      }
    }
  }
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig) => {
      const rule = accessRuleOf(schema, fieldConfig);
      if (!rule || rule === 'public') return fieldConfig;
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve: async (source, args, context: Context, info) => {
          const refused = await refusal(rule, context.caller);
          if (refused) throw refused;
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
