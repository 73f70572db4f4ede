import { codes } from '../helpers/expectations';
import { type ProbeAnswer, limitsOf, postGraphQL } from '../helpers/http-probe';
import { unique } from '../helpers/operations';
import { type Actor, TestService } from '../helpers/service';

/**
 * Queries built to make the service work hard: their cost is priced with the request's variables
 * as with literals, and a list below a list, or a token's effective access, loads in a fixed
 * number of statements whatever the page size.
 */
let service: TestService;
let admin: Actor;

beforeAll(async () => {
  service = await TestService.start();
  admin = await service.admin();
  await service.setFeature(true);
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

/** The SQL statements of the second of two identical requests (the first warms the caches). */
async function statementsOf(query: string, variables: Record<string, unknown>, authorization: string): Promise<{ data: any; statements: number }> {
  await service.ok(query, variables, authorization);
  let data: any;
  const statements = await service.statements(async () => (data = await service.ok(query, variables, authorization)));
  return { data, statements };
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

describe('a list below a list', () => {
  const NESTED_PAGES = `query($n: Int, $m: Int, $filter: AccessTokenFilter) {
    accessTokens(first: $n, filter: $filter) { nodes { id owner { id
      personalAccessTokens(first: $m) { totalCount pageInfo { hasNextPage endCursor } nodes { id name scopes { value } } } } } } }`;
  const BY_OWNER = `query($owner: ID!, $m: Int, $after: String) {
    accessTokens(first: $m, after: $after, filter: { ownerId: $owner, personalAccessToken: true }) {
      pageInfo { hasNextPage endCursor } nodes { id name scopes { value } } } }`;

  it('loads every owner\'s page in one statement: a page of 3 tokens costs the statements of a page of 24', async () => {
    const name = unique('load');
    const owners = await Promise.all(Array.from({ length: 6 }, () => service.user()));
    for (const owner of owners) {
      for (let i = 0; i < 4; i += 1) await service.createPat(owner, i % 2 ? ['metrics.read'] : ['slo.read', 'apiTokens.read'], { name: `${name} ${i}` });
    }
    const filter = { nameContains: name };
    const small = await statementsOf(NESTED_PAGES, { n: 3, m: 2, filter }, admin.authorization);
    const large = await statementsOf(NESTED_PAGES, { n: 24, m: 2, filter }, admin.authorization);
    expect(small.data.accessTokens.nodes).toHaveLength(3);
    expect(large.data.accessTokens.nodes).toHaveLength(24);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(6);

    // Each nested page is the page the list itself gives for that owner, with the same cursors.
    for (const owner of owners) {
      const nested = large.data.accessTokens.nodes.find((node: any) => node.owner.id === owner.userId).owner.personalAccessTokens;
      const listed = (await service.ok(BY_OWNER, { owner: owner.userId, m: 2 }, admin.authorization)).accessTokens;
      expect(nested.totalCount).toBe(4);
      expect({ pageInfo: nested.pageInfo, nodes: nested.nodes }).toEqual(listed);
    }
  });

  it('continues after a nested cursor as the list does, and refuses a cursor that is not one', async () => {
    const owner = await service.user();
    for (let i = 0; i < 5; i += 1) await service.createPat(owner, ['metrics.read'], { name: `page ${i}` });
    const pat = await service.createPat(owner, ['apiTokens.read'], { name: 'reader' });
    const query = `query($id: ID!, $after: String) { accessToken(id: $id) { owner {
      personalAccessTokens(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { id name scopes { value } } } } } }`;
    const first = (await service.ok(query, { id: pat.id }, owner.authorization)).accessToken.owner.personalAccessTokens;
    const second = (await service.ok(query, { id: pat.id, after: first.pageInfo.endCursor }, owner.authorization)).accessToken.owner.personalAccessTokens;
    const listed = (await service.ok(BY_OWNER, { owner: owner.userId, m: 2, after: first.pageInfo.endCursor }, owner.authorization)).accessTokens;
    expect(second).toEqual(listed);
    expect(second.nodes.map((node: any) => node.id)).not.toContain(first.nodes[0].id);

    const bad = await service.request(query, { id: pat.id, after: 'not-a-cursor' }, owner.authorization);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions.field).toBe('after');
    const tooMany = await service.request(query.replace('first: 2', 'first: 101'), { id: pat.id }, owner.authorization);
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors![0].extensions.field).toBe('first');
  });

  it('shows a user nobody else\'s tokens below a user it can reach', async () => {
    await service.createPat(admin, ['metrics.read'], { name: 'the admin\'s own' });
    const user = await service.user();
    const { features } = await service.ok(
      '{ features { updatedBy { id personalAccessTokens { totalCount nodes { id } } } } }',
      {},
      user.authorization,
    );
    expect(features[0].updatedBy.id).toBe(admin.userId);
    expect(features[0].updatedBy.personalAccessTokens).toEqual({ totalCount: 0, nodes: [] });
    const own = await service.ok('{ features { updatedBy { personalAccessTokens { totalCount } } } }', {}, admin.authorization);
    expect(own.features[0].updatedBy.personalAccessTokens.totalCount).toBeGreaterThan(0);
  });
});

describe('AccessToken.effectiveAccess of a page of tokens', () => {
  const ZONE_SCOPED = [
    'entities.read', 'entities.write', 'events.read', 'metrics.read', 'problems.read',
    'problems.write', 'securityProblems.read', 'slo.read', 'slo.write',
  ];
  const EFFECTIVE = `query($n: Int, $filter: AccessTokenFilter) { accessTokens(first: $n, filter: $filter) {
    nodes { id effectiveAccess { allowed reason scope { value } managementZones { id name } } } } }`;

  it('costs the same few statements for 2 tokens as for 20, each with nine zone-scoped scopes', async () => {
    const user = await service.user();
    const [east, west, north] = await Promise.all([service.createZone(), service.createZone(), service.createZone()]);
    await service.grant(user, { permission: 'VIEWER', managementZoneId: east }, { permission: 'VIEWER', managementZoneId: west });
    await service.grant(user, { permission: 'MANAGE_SETTINGS', managementZoneId: north });
    const name = unique('load');
    for (let i = 0; i < 20; i += 1) await service.createPat(user, ZONE_SCOPED, { name: `${name} ${i}` });

    const filter = { nameContains: name };
    const small = await statementsOf(EFFECTIVE, { n: 2, filter }, user.authorization);
    const large = await statementsOf(EFFECTIVE, { n: 20, filter }, user.authorization);
    expect(large.data.accessTokens.nodes).toHaveLength(20);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(8);

    // And the answers are right: VIEWER scopes in east and west, MANAGE_SETTINGS ones in north (which includes VIEWER).
    for (const node of large.data.accessTokens.nodes) {
      const byScope = Object.fromEntries(
        node.effectiveAccess.map((decision: any) => [decision.scope.value, decision.managementZones.map((zone: any) => zone.id).sort()]),
      );
      expect(byScope['metrics.read']).toEqual([east, west, north].sort());
      expect(byScope['slo.write']).toEqual([north]);
      expect(node.effectiveAccess.every((decision: any) => decision.allowed)).toBe(true);
    }
  });
});
