import { type ProbeAnswer, limitsOf, postGraphQL, rawRequest } from '../helpers/http-probe';
import { type Actor, TestService } from '../helpers/service';

/**
 * Hostile requests, graphql-cop's set and more: each is refused with a 4xx and a code a client can
 * act on, or answered harmlessly; none is a 500, none runs unbounded work.
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

  it('refuses many full pages at once by cost, and answers one full page', async () => {
    const page = 'accessTokens(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name status owner { id subject } scopes { value } } } }';
    const one = await post(`{ ${page} }`, {}, admin.authorization);
    expect(one.status).toBe(200);
    expect(one.json.errors).toBeUndefined();
    const many = Array.from({ length: 10 }, (_, i) => `p${i}: ${page}`).join(' ');
    expectValidationRefusal(await post(`{ ${many} }`, {}, admin.authorization), 'maxCost');
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

describe('HTTP-level probes', () => {
  it('refuses batched (array) requests', async () => {
    const answer = await postGraphQL(service.url, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(answer.status).toBe(400);
  });

  it('refuses a document of several operations without an operation name', async () => {
    const answer = await post('query a { __typename } query b { __typename }');
    expect(answer.status).toBe(400);
    expect(answer.codes.length).toBe(1);
  });

  it('never runs a mutation over GET', async () => {
    const query = encodeURIComponent('mutation { enableFeature(feature: PERSONAL_ACCESS_TOKENS) { enabled } }');
    const answer = await rawRequest(`${service.url}?query=${query}`, {
      method: 'GET',
      headers: { authorization: admin.authorization, 'apollo-require-preflight': 'true' },
    });
    expect(answer.status).toBe(405);
    const features = await post('{ features { feature enabled } }', {}, admin.authorization);
    expect(features.json.data.features).toEqual([{ feature: 'PERSONAL_ACCESS_TOKENS', enabled: false }]);
  });

  it.each([
    ['application/x-www-form-urlencoded', 'query=%7B__typename%7D'],
    ['text/plain', '{"query":"{ __typename }"}'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--x--\r\n'],
  ])('refuses a %s POST a browser form could send (CSRF)', async (contentType, body) => {
    const answer = await rawRequest(service.url, { headers: { 'content-type': contentType }, body });
    expect(answer.status).toBe(400);
  });

  it.each([
    ['application/xml', '<query>{ __typename }</query>'],
    ['application/graphql', '{ __typename }'],
    ['no content type', '{"query":"{ __typename }"}'],
  ])('refuses a POST with %s with a 4xx, not a 500', async (contentType, body) => {
    const headers: Record<string, string> = contentType === 'no content type' ? {} : { 'content-type': contentType };
    const answer = await rawRequest(service.url, { headers: { ...headers, 'apollo-require-preflight': 'true' }, body });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  });

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    for (const body of ['{"query": ', '{"query": "{ __typename }"}}', '\u0000', 'null', '"just a string"']) {
      const answer = await rawRequest(service.url, { headers: { 'content-type': 'application/json' }, body });
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
    }
  });

  it('answers bytes that are not UTF-8 without a 500', async () => {
    const inQuery = Buffer.concat([Buffer.from('{"query":"{ __typename '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' }"}')]);
    const parsed = await rawRequest(service.url, { headers: { 'content-type': 'application/json' }, body: inQuery });
    expect(parsed.status).toBe(400);
    const inName = Buffer.concat([
      Buffer.from('{"query":"mutation($n: String!) { createManagementZone(name: $n) { id name } }","variables":{"n":"zone '),
      Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]),
      Buffer.from('"}}'),
    ]);
    const stored = await rawRequest(service.url, {
      headers: { 'content-type': 'application/json', authorization: admin.authorization },
      body: inName,
    });
    expect(stored.status).toBe(200);
    // Decoded with replacement characters, which are valid text; or refused as input. Never an SQL error.
    expect(stored.codes.filter((code) => code !== 'BAD_USER_INPUT')).toEqual([]);
  });

  it('refuses null bytes and control characters in every kind of text input', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['mutation($v: String!) { createManagementZone(name: $v) { id } }', { v: 'a\u0000b' }],
      ['mutation($v: String!) { createGroup(input: { name: $v, permissions: [] }) { id } }', { v: 'a\u0000b' }],
      ['query($v: String!) { accessTokens(filter: { nameContains: $v }) { nodes { id } } }', { v: '\u0000' }],
    ];
    for (const [query, variables] of cases) {
      const answer = await post(query, variables, admin.authorization);
      expect({ query, status: answer.status, codes: answer.codes }).toEqual({ query, status: 200, codes: ['BAD_USER_INPUT'] });
    }
    const scope = await post('query($v: ID!) { authorize(scope: $v) { allowed } }', { v: 'metrics.read\u0000' }, admin.authorization);
    expect(scope.status).toBe(200);
    expect(scope.codes).not.toContain('INTERNAL_SERVER_ERROR');
    for (const token of ['\u0000', `dt0c01.${'A'.repeat(24)}.${'A'.repeat(63)}\u0000`]) {
      const leaked = await post('mutation($v: String!) { reportLeakedToken(token: $v) }', { v: token });
      expect(leaked.json).toEqual({ data: { reportLeakedToken: true } });
      const lookedUp = await post('query($v: String!) { lookupAccessToken(token: $v) { id } }', { v: token }, admin.authorization);
      expect(lookedUp.json).toEqual({ data: { lookupAccessToken: null } });
    }
    const rawNull = await post('{ __typename \u0000 }');
    expect(rawNull.status).toBe(400);
    expect(rawNull.codes).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('refuses a sign-in whose subject holds a null byte as invalid credentials', async () => {
    const authorization = await service.sessionHeader('evil\u0000admin');
    const answer = await post('{ me { id } }', {}, authorization);
    expect(answer.status).toBe(401);
    expect(answer.codes).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses malformed Authorization headers with 401, not 500', async () => {
    for (const authorization of ['Bearer', 'Bearer a b', 'Basic YWRtaW46YWRtaW4=', `Api-Token ${'x'.repeat(5000)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.']) {
      const answer = await post('{ me { id } }', {}, authorization);
      expect({ authorization: authorization.slice(0, 40), status: answer.status }).toEqual({ authorization: authorization.slice(0, 40), status: 401 });
    }
  });

  it('refuses headers beyond Node\'s size limit with 431', async () => {
    const answer = await rawRequest(service.url, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'a'.repeat(20_000)}` },
      body: '{"query":"{ __typename }"}',
    });
    expect(answer.status).toBe(431);
  });
});

describe('with limits from the environment', () => {
  let small: TestService;

  beforeAll(async () => {
    small = await TestService.start({
      HTTP_BODY_LIMIT_BYTES: '2048',
      GRAPHQL_MAX_DEPTH: '3',
      GRAPHQL_MAX_ALIASES: '2',
      GRAPHQL_MAX_TOKENS: '60',
      NODE_ENV: 'production',
    });
  });
  afterAll(() => small?.stop());

  it('answers a body over HTTP_BODY_LIMIT_BYTES with 413', async () => {
    const answer = await postGraphQL(small.url, { query: '{ __typename }', variables: { padding: 'x'.repeat(3000) } });
    expect(answer.status).toBe(413);
    expect(answer.codes).toEqual(['BAD_REQUEST']);
    const under = await postGraphQL(small.url, { query: '{ __typename }', variables: { padding: 'x'.repeat(1000) } });
    expect(under.status).toBe(200);
  });

  it('applies GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_ALIASES and GRAPHQL_MAX_TOKENS', async () => {
    const user = await small.user();
    expectValidationRefusal(await postGraphQL(small.url, { query: '{ me { personalAccessTokens { nodes { id } } } }' }, { authorization: user.authorization }), 'maxDepth');
    expectValidationRefusal(await postGraphQL(small.url, { query: '{ a: __typename b: __typename c: __typename }' }), 'maxAliases');
    const tokens = await postGraphQL(small.url, { query: `{ ${'__typename '.repeat(70)} }` });
    expect(tokens.codes).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('gives no field suggestions and no stack traces in production', async () => {
    const answer = await postGraphQL(small.url, { query: '{ scope { value } }' });
    expect(answer.status).toBe(400);
    expect(answer.text).not.toMatch(/Did you mean|stacktrace|\.ts:\d+/);
  });
});
