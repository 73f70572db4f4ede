import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import type { QueryLimits } from '../config';
import { GraphQLError, Kind, type SelectionSetNode, type ValidationRule } from 'graphql';

/** Which limit refused a query: `extensions.limit` beside Apollo's GRAPHQL_VALIDATION_FAILED. */
export enum QueryLimit {
  DEPTH = 'maxDepth',
  ALIASES = 'maxAliases',
  DIRECTIVES = 'maxDirectives',
  COST = 'maxCost',
  FIELD_REPEATS = 'maxFieldRepeats',
}

/**
 * graphql-armor reports "Syntax Error: …" for what is a validation failure; the message is kept
 * without that prefix, and the limit is named so clients need not parse prose.
 */
function reportAs(limit: QueryLimit): GraphQLArmorRejectCallback {
  return (context, error) =>
    context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { limit } }));
}

function countResponseKeys(selectionSet: SelectionSetNode, counts: Map<string, number>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      countResponseKeys(selection.selectionSet, counts);
    }
  }
}

/**
 * Refuses the same field asked for again and again (`{ me { id } me { id } … }`): graphql-armor
 * has no rule for it, the answer is the same, and merging the copies is the costly part of
 * validation. Inline fragments count with the selection set they sit in.
 */
export function maxFieldRepeatsRule(maxRepeats: number): ValidationRule {
  return (context) => {
    let reported = false;
    return {
      SelectionSet(node) {
        if (reported) return;
        const counts = new Map<string, number>();
        countResponseKeys(node, counts);
        for (const [key, count] of counts) {
          if (count > maxRepeats) {
            reported = true;
            context.reportError(
              new GraphQLError(`The field ${key} is asked for ${count} times in one selection; at most ${maxRepeats} are allowed.`, {
                nodes: node,
                extensions: { limit: QueryLimit.FIELD_REPEATS },
              }),
            );
            return;
          }
        }
      },
    };
  };
}

/**
 * The Apollo Server options that enforce the limits. Aliases, depth and directives come from
 * graphql-armor's validation rules. Three of its protections are left off on purpose: its cost
 * rule runs in validation, where variables have no values, so `first: $n` costs as if it were 1;
 * queryCostPlugin prices the operation with the request's variables instead. Its token
 * limit throws from an Apollo plugin hook, which Apollo Server 5 answers with a 500, so graphql-js's
 * own `maxTokens` parse option does that job (a GRAPHQL_PARSE_FAILED 400); and its field-suggestion
 * mask duplicates Apollo's `hideSchemaDetailsFromClientErrors`, which hides them in production only.
 * Circular introspection (`__schema { types { fields { type { fields …`) is refused by graphql-js's
 * MaxIntrospectionDepthRule, one of the rules Apollo always runs.
 */
export function queryLimitOptions(limits: QueryLimits): {
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
  validationOptions: { maxErrors: number };
} {
  const { validationRules } = new ApolloArmor({
    blockFieldSuggestion: { enabled: false },
    maxTokens: { enabled: false },
    maxDepth: { n: limits.maxDepth, flattenFragments: true, propagateOnRejection: false, onReject: [reportAs(QueryLimit.DEPTH)] },
    // No allow-list: graphql-cop's alias overloading probe aliases __typename, which armor lets through by default.
    maxAliases: { n: limits.maxAliases, allowList: [], propagateOnRejection: false, onReject: [reportAs(QueryLimit.ALIASES)] },
    maxDirectives: { n: limits.maxDirectives, propagateOnRejection: false, onReject: [reportAs(QueryLimit.DIRECTIVES)] },
    costLimit: { enabled: false },
  }).protect();
  return {
    validationRules: [...validationRules, maxFieldRepeatsRule(limits.maxFieldRepeats)],
    parseOptions: { maxTokens: limits.maxTokens },
    validationOptions: { maxErrors: limits.maxErrors },
  };
}
