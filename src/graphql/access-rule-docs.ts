import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { type AccessRule, accessRuleOf } from './access-rules';

/** A field's access rule in words: `Access: scope apiTokens.read; permission ADMIN`, or `Access: public`. */
export function describeAccessRule(rule: AccessRule | 'public'): string {
  if (rule === 'public') return 'Access: public';
  const needs = [rule.scope && `scope ${rule.scope}`, rule.permission && `permission ${rule.permission}`].filter(Boolean);
  const rest = needs.length > 0 ? needs.join('; ') : 'any authenticated caller';
  return `Access: ${rule.self ? `the user itself, or ${rest}` : rest}`;
}

/**
 * GraphiQL's Docs explorer shows descriptions and not directives, so the schema the service
 * serves ends each guarded field's description with its rule, read from the same @auth/@public
 * directive that is enforced. schema.graphql is printed from the schema before this step: it
 * carries the directives themselves, and repeating them in prose there would only be noise.
 */
export function withAccessRulesInDescriptions(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig) => {
      const rule = accessRuleOf(schema, fieldConfig);
      if (!rule) return fieldConfig;
      const line = describeAccessRule(rule);
      // A Markdown hard line break (two spaces, newline), not a new paragraph: GraphiQL's field
      // lists show only a description's first paragraph, and the rule belongs in that preview.
      return { ...fieldConfig, description: fieldConfig.description ? `${fieldConfig.description}  \n${line}` : line };
    },
  });
}
