import { type ProbeAnswer, limitsOf, postGraphQL, rawRequest } from '../helpers/http-probe';
import { type Actor, TestService } from '../helpers/service';

/**
 * The query limits against graphql-cop's and graphql-armor's probes and more: each hostile query is
 * refused with a 4xx and a code a client can act on, or answered harmlessly; none is a 500, none
 * runs unbounded work. A query's cost is priced with the request's variables as with literals.
 * (The HTTP-level probes are in test/http/http-endpoints.test.ts; what a list below a list, or a
 * page of tokens' effective access, costs in SQL is in test/tokens.)
 */
let service: TestService;
let admin: Actor;

beforeAll(async () => {
  service = await TestService.start();
  admin = await service.admin();
});
afterAll(() => service?.stop());

function post(query: string, variables?: Record<string, unknown>, authorization?: string): Promise<ProbeAnswer> {
  return postGraphQL(service.url, { query, variables }, authorization ? { authorization } : {});
}

/** Refused by the cost limit alone, before anything ran. */
function expectCostRefusal(answer: ProbeAnswer): void {
  expect(answer.status).toBe(400);
  expect(answer.codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(limitsOf(answer)).toEqual(['maxCost']);
  expect(answer.json.data).toBeUndefined();
}

function expectValidationRefusal(answer: ProbeAnswer, limit?: string): void {
  expect(answer.status).toBe(400);
  expect(answer.codes.length).toBeGreaterThan(0);
  expect(new Set(answer.codes)).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
  if (limit) expect(limitsOf(answer)).toContain(limit);
  expect(answer.json.data).toBeUndefined();
}

const DEEP_TOKENS = `me { personalAccessTokens { edges { node { owner { personalAccessTokens { edges { node { owner { id } } } } } } } } }`;

describe('query limits (graphql-cop and graphql-armor\'s probes)', () => {
  it('refuses alias overloading, __typename aliases included', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `alias${i}: __typename`).join(' ');
    expectValidationRefusal(await post(`query cop { ${aliases} }`), 'maxAliases');
    const meAliases = Array.from({ length: 16 }, (_, i) => `m${i}: me { id }`).join(' ');
    expectValidationRefusal(await post(`{ ${meAliases} }`, {}, admin.authorization), 'maxAliases');
  });

  it('still answers a query with a few aliases', async () => {
    const answer = await post('{ a: me { id } b: me { subject } }', {}, admin.authorization);
    expect(answer.status).toBe(200);
    expect(answer.json.data.a.id).toBe(admin.userId);
  });

  it('refuses field duplication', async () => {
    expectValidationRefusal(await post(`query cop { ${'__typename '.repeat(500)} }`), 'maxFieldRepeats');
    expectValidationRefusal(await post(`{ me { ${'id '.repeat(11)} } }`, {}, admin.authorization), 'maxFieldRepeats');
    const inline = Array.from({ length: 11 }, () => '... on Query { __typename }').join(' ');
    expectValidationRefusal(await post(`{ ${inline} }`), 'maxFieldRepeats');
  });

  it('refuses directive overloading, with unknown and with known directives', async () => {
    const unknown = await post(`query cop { __typename ${'@aa'.repeat(60)} }`);
    expectValidationRefusal(unknown);
    expect(unknown.json.errors.length).toBeLessThanOrEqual(26);
    const known = Array.from({ length: 51 }, (_, i) => `... on Query @skip(if: false) { t${i}: __typename }`).join(' ');
    expectValidationRefusal(await post(`{ ${known} }`), 'maxDirectives');
  });

  it('refuses deep nesting, also when hidden in fragments', async () => {
    expectValidationRefusal(await post(`{ ${DEEP_TOKENS} }`, {}, admin.authorization), 'maxDepth');
    const spread = await post(
      `{ me { ...A } } fragment A on User { personalAccessTokens { edges { node { ...B } } } }
       fragment B on AccessToken { owner { personalAccessTokens { edges { node { owner { id } } } } } }`,
      {},
      admin.authorization,
    );
    expectValidationRefusal(spread, 'maxDepth');
  });

  it('refuses a deep query in a fragment named __schema, which an introspection exemption must not cover', async () => {
    const answer = await post(`{ ...__schema } fragment __schema on Query { ${DEEP_TOKENS} }`, {}, admin.authorization);
    expectValidationRefusal(answer, 'maxDepth');
  });

  it('refuses circular fragments, __schema-named ones too', async () => {
    expectValidationRefusal(await post('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'));
    expectValidationRefusal(await post('{ ...__schema } fragment __schema on Query { __typename ...__schema }'));
    const deepCycle = await post('{ me { ...U } } fragment U on User { personalAccessTokens { nodes { owner { ...U } } } }', {}, admin.authorization);
    expectValidationRefusal(deepCycle);
  });

  it('refuses circular introspection', async () => {
    expectValidationRefusal(await post('query cop { __schema { types { fields { type { fields { type { fields { name } } } } } } } }'));
  });

  it('still answers the introspection query GraphiQL and client generators send', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const answer = await post(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, directiveIsRepeatable: true }));
    expect(answer.status).toBe(200);
    expect(answer.json.data.__schema.queryType.name).toBe('Query');
  });

  it('refuses a huge first, literal or variable, by the page maximum, and one beyond Int as invalid', async () => {
    const literal = await post('{ accessTokens(first: 1000000) { nodes { id } } }', {}, admin.authorization);
    const variable = await post('query($n: Int) { accessTokens(first: $n) { nodes { id } } }', { n: 1_000_000 }, admin.authorization);
    for (const answer of [literal, variable]) {
      expect(answer.status).toBe(200);
      expect(answer.codes).toEqual(['BAD_USER_INPUT']);
      expect(answer.json.errors[0].extensions.field).toBe('first');
    }
    expectValidationRefusal(await post('{ accessTokens(first: 99999999999) { nodes { id } } }', {}, admin.authorization));
  });

  it('refuses a query of more tokens than the limit before validating it', async () => {
    const answer = await post(`{ ${'__typename '.repeat(1200)} }`);
    expect(answer.status).toBe(400);
    expect(answer.codes).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(answer.json.errors[0].message).toMatch(/1000 tokens/);
  });

  it('bounds the number of errors a broken query gets back', async () => {
    const answer = await post(`{ ${Array.from({ length: 300 }, (_, i) => `f${i}`).join(' ')} }`);
    expect(answer.status).toBe(400);
    expect(answer.json.errors.length).toBeGreaterThan(1);
    expect(answer.json.errors.length).toBeLessThanOrEqual(26);
  });

  it('refuses too many variable definitions (by the token limit), and ignores undeclared variables', async () => {
    const definitions = Array.from({ length: 300 }, (_, i) => `$v${i}: Int`).join(', ');
    const declared = await post(`query(${definitions}) { __typename }`);
    expect(declared.status).toBe(400);
    expect(declared.codes).toEqual(['GRAPHQL_PARSE_FAILED']);
    const undeclared = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`v${i}`, i]));
    const ignored = await post('{ __typename }', undeclared);
    expect(ignored.status).toBe(200);
    expect(ignored.json.data).toEqual({ __typename: 'Query' });
  });

  it('answers a deeply nested variable value without a stack overflow', async () => {
    const nested = `${'['.repeat(20_000)}"x"${']'.repeat(20_000)}`;
    const answer = await rawRequest(service.url, {
      headers: { 'content-type': 'application/json', authorization: admin.authorization },
      body: `{"query":"query($values: [ID!]) { scopes(filter: { values: $values }) { value } }","variables":{"values":${nested}}}`,
    });
    expect(answer.status).toBeLessThan(500);
    expect(answer.codes.length).toBeGreaterThan(0);
    expect(answer.codes).not.toContain('INTERNAL_SERVER_ERROR');
  });
});

/** The query: a page of tokens, and a page of each token's owner's PATs. */
const NESTED = (first: string) =>
  `accessTokens(first: ${first}) { nodes { id owner { personalAccessTokens(first: ${first}) { nodes { id scopes { value } } } } } }`;

describe('the cost limit', () => {
  it('prices a page size given in a variable as the same literal: both are refused, at the same cost', async () => {
    const literal = await post(`{ ${NESTED('100')} }`, {}, admin.authorization);
    const variable = await post(`query($n: Int) { ${NESTED('$n')} }`, { n: 100 }, admin.authorization);
    expectCostRefusal(literal);
    expectCostRefusal(variable);
    expect(variable.json.errors[0].message).toBe(literal.json.errors[0].message);
  });

  it('counts every alias, so five copies of a query cost five times one', async () => {
    const page =
      'accessTokens(first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name status owner { id subject } scopes { value } } } }';
    const one = await post(`query($n: Int) { ${page} }`, { n: 100 }, admin.authorization);
    expect(one.status).toBe(200);
    const aliased = Array.from({ length: 5 }, (_, i) => `a${i}: ${page}`).join(' ');
    expectCostRefusal(await post(`query($n: Int) { ${aliased} }`, { n: 100 }, admin.authorization));
    expect((await post(`query($n: Int) { ${aliased} }`, { n: 10 }, admin.authorization)).status).toBe(200);
  });

  it('refuses many full pages at once by cost, and answers one full page', async () => {
    const page = 'accessTokens(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name status owner { id subject } scopes { value } } } }';
    const one = await post(`{ ${page} }`, {}, admin.authorization);
    expect(one.status).toBe(200);
    expect(one.json.errors).toBeUndefined();
    const many = Array.from({ length: 10 }, (_, i) => `p${i}: ${page}`).join(' ');
    expectCostRefusal(await post(`{ ${many} }`, {}, admin.authorization));
  });

  it('prices an absent variable as the page it gives (the default 20), and a variable\'s default in the operation as that default', async () => {
    const omitted = await post(`{ ${NESTED('20').replace(/\(first: 20\)/g, '')} }`, {}, admin.authorization);
    expectCostRefusal(omitted);
    const absent = await post(`query($n: Int) { ${NESTED('$n')} }`, {}, admin.authorization);
    const asNull = await post(`query($n: Int) { ${NESTED('$n')} }`, { n: null }, admin.authorization);
    expect(absent.json.errors[0].message).toBe(omitted.json.errors[0].message);
    expect(asNull.json.errors[0].message).toBe(omitted.json.errors[0].message);
    const defaulted = await post(`query($n: Int = 100) { ${NESTED('$n')} }`, {}, admin.authorization);
    expect(defaulted.json.errors[0].message).toBe((await post(`{ ${NESTED('100')} }`, {}, admin.authorization)).json.errors[0].message);
  });

  it('prices the same document anew for each request\'s variables', async () => {
    const query = `query($n: Int) { ${NESTED('$n')} }`;
    expect((await post(query, { n: 3 }, admin.authorization)).status).toBe(200);
    expectCostRefusal(await post(query, { n: 100 }, admin.authorization));
    expect((await post(query, { n: 3 }, admin.authorization)).status).toBe(200);
  });

  it('prices a variable that is not a number as the largest page, and runs nothing', async () => {
    expectCostRefusal(await post(`query($n: Int) { ${NESTED('$n')} }`, { n: 'many' }, admin.authorization));
  });
});

describe('with limits from the environment', () => {
  let small: TestService;

  beforeAll(async () => {
    small = await TestService.start({ GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_ALIASES: '2', GRAPHQL_MAX_TOKENS: '60' });
  });
  afterAll(() => small?.stop());

  it('applies GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_ALIASES and GRAPHQL_MAX_TOKENS', async () => {
    const user = await small.user();
    expectValidationRefusal(await postGraphQL(small.url, { query: '{ me { personalAccessTokens { nodes { id } } } }' }, { authorization: user.authorization }), 'maxDepth');
    expectValidationRefusal(await postGraphQL(small.url, { query: '{ a: __typename b: __typename c: __typename }' }), 'maxAliases');
    const tokens = await postGraphQL(small.url, { query: `{ ${'__typename '.repeat(70)} }` });
    expect(tokens.codes).toEqual(['GRAPHQL_PARSE_FAILED']);
  });
});
