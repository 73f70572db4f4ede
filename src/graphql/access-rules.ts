import { MapperKind, getDirective, mapSchema } from '@graphql-tools/utils';
import {
  DirectiveLocation,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLSchema,
  GraphQLBoolean,
  GraphQLString,
  defaultFieldResolver,
  isObjectType,
} from 'graphql';
import { Directive } from 'type-graphql';

/**
 * The access rule of one field: a scope an access token must carry, a permission (a value of the
 * schema's Permission enum) the acting user must hold.
 */
export interface AccessRule {
  scope?: string;
  permission?: string;
  /** Or the acting user is the user this object stands for: then neither scope nor permission is needed. */
  self?: boolean;
}

/**
 * The one place a field's access rule is written. It prints `@auth(...)` into the schema, and
 * `enforceAccessRules` reads the same directive back to enforce it, so the SDL documents
 * exactly what is enforced. `@Auth()` alone: any authenticated caller.
 */
export function Auth(rule: AccessRule = {}): MethodDecorator & PropertyDecorator {
  return Directive(printAccessRule(rule));
}

/** A rule as the SDL shows it: `@auth(scope: "apiTokens.read", permission: ADMIN)`. */
export function printAccessRule(rule: AccessRule | 'public'): string {
  if (rule === 'public') return '@public';
  const args = [
    rule.scope !== undefined && `scope: ${JSON.stringify(rule.scope)}`,
    rule.permission !== undefined && `permission: ${rule.permission}`,
    rule.self && 'self: true',
  ].filter(Boolean);
  return args.length > 0 ? `@auth(${args.join(', ')})` : '@auth';
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
      'A classic API token (personalAccessToken: false) is checked on its scope alone. ' +
      'With `self: true`, the user an object stands for reads the field without either (a user\'s own email, say).',
    locations: [DirectiveLocation.FIELD_DEFINITION],
    args: {
      scope: { type: GraphQLString },
      permission: { type: permission },
      self: { type: GraphQLBoolean, description: 'Or the acting user is the user this object stands for.' },
    },
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
  return auth ? { scope: auth.scope ?? undefined, permission: auth.permission ?? undefined, ...(auth.self && { self: true }) } : null;
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

/** What a field's check knows besides its rule and the request's context. */
export interface AccessTarget {
  /** The field is a mutation's root field. */
  mutation: boolean;
  /** For a rule with `self`: the user the field's object stands for. */
  selfId?: string | null;
}

/** Why the request may not use a field with `rule`, or null when it may: the service's own rules (auth/field-access.ts). */
export type AccessCheck<TContext> = (rule: AccessRule, context: TContext, target: AccessTarget) => Error | null | Promise<Error | null>;

export interface EnforcementOptions<TContext> {
  check: AccessCheck<TContext>;
  /**
   * For each type whose objects stand for a user, that user's id: what a rule with `self: true`
   * compares with the acting user. A `self` rule on any other type stops the build.
   */
  selfOf?: Record<string, (source: any) => string | null>;
}

/**
 * Wraps every field that carries @auth with `check`, and refuses to build a schema in which a
 * root field has no rule at all (default deny). A rule naming a permission the schema does not know
 * fails here too: reading the directive validates its arguments, which type-graphql does not.
 */
export function enforceAccessRules<TContext>(schema: GraphQLSchema, options: EnforcementOptions<TContext>): GraphQLSchema {
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
  const mutationType = schema.getMutationType()?.name;
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const rule = accessRuleOf(schema, fieldConfig);
      if (!rule || rule === 'public') return fieldConfig;
      const selfOf = rule.self ? options.selfOf?.[typeName] : undefined;
      if (rule.self && !selfOf) throw new Error(`${typeName}.${fieldName} has @auth(self: true), but ${typeName} stands for no user`);
      const mutation = typeName === mutationType;
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        // No promise when the check answers at once: fields with rules sit in every row of a page.
        resolve: (source, args, context: TContext, info) => {
          const refused = options.check(rule, context, { mutation, selfId: selfOf?.(source) });
          if (refused === null) return resolve(source, args, context, info);
          if (refused instanceof Error) throw refused;
          return refused.then((error) => {
            if (error) throw error;
            return resolve(source, args, context, info);
          });
        },
      };
    },
  });
}
