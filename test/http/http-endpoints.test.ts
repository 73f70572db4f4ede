import { TestService } from '../helpers/service';

let service: TestService;
let base: string;

beforeAll(async () => {
  service = await TestService.start();
  base = service.url.replace(/\/graphql$/, '');
});
afterAll(() => service?.stop());

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

  it('never runs a mutation', async () => {
    const query = encodeURIComponent('mutation { reportLeakedToken(token: "x") }');
    const response = await fetch(`${service.url}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
  });

  it('gives a browser GraphiQL, served from the service itself', async () => {
    const response = await fetch(service.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const page = await response.text();
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset.startsWith('/')).toBe(true);
      const loaded = await fetch(`${base}${asset}`);
      expect({ asset, status: loaded.status }).toEqual({ asset, status: 200 });
    }
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
    ['text/plain', '{"query":"{ __typename }"}'],
    ['application/x-www-form-urlencoded', 'query=%7B__typename%7D'],
  ])('refuses a %s body a browser form could send', async (contentType, body) => {
    const response = await fetch(service.url, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(400);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('answers a body over the limit with 413', async () => {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { padding: 'x'.repeat(200_000) } }),
    });
    expect(response.status).toBe(413);
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
});

describe('in production', () => {
  let production: TestService;

  beforeAll(async () => {
    production = await TestService.start({ NODE_ENV: 'production' });
  });
  afterAll(() => production?.stop());

  it('suggests no field names', async () => {
    const response = await production.request('{ scope { value } }');
    expect(response.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors![0].message).not.toMatch(/Did you mean/);
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
