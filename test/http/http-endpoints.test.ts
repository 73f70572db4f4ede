import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { type ProbeAnswer, postGraphQL, rawRequest } from '../helpers/http-probe';
import { ENABLE_PATS } from '../helpers/operations';
import { type Actor, TestService } from '../helpers/service';

let service: TestService;
let admin: Actor;
let base: string;

beforeAll(async () => {
  service = await TestService.start();
  admin = await service.admin();
  base = service.url.replace(/\/graphql$/, '');
});
afterAll(() => service?.stop());

function post(query: string, variables?: Record<string, unknown>, authorization?: string): Promise<ProbeAnswer> {
  return postGraphQL(service.url, { query, variables }, authorization ? { authorization } : {});
}

describe('health endpoints', () => {
  it('answers /healthz while the process is alive', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
  });

  it('answers /readyz with 200 while the database is reachable', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
  });
});

describe('the other routes', () => {
  it('answer a path that is not there with a JSON 404, not an HTML page', async () => {
    for (const path of ['/nothing-here', '/graphiql/%E0%A4%A', '/graphiql/no-such-asset.js']) {
      const answer = await rawRequest(`${base}${path}`, { method: 'GET' });
      expect({ path, status: answer.status, codes: answer.codes }).toEqual({ path, status: 404, codes: ['NOT_FOUND'] });
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
    }
  });
});

describe('GET /graphql', () => {
  it('serves queries, with the preflight header Apollo\'s CSRF prevention asks for', async () => {
    const admin = await service.admin();
    const query = encodeURIComponent('{ scopes { value } }');
    const response = await fetch(`${service.url}?query=${query}`, {
      headers: { authorization: admin.authorization, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { scopes: unknown[] } };
    expect(body.data.scopes).toHaveLength(41);
  });

  it('refuses a simple GET without the preflight header (CSRF prevention)', async () => {
    const query = encodeURIComponent('{ scopes { value } }');
    const response = await fetch(`${service.url}?query=${query}`);
    expect(response.status).toBe(400);
  });

  it('never runs a mutation, anonymous or an admin\'s', async () => {
    const anonymous = encodeURIComponent('mutation { reportLeakedToken(token: "x") }');
    const response = await fetch(`${service.url}?query=${anonymous}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
    const query = encodeURIComponent(ENABLE_PATS);
    const answer = await rawRequest(`${service.url}?query=${query}`, {
      method: 'GET',
      headers: { authorization: admin.authorization, 'apollo-require-preflight': 'true' },
    });
    expect(answer.status).toBe(405);
    const { features } = await service.ok('{ features { feature enabled } }', {}, admin.authorization);
    expect(features).toEqual([{ feature: 'PERSONAL_ACCESS_TOKENS', enabled: false }]);
  });

  it('gives a browser GraphiQL, served from the service itself', async () => {
    const response = await fetch(service.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const page = await response.text();
    // The favicon is an empty data: URL, so the browser asks for no /favicon.ico.
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]).filter((asset) => asset !== 'data:,');
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset.startsWith('/')).toBe(true);
      const loaded = await fetch(`${base}${asset}`);
      expect({ asset, status: loaded.status, nosniff: loaded.headers.get('x-content-type-options') }).toEqual({ asset, status: 200, nosniff: 'nosniff' });
    }
  });

  it('sends the page with a Content-Security-Policy that lets it load its own assets only, and no framing or referrer', async () => {
    const response = await fetch(service.url, { headers: { accept: 'text/html' } });
    const policy = Object.fromEntries(
      response.headers.get('content-security-policy')!.split(';').map((directive) => {
        const [name, ...sources] = directive.trim().split(/\s+/);
        return [name, sources];
      }),
    );
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    // The page holds no inline script but its configuration, a JSON block the browser does not run.
    const page = await response.text();
    const inline = [...page.matchAll(/<script(?![^>]*\ssrc=)([^>]*)>/g)].map((match) => match[1]);
    expect(inline).toEqual([' type="application/json" id="graphiql-config"']);
    expect(page).not.toMatch(/<style|\sstyle=/);
  });
});

describe('POST /graphql', () => {
  it('refuses batched (array) requests', async () => {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });

  it.each([
    ['application/x-www-form-urlencoded', 'query=%7B__typename%7D'],
    ['text/plain', '{"query":"{ __typename }"}'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--x--\r\n'],
  ])('refuses a %s body a browser form could send (CSRF)', async (contentType, body) => {
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
      expect({ body, status: answer.status, codes: answer.codes }).toEqual({ body, status: 400, codes: ['BAD_REQUEST'] });
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

  it('answers a body over the limit with 413', async () => {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { padding: 'x'.repeat(200_000) } }),
    });
    expect(response.status).toBe(413);
  });

  it('reads application/json in any UTF charset, and refuses another charset with 415', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const utf8 = await rawRequest(service.url, { headers: { 'content-type': 'application/json; charset=UTF-8' }, body });
    expect(utf8.json).toEqual({ data: { __typename: 'Query' } });
    const utf16 = await rawRequest(service.url, {
      headers: { 'content-type': 'application/json; charset=utf-16le' },
      body: Buffer.from(body, 'utf16le'),
    });
    expect(utf16.json).toEqual({ data: { __typename: 'Query' } });
    const latin1 = await rawRequest(service.url, { headers: { 'content-type': 'application/json; charset=latin1' }, body });
    expect({ status: latin1.status, codes: latin1.codes }).toEqual({ status: 415, codes: ['BAD_REQUEST'] });
  });

  it('reads a gzip, deflate or brotli body, counts the limit on what it inflates to, and refuses another coding with 415', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    for (const [coding, compress] of [['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]] as const) {
      const answer = await rawRequest(service.url, { headers: { 'content-type': 'application/json', 'content-encoding': coding }, body: compress(body) });
      expect({ coding, json: answer.json }).toEqual({ coding, json: { data: { __typename: 'Query' } } });
    }
    // 300 kB of padding that gzips to well under the limit.
    const bomb = gzipSync(JSON.stringify({ query: '{ __typename }', variables: { padding: ' '.repeat(300_000) } }));
    expect(bomb.length).toBeLessThan(10_000);
    const inflated = await rawRequest(service.url, { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
    expect(inflated.status).toBe(413);
    const corrupt = await rawRequest(service.url, { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'not gzip' });
    expect({ status: corrupt.status, codes: corrupt.codes }).toEqual({ status: 400, codes: ['BAD_REQUEST'] });
    const unknown = await rawRequest(service.url, { headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' }, body });
    expect({ status: unknown.status, codes: unknown.codes }).toEqual({ status: 415, codes: ['BAD_REQUEST'] });
  });

  it('drops a request whose body ends before its Content-Length, and stays up', async () => {
    const { hostname, port } = new URL(service.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        const body = '{"query": "{ __typename }"}';
        socket.end(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 70}\r\n\r\n${body}`);
      });
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.setTimeout(10_000, () => reject(new Error('no answer within 10 s')));
    });
    // Never an answer as if the body were whole: a 400, or the connection closed without one.
    expect(answer === '' || answer.startsWith('HTTP/1.1 400')).toBe(true);
    expect((await service.request('{ __typename }')).status).toBe(200);
  });

  it('serves /graphql/ like /graphql, and nothing under another path', async () => {
    const slash = await rawRequest(`${service.url}/`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(slash.json).toEqual({ data: { __typename: 'Query' } });
    const elsewhere = await rawRequest(`${service.url}x`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(elsewhere.status).toBe(404);
  });

  it('answers a syntax error with GRAPHQL_PARSE_FAILED and 400', async () => {
    const response = await service.request('{ scopes { value ');
    expect(response.status).toBe(400);
    expect(response.errors![0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers an unknown field with GRAPHQL_VALIDATION_FAILED and 400', async () => {
    const response = await service.request('{ noSuchField }');
    expect(response.status).toBe(400);
    expect(response.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers variables of the wrong type with BAD_USER_INPUT and 200, as any bad input', async () => {
    const admin = await service.admin();
    const cases: [string, Record<string, unknown>][] = [
      ['query($scope: ID!) { authorize(scope: $scope) { allowed } }', { scope: { not: 'an id' } }],
      ['query($scope: ID!) { authorize(scope: $scope) { allowed } }', {}],
      ['query($first: Int) { accessTokens(first: $first) { totalCount } }', { first: 'twenty' }],
      ['mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }', { input: { name: 'x', scopes: ['metrics.read'], expirationDate: 'soon' } }],
    ];
    for (const [query, variables] of cases) {
      const response = await service.request(query, variables, admin.authorization);
      expect({ variables, status: response.status, codes: response.errors?.map((error) => error.extensions.code) }).toEqual({
        variables,
        status: 200,
        codes: ['BAD_USER_INPUT'],
      });
      expect(response.data).toBeUndefined();
    }
  });

  it('sends no stack trace with an error', async () => {
    const response = await service.request('{ me { id } }');
    expect(response.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|\.ts:\d+/);
  });

  it('lets anonymous callers reach only @public fields', async () => {
    const response = await service.request('mutation { reportLeakedToken(token: "nothing") }');
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ reportLeakedToken: true });
  });

  it('refuses a document of several operations without an operation name', async () => {
    const answer = await post('query a { __typename } query b { __typename }');
    expect(answer.status).toBe(400);
    expect(answer.codes.length).toBe(1);
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

  it('refuses headers beyond Node\'s size limit with 431', async () => {
    const answer = await rawRequest(service.url, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'a'.repeat(20_000)}` },
      body: '{"query":"{ __typename }"}',
    });
    expect(answer.status).toBe(431);
  });
});

describe('in production', () => {
  let production: TestService;

  beforeAll(async () => {
    production = await TestService.start({ NODE_ENV: 'production' });
  });
  afterAll(() => production?.stop());

  it('suggests no field names and sends no stack trace', async () => {
    const response = await production.request('{ scope { value } }');
    expect(response.status).toBe(400);
    expect(response.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors![0].message).not.toMatch(/Did you mean/);
    expect(JSON.stringify({ data: response.data, errors: response.errors })).not.toMatch(/Did you mean|stacktrace|\.ts:\d+/);
  });

  it('still suggests them in development, where they help', async () => {
    const response = await service.request('{ scope { value } }');
    expect(response.errors![0].message).toMatch(/Did you mean/);
  });

  it('keeps introspection on for GraphiQL and client generators', async () => {
    const admin = await production.admin();
    const data = await production.ok('{ __schema { queryType { name } } }', {}, admin.authorization);
    expect(data.__schema.queryType.name).toBe('Query');
  });
});

describe('with HTTP_BODY_LIMIT_BYTES', () => {
  let small: TestService;

  beforeAll(async () => {
    small = await TestService.start({ HTTP_BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(() => small?.stop());

  it('answers a body over the limit with 413 BAD_REQUEST, and one under it as usual', async () => {
    const answer = await postGraphQL(small.url, { query: '{ __typename }', variables: { padding: 'x'.repeat(3000) } });
    expect(answer.status).toBe(413);
    expect(answer.codes).toEqual(['BAD_REQUEST']);
    const under = await postGraphQL(small.url, { query: '{ __typename }', variables: { padding: 'x'.repeat(1000) } });
    expect(under.status).toBe(200);
  });
});

describe('with introspection turned off', () => {
  let closed: TestService;

  beforeAll(async () => {
    closed = await TestService.start({ GRAPHQL_INTROSPECTION: 'false' });
  });
  afterAll(() => closed?.stop());

  it('refuses introspection queries', async () => {
    const response = await closed.request('{ __schema { queryType { name } } }');
    expect(response.status).toBe(400);
    expect(response.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
