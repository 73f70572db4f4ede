import { generateToken } from '../../src/tokens/token-secret';
import { REPORT_LEAK, mistyped } from '../helpers/operations';
import { sampleValue } from '../helpers/prometheus-text';
import { TestService } from '../helpers/service';

let service: TestService;
let base: string;

/** A scrape of the metrics listener, as Prometheus makes it. */
async function scrape(target: TestService = service, authorization?: string): Promise<string> {
  const response = await fetch(target.service.metricsUrl!, { headers: authorization ? { authorization } : {} });
  expect(response.status).toBe(200);
  return response.text();
}

function post(body: Record<string, unknown>, authorization?: string): Promise<Response> {
  return fetch(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
    body: JSON.stringify(body),
  });
}

async function metric(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  return sampleValue(await scrape(), name, labels);
}

beforeAll(async () => {
  service = await TestService.start({ METRICS_PORT: '0' });
  base = service.url.replace(/\/graphql$/, '');
});
afterAll(() => service?.stop());

describe('where /metrics is served', () => {
  it('is not served by the public listener without METRICS_TOKEN, nor anywhere without METRICS_PORT', async () => {
    const plain = await TestService.start();
    try {
      expect(plain.service.metricsUrl).toBeNull();
      const response = await fetch(plain.url.replace(/\/graphql$/, '/metrics'));
      expect(response.status).toBe(404);
      expect(await response.text()).not.toMatch(/tessera_|authentication_failures/);
    } finally {
      await plain.stop();
    }
    const withListener = await fetch(`${base}/metrics`);
    expect(withListener.status).toBe(404);
    expect(await withListener.text()).not.toMatch(/tessera_/);
  });

  it('is served by a listener of its own, on loopback by default, which serves nothing else', async () => {
    const url = new URL(service.service.metricsUrl!);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).not.toBe(new URL(service.url).port);
    expect(url.pathname).toBe('/metrics');
    for (const path of ['/graphql', '/healthz', '/']) {
      expect((await fetch(new URL(path, url))).status).toBe(404);
    }
  });

  it('closes that listener when the service stops', async () => {
    const stopping = await TestService.start({ METRICS_PORT: '0' });
    const url = stopping.service.metricsUrl!;
    expect((await fetch(url)).status).toBe(200);
    await stopping.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('GET /metrics', () => {
  it('answers in Prometheus\' text format', async () => {
    const response = await fetch(service.service.metricsUrl!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^# HELP tessera_graphql_requests_total /m);
    expect(text).toMatch(/^# TYPE tessera_graphql_request_duration_seconds histogram$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('counts requests and their durations by operation name and outcome', async () => {
    const admin = await service.admin();
    const labels = { operation: 'CountedScopes', outcome: 'ok' };
    const before = (await metric('tessera_graphql_requests_total', labels)) ?? 0;
    await service.ok('query CountedScopes { scopes { value } }', {}, admin.authorization);
    await service.ok('query CountedScopes { scopes { value } }', {}, admin.authorization);
    const text = await scrape();
    expect(sampleValue(text, 'tessera_graphql_requests_total', labels)).toBe(before + 2);
    expect(sampleValue(text, 'tessera_graphql_request_duration_seconds_count', labels)).toBe(before + 2);
    expect(sampleValue(text, 'tessera_graphql_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(before + 2);
  });

  it('labels a failed request with the code of its first error', async () => {
    await service.request('query NeedsSignIn { me { id } }');
    expect(await metric('tessera_graphql_requests_total', { operation: 'NeedsSignIn', outcome: 'UNAUTHENTICATED' })).toBe(1);
    await post({ query: 'query Broken { scopes { value }', operationName: 'Broken' });
    expect(await metric('tessera_graphql_requests_total', { operation: 'Broken', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
  });

  it('labels a request refused before GraphQL ran (bad credentials) from its HTTP status', async () => {
    const response = await post({ query: 'query WithBadCredentials { scopes { value } }', operationName: 'WithBadCredentials' }, 'Bearer not-a-jwt');
    expect(response.status).toBe(401);
    expect(await metric('tessera_graphql_requests_total', { operation: 'WithBadCredentials', outcome: 'UNAUTHENTICATED' })).toBe(1);
    // Without an operationName, the name at the start of the document is taken; with none there, `unknown`.
    await post({ query: '# a comment\nquery NamedOnlyInside { scopes { value } }' }, 'Bearer not-a-jwt');
    expect(await metric('tessera_graphql_requests_total', { operation: 'NamedOnlyInside', outcome: 'UNAUTHENTICATED' })).toBe(1);
    const before = (await metric('tessera_graphql_requests_total', { operation: 'unknown', outcome: 'UNAUTHENTICATED' })) ?? 0;
    await post({ query: '{ scopes { value } }' }, 'Bearer not-a-jwt');
    expect(await metric('tessera_graphql_requests_total', { operation: 'unknown', outcome: 'UNAUTHENTICATED' })).toBe(before + 1);
  });

  it('keeps a client-chosen operation name out of the labels unless it is a plain GraphQL name', async () => {
    const response = await post({ query: '{ __typename }', operationName: 'evil"} 1\nfake_metric 2' }, 'Bearer x');
    expect(response.status).toBe(401);
    const text = await scrape();
    expect(text).not.toMatch(/fake_metric/);
    expect(sampleValue(text, 'tessera_graphql_requests_total', { operation: 'invalid', outcome: 'UNAUTHENTICATED' })).toBeGreaterThanOrEqual(1);
  });

  it('counts authentication failures by their internal reason, which the client never sees', async () => {
    const admin = await service.admin();
    await service.setFeature(true);
    const alice = await service.user();
    const pat = await service.createPat(alice, ['metrics.read']);
    const expired = await service.createPat(alice, ['metrics.read']);
    const disabled = await service.createPat(alice, ['metrics.read']);
    await service.service.dataSource.query(
      `UPDATE access_token SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE id = $1`,
      [expired.id],
    );
    await service.disable(disabled.id, admin.authorization);
    const revoked = await service.createPat(alice, ['metrics.read']);
    await service.revoke(revoked.id, admin.authorization);
    const forged = mistyped(pat.token);
    // Well-formed, right checksum, but no such token.
    const unknown = generateToken().token;
    const rotated = await service.createPat(alice, ['metrics.read']);
    await service.rotate(rotated.id, alice.authorization);

    const attempts: [string, string][] = [
      ['malformed', 'Basic dXNlcjpwYXNz'],
      ['malformed', `Api-Token ${forged}`],
      ['unknown', `Api-Token ${unknown}`],
      ['replaced_secret', rotated.authorization],
      ['bad_jwt', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
      ['expired_jwt', await service.sessionHeader(alice.subject, {}, { expiresIn: '-1m' })],
      ['expired', expired.authorization],
      ['disabled', disabled.authorization],
      ['revoked', revoked.authorization],
    ];
    const before = await scrape();
    for (const [, authorization] of attempts) {
      const response = await service.request('{ scopes { value } }', {}, authorization);
      expect(response.status).toBe(401);
      expect(JSON.stringify(response.errors)).not.toMatch(/malformed|unknown|replaced|expired|disabled|revoked|bad_jwt|suspended/i);
    }
    await service.setFeature(false);
    expect((await service.request('{ scopes { value } }', {}, pat.authorization)).status).toBe(401);
    await service.setFeature(true);

    const after = await scrape();
    const increase = (reason: string) =>
      (sampleValue(after, 'tessera_authentication_failures_total', { reason }) ?? 0) -
      (sampleValue(before, 'tessera_authentication_failures_total', { reason }) ?? 0);
    expect({
      malformed: increase('malformed'),
      unknown: increase('unknown'),
      replaced_secret: increase('replaced_secret'),
      bad_jwt: increase('bad_jwt'),
      expired_jwt: increase('expired_jwt'),
      expired: increase('expired'),
      disabled: increase('disabled'),
      revoked: increase('revoked'),
      suspended: increase('suspended'),
    }).toEqual({ malformed: 2, unknown: 1, replaced_secret: 1, bad_jwt: 1, expired_jwt: 1, expired: 1, disabled: 1, revoked: 1, suspended: 1 });
  });

  it('counts tokens created, revoked (by cause) and rotated', async () => {
    const admin = await service.admin();
    await service.setFeature(true);
    const alice = await service.user();
    const before = await scrape();
    const pat = await service.createPat(alice, ['metrics.read']);
    await service.createApiToken(['metrics.read']);
    await service.rotate(pat.id, alice.authorization);
    const leaked = await service.createPat(alice, ['metrics.read']);
    await service.ok(REPORT_LEAK, { token: leaked.token });
    await service.revoke(pat.id, admin.authorization);
    // Revoking a revoked token changes nothing, and is not counted again.
    await service.revoke(pat.id, admin.authorization);
    const after = await scrape();
    const increase = (name: string, labels: Record<string, string> = {}) =>
      (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
    expect({
      personal: increase('tessera_tokens_created_total', { kind: 'personal' }),
      api: increase('tessera_tokens_created_total', { kind: 'api' }),
      rotated: increase('tessera_tokens_rotated_total'),
      revoked: increase('tessera_tokens_revoked_total', { cause: 'revoke' }),
      leaked: increase('tessera_tokens_revoked_total', { cause: 'leak_report' }),
    }).toEqual({ personal: 2, api: 1, rotated: 1, revoked: 1, leaked: 1 });
  });

  it('reports the database pool, read when scraped', async () => {
    const text = await scrape();
    expect(sampleValue(text, 'tessera_db_pool_max_connections')).toBe(service.config.database.poolMax);
    expect(sampleValue(text, 'tessera_db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'tessera_db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, 'tessera_db_pool_waiting_requests')).toBe(0);
  });

  it('gives a cache hit and miss counters, for a hit ratio', async () => {
    const cache = service.service.metrics.cache('example');
    expect(await metric('tessera_cache_hits_total', { cache: 'example' })).toBe(0);
    cache.hit();
    cache.hit();
    cache.miss();
    const text = await scrape();
    expect(sampleValue(text, 'tessera_cache_hits_total', { cache: 'example' })).toBe(2);
    expect(sampleValue(text, 'tessera_cache_misses_total', { cache: 'example' })).toBe(1);
  });

  it('keeps each service instance\'s numbers apart, even in one process', async () => {
    const other = await TestService.start({ METRICS_PORT: '0' });
    try {
      other.service.metrics.cache('only-in-the-other').hit();
      expect(sampleValue(await scrape(other), 'tessera_cache_hits_total', { cache: 'only-in-the-other' })).toBe(1);
      expect(sampleValue(await scrape(), 'tessera_cache_hits_total', { cache: 'only-in-the-other' })).toBeUndefined();
    } finally {
      await other.stop();
    }
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'scrape-secret-0123456789';
  let guarded: TestService;
  let url: string;

  beforeAll(async () => {
    guarded = await TestService.start({ METRICS_TOKEN: token, METRICS_PORT: '0' });
    url = guarded.url.replace(/\/graphql$/, '/metrics');
  });
  afterAll(() => guarded?.stop());

  it('refuses a scrape without the token, on the public listener and on the metrics listener', async () => {
    for (const target of [url, guarded.service.metricsUrl!]) {
      const response = await fetch(target);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(await response.text()).not.toMatch(/tessera_/);
    }
  });

  it.each([`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, token, `Basic ${token}`])('refuses %p', async (authorization) => {
    expect((await fetch(url, { headers: { authorization } })).status).toBe(401);
    expect((await fetch(guarded.service.metricsUrl!, { headers: { authorization } })).status).toBe(401);
  });

  it('answers a scrape with the token, on either listener', async () => {
    const text = await scrape(guarded, `Bearer ${token}`);
    expect(text).toMatch(/^# TYPE tessera_graphql_requests_total counter$/m);
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^# TYPE tessera_graphql_requests_total counter$/m);
  });
});
