import 'reflect-metadata';
import { GraphQLError, type OperationDefinitionNode, buildSchema, parse } from 'graphql';
import { costCheck, operationCost } from '../../src/graphql/query-cost';

/**
 * The cost check keeps what it priced with the parsed document (Apollo hands the same document to
 * every request of the same query): these tests check that what it keeps never answers differently
 * from pricing anew, whatever the variables. The limits' behaviour through HTTP is in
 * query-limits.test.ts.
 */
const schema = buildSchema(`
  type Scope { value: String! }
  type Token { id: ID! scopes(first: Int): [Scope!]! }
  type Query { tokens(first: Int, after: String): [Token!]! me: String }
`);

const QUERY = 'query Page($n: Int, $m: Int = 7, $after: String) { tokens(first: $n, after: $after) { id scopes(first: $m) { value } } }';
const document = parse(QUERY);
const operation = document.definitions[0] as OperationDefinitionNode;

function refusedAt(check: ReturnType<typeof costCheck>, variables: Record<string, unknown>): string | null {
  try {
    check({ schema, document, operation, operationName: 'Page', request: { variables } });
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).message;
  }
}

describe('costCheck', () => {
  it('names the variables a cost read, and only those', () => {
    expect(operationCost(schema, document, operation, { n: 5 }).variables.sort()).toEqual(['m', 'n']);
    const fixed = parse('{ tokens(first: 3) { id } me }');
    expect(operationCost(schema, fixed, fixed.definitions[0] as OperationDefinitionNode).variables).toEqual([]);
  });

  it('answers each set of variables as pricing it anew would, however often and in whatever order it comes', () => {
    const maxCost = operationCost(schema, document, operation, { n: 40, m: 7 }).cost;
    const check = costCheck(maxCost);
    const sets: Record<string, unknown>[] = [
      { n: 40 },
      { n: 41 },
      { n: 40, after: 'abc' },
      { n: 40, m: null },
      { n: 40, m: 8 },
      { n: null },
      {},
      { n: 'many' },
      { n: { deep: [1, 2] } },
      { n: 40.5 },
    ];
    for (let round = 0; round < 3; round += 1) {
      for (const variables of sets) {
        const fresh = operationCost(schema, document, operation, variables).cost;
        const expected = fresh > maxCost ? `Query Cost limit of ${maxCost} exceeded, found ${Math.ceil(fresh)}.` : null;
        expect([variables, refusedAt(check, variables)]).toEqual([variables, expected]);
      }
    }
  });

  it('keeps answering right once it has seen more sets of page sizes than it keeps', () => {
    const maxCost = operationCost(schema, document, operation, { n: 50, m: 7 }).cost;
    const check = costCheck(maxCost);
    for (let round = 0; round < 2; round += 1) {
      for (let n = 1; n <= 100; n += 1) {
        const over = operationCost(schema, document, operation, { n }).cost > maxCost;
        expect([n, refusedAt(check, { n }) !== null]).toEqual([n, over]);
      }
    }
  });
});
