import { type ProbeAnswer, limitsOf, postGraphQL } from '../helpers/http-probe';
import { type Actor, TestService } from '../helpers/service';

/**
 * Queries built to make the service work hard are refused before anything runs: their cost is
 * priced with the request's variables as with literals. (What a list below a list, or a page of
 * tokens' effective access, costs in SQL is in test/tokens.)
 */
let service: TestService;
let admin: Actor;

beforeAll(async () => {
  service = await TestService.start();
  admin = await service.admin();
});
afterAll(() => service?.stop());

function post(query: string, variables?: Record<string, unknown>, authorization = admin.authorization): Promise<ProbeAnswer> {
  return postGraphQL(service.url, { query, variables }, { authorization });
}

function expectCostRefusal(answer: ProbeAnswer): void {
  expect(answer.status).toBe(400);
  expect(answer.codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(limitsOf(answer)).toEqual(['maxCost']);
  expect(answer.json.data).toBeUndefined();
}

/** The query: a page of tokens, and a page of each token's owner's PATs. */
const NESTED = (first: string) =>
  `accessTokens(first: ${first}) { nodes { id owner { personalAccessTokens(first: ${first}) { nodes { id scopes { value } } } } } }`;

describe('the cost limit', () => {
  it('prices a page size given in a variable as the same literal: both are refused, at the same cost', async () => {
    const literal = await post(`{ ${NESTED('100')} }`);
    const variable = await post(`query($n: Int) { ${NESTED('$n')} }`, { n: 100 });
    expectCostRefusal(literal);
    expectCostRefusal(variable);
    expect(variable.json.errors[0].message).toBe(literal.json.errors[0].message);
  });

  it('counts every alias, so five copies of a query cost five times one', async () => {
    const page =
      'accessTokens(first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name status owner { id subject } scopes { value } } } }';
    const one = await post(`query($n: Int) { ${page} }`, { n: 100 });
    expect(one.status).toBe(200);
    const aliased = Array.from({ length: 5 }, (_, i) => `a${i}: ${page}`).join(' ');
    expectCostRefusal(await post(`query($n: Int) { ${aliased} }`, { n: 100 }));
    expect((await post(`query($n: Int) { ${aliased} }`, { n: 10 })).status).toBe(200);
  });

  it('refuses many full pages at once by cost, and answers one full page', async () => {
    const page = 'accessTokens(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name status owner { id subject } scopes { value } } } }';
    const one = await post(`{ ${page} }`);
    expect(one.status).toBe(200);
    expect(one.json.errors).toBeUndefined();
    const many = Array.from({ length: 10 }, (_, i) => `p${i}: ${page}`).join(' ');
    expectCostRefusal(await post(`{ ${many} }`));
  });

  it('prices an absent variable as the page it gives (the default 20), and a variable\'s default in the operation as that default', async () => {
    const omitted = await post(`{ ${NESTED('20').replace(/\(first: 20\)/g, '')} }`);
    expectCostRefusal(omitted);
    const absent = await post(`query($n: Int) { ${NESTED('$n')} }`, {});
    const asNull = await post(`query($n: Int) { ${NESTED('$n')} }`, { n: null });
    expect(absent.json.errors[0].message).toBe(omitted.json.errors[0].message);
    expect(asNull.json.errors[0].message).toBe(omitted.json.errors[0].message);
    const defaulted = await post(`query($n: Int = 100) { ${NESTED('$n')} }`, {});
    expect(defaulted.json.errors[0].message).toBe((await post(`{ ${NESTED('100')} }`)).json.errors[0].message);
  });

  it('prices the same document anew for each request\'s variables', async () => {
    const query = `query($n: Int) { ${NESTED('$n')} }`;
    expect((await post(query, { n: 3 })).status).toBe(200);
    expectCostRefusal(await post(query, { n: 100 }));
    expect((await post(query, { n: 3 })).status).toBe(200);
  });

  it('prices a variable that is not a number as the largest page, and runs nothing', async () => {
    expectCostRefusal(await post(`query($n: Int) { ${NESTED('$n')} }`, { n: 'many' }));
  });
});

