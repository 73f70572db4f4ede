import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { QueryLimit } from './query-limits';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';

/** graphql-armor's weights, kept so the limit means what it meant: a field, an object, and each level deeper. */
const SCALAR_COST = 1;
const OBJECT_COST = 2;
const DEPTH_FACTOR = 1.5;

/** The argument that sizes a list: every paginated field of the schema takes it. */
const PAGE_ARGUMENT = 'first';

export interface OperationCost {
  cost: number;
  /** The variables a page size came from: the cost holds for these variables' values only. */
  variables: string[];
}

type Variables = Readonly<Record<string, unknown>>;

/**
 * What running `operation` may cost, with the page sizes it will really be served: each field
 * costs 1, a field with a selection 2 plus 1.5 times what it selects, and a paginated field (one
 * that takes `first`) that times the size of the page it will be served. That is the literal, or
 * the variable's value in this request (its default in the operation when absent), or the
 * resolvers' default page size when neither gives one; a literal and a variable of the same value
 * cost the same. No page is larger than MAX_PAGE_SIZE (a larger `first` is refused as
 * BAD_USER_INPUT before any work), and a value that is not a number counts as the largest page.
 * Aliases each count, and fragments count as if written where they are spread.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables = {},
): OperationCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const read = new Set<string>();
  const fragmentCosts = new Map<string, number>();
  const visiting = new Set<string>();

  const valueOf = (node: ValueNode): unknown => {
    switch (node.kind) {
      case Kind.INT:
        return Number.parseInt(node.value, 10);
      case Kind.NULL:
        return null;
      case Kind.VARIABLE: {
        const name = node.name.value;
        read.add(name);
        if (variables[name] !== undefined) return variables[name];
        const fallback = defaults.get(name);
        return fallback ? valueOf(fallback) : null;
      }
      default:
        return Number.NaN;
    }
  };

  const pageSize = (field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): number => {
    const argument = field.arguments?.find((candidate) => candidate.name.value === PAGE_ARGUMENT);
    if (!argument && !definition?.args.some((candidate) => candidate.name === PAGE_ARGUMENT)) return 1;
    const value = argument ? valueOf(argument.value) : null;
    if (value === null) return DEFAULT_PAGE_SIZE;
    if (typeof value !== 'number' || !Number.isFinite(value)) return MAX_PAGE_SIZE;
    return Math.min(Math.max(value, 1), MAX_PAGE_SIZE);
  };

  const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType | undefined): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(selection, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? compositeType(schema, selection.typeCondition.name.value) : parent;
        cost += selectionCost(selection.selectionSet, type);
      } else {
        cost += fragmentCost(selection.name.value);
      }
    }
    return cost;
  };

  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    // Validation refuses unknown and cyclic fragments before this runs; they cost nothing here.
    if (!fragment || visiting.has(name)) return 0;
    visiting.add(name);
    const cost = selectionCost(fragment.selectionSet, compositeType(schema, fragment.typeCondition.name.value));
    visiting.delete(name);
    fragmentCosts.set(name, cost);
    return cost;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLCompositeType | undefined): number => {
    // Introspection is bounded by graphql-js's MaxIntrospectionDepthRule; GraphiQL's own query must pass.
    if (field.name.value === '__schema') return 0;
    if (!field.selectionSet) return SCALAR_COST;
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[field.name.value] : undefined;
    const type = definition ? getNamedType(definition.type) : undefined;
    const selected = selectionCost(field.selectionSet, type && isCompositeType(type) ? type : undefined);
    return (OBJECT_COST + DEPTH_FACTOR * selected) * pageSize(field, definition);
  };

  const root = schema.getRootType(operation.operation) ?? undefined;
  const cost = selectionCost(operation.selectionSet, root);
  return { cost, variables: [...read] };
}

function compositeType(schema: GraphQLSchema, name: string): GraphQLCompositeType | undefined {
  const type = schema.getType(name);
  return type && isCompositeType(type) ? type : undefined;
}

/** What a cost check needs of a request once Apollo has resolved its operation. */
export interface ResolvedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation?: OperationDefinitionNode;
  operationName?: string | null;
  request: { variables?: Record<string, unknown> };
}

/** How many sets of page sizes one operation keeps the cost of before it starts over. */
const PRICED_VARIABLE_SETS = 64;

/** The cost of one operation of a document: fixed, or by the values of the variables it reads. */
type KnownCost = { cost: number } | { variables: string[]; costs: Map<string, number> };

/**
 * The values of `names` as one key, when each is a number, null or absent (what a page size may
 * be); otherwise null, and the cost is priced anew (such a value costs the largest page).
 */
function pageSizesKey(names: readonly string[], variables: Variables): string | null {
  let key = '';
  for (const name of names) {
    const value = variables[name];
    if (value === undefined) key += 'u,';
    else if (value === null || typeof value === 'number') key += `${value},`;
    else return null;
  }
  return key;
}

/**
 * Refuses an operation whose cost (see operationCost) is over `maxCost`, once its document is
 * validated and the operation chosen, and before anything runs: a query priced by its literals
 * alone would let `first: $n` with `{"n": 100}` through at any depth. The answer is the one a
 * validation rule gives: 400 GRAPHQL_VALIDATION_FAILED with `extensions.limit`. Costs are kept with
 * the parsed document, which Apollo reuses: an operation's fixed cost, or, when page sizes come from
 * variables, its cost for each set of their values seen (a client paging through a list sends the
 * same `first` again and again).
 */
export function costCheck(maxCost: number): (resolved: ResolvedOperation) => void {
  const known = new WeakMap<DocumentNode, Map<string, KnownCost>>();
  return ({ schema, document, operation, operationName, request }) => {
    if (!operation) return;
    const variables = request.variables ?? {};
    let costs = known.get(document);
    if (!costs) known.set(document, (costs = new Map()));
    const name = operationName ?? '';
    const entry = costs.get(name);
    let cost: number | undefined;
    let key: string | null = null;
    if (entry && 'cost' in entry) cost = entry.cost;
    else if (entry) {
      key = pageSizesKey(entry.variables, variables);
      if (key !== null) cost = entry.costs.get(key);
    }
    if (cost === undefined) {
      const priced = operationCost(schema, document, operation, variables);
      cost = priced.cost;
      if (priced.variables.length === 0) costs.set(name, { cost });
      else {
        const byValues = entry && 'costs' in entry ? entry : { variables: priced.variables, costs: new Map<string, number>() };
        key ??= pageSizesKey(byValues.variables, variables);
        if (key !== null) {
          if (byValues.costs.size >= PRICED_VARIABLE_SETS) byValues.costs.clear();
          byValues.costs.set(key, cost);
        }
        costs.set(name, byValues);
      }
    }
    if (cost > maxCost) {
      throw new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${Math.ceil(cost)}.`, {
        extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED, limit: QueryLimit.COST, http: { status: 400 } },
      });
    }
  };
}
