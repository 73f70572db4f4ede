import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { hashToken, tokenMatches } from '../../src/tokens/token-secret';
import { rawRequest } from '../helpers/http-probe';
import { mistyped, secretOf } from '../helpers/operations';
import { type Actor, type CreatedToken, TestService } from '../helpers/service';

/**
 * A token's secret leaves the service once, in the answer that creates it: never in an error
 * message (even one that echoes what the client sent), never in the database (only a keyed
 * hash). A mistyped token costs no database work. Log lines are covered in test/observability.
 */
let service: TestService;
let admin: Actor;
let pat: CreatedToken;
let api: CreatedToken;
let sql: Client;

/** The parts of a token that must not appear anywhere: the whole token and its secret part. */
function secretsOf(token: string): string[] {
  return [token, secretOf(token)];
}

function expectNoSecret(text: string, token: string): void {
  for (const secret of secretsOf(token)) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  // No background flush of last uses: statement counts below see only the request's own SQL.
  service = await TestService.start({ LAST_USED_FLUSH_MS: '600000' });
  admin = await service.admin();
  await service.setFeature(true);
  pat = await service.createPat(await service.user(), ['metrics.read']);
  api = await service.createApiToken(['metrics.read']);
  sql = new Client({ connectionString: service.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await service?.stop();
});

describe('error messages that echo what was sent', () => {
  const echoing: [string, string, (token: string) => Record<string, unknown>][] = [
    ['a variable of the wrong type', 'query($n: Int) { accessTokens(first: $n) { nodes { id } } }', (token) => ({ n: token })],
    ['an enum variable with no such value', 'mutation($f: Feature!) { enableFeature(feature: $f) { enabled } }', (token) => ({ f: token })],
    ['an unknown scope', 'mutation($s: [ID!]!) { createApiToken(input: { name: "x", scopes: $s }) { id: token } }', (token) => ({ s: ['metrics.read', token] })],
    ['an input object with an unknown field', 'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }', (token) => ({ i: { name: 'x', scopes: [], [token.replace(/\./g, '_')]: 1, secret: token } })],
  ];

  it.each(echoing)('keep a token out of the answer to %s', async (_, query, variables) => {
    const response = await rawRequest(service.url, {
      headers: { 'content-type': 'application/json', authorization: admin.authorization },
      body: JSON.stringify({ query, variables: variables(api.token) }),
    });
    expect(response.status).toBeLessThan(500);
    expect(response.json.errors?.length).toBeGreaterThan(0);
    expectNoSecret(response.text, api.token);
  });

  it('keeps a token written into the query text out of the answer', async () => {
    for (const query of [
      `{ accessTokens(first: "${pat.token}") { nodes { id } } }`,
      `{ lookupAccessToken(token: ${pat.token}) { id } }`,
      `{ me { id } } ${pat.token}`,
      `mutation { enableFeature(feature: ${pat.token.replace(/\./g, '_')}) { enabled } }`,
    ]) {
      const response = await rawRequest(service.url, {
        headers: { 'content-type': 'application/json', authorization: admin.authorization },
        body: JSON.stringify({ query }),
      });
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expectNoSecret(response.text, pat.token);
    }
  });

  it('says [REDACTED] where the token was', async () => {
    const response = await service.request('query($n: Int) { accessTokens(first: $n) { nodes { id } } }', { n: api.token }, admin.authorization);
    expect(response.errors![0].message).toContain('[REDACTED]');
  });

  it('keeps a token in an unreadable body out of the answer', async () => {
    const response = await rawRequest(service.url, {
      headers: { 'content-type': 'application/json' },
      body: `{"query": "{ __typename }", "variables": {"t": "${api.token}"}`,
    });
    expect(response.status).toBe(400);
    expectNoSecret(response.text, api.token);
  });

  it('never sends a secret back in an UNAUTHENTICATED answer', async () => {
    const revoked = await service.createApiToken(['metrics.read']);
    await service.revoke(revoked.id, admin.authorization);
    const response = await rawRequest(service.url, {
      headers: { 'content-type': 'application/json', authorization: revoked.authorization },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(401);
    expectNoSecret(response.text + JSON.stringify(response.headers), revoked.token);
  });
});

describe('the database', () => {
  it('holds no secret of any token, in any table, column or audit entry', async () => {
    await service.rotate(api.id, admin.authorization);
    await service.ok('mutation($t: String!) { reportLeakedToken(token: $t) }', { t: pat.token });
    const { rows: tables } = await sql.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    expect(tables.map((table) => table.tablename)).toEqual(expect.arrayContaining(['access_token', 'access_token_scope', 'app_user']));
    for (const { tablename } of tables) {
      const { rows } = await sql.query(`SELECT coalesce(string_agg(to_jsonb(t)::text, E'\\n'), '') AS dump FROM ${sql.escapeIdentifier(tablename)} t`);
      for (const token of [pat.token, api.token]) {
        for (const secret of secretsOf(token)) {
          expect({ tablename, found: rows[0].dump.includes(secret) }).toEqual({ tablename, found: false });
        }
      }
    }
  });

  it('holds a keyed hash (HMAC under the pepper), not a plain hash of the token', async () => {
    const { rows } = await sql.query('SELECT secret_hash FROM access_token WHERE id = $1', [pat.id]);
    const stored: Buffer = rows[0].secret_hash;
    expect(stored.equals(hashToken(service.config.tokenPepper!, pat.token))).toBe(true);
    expect(stored.equals(createHash('sha256').update(pat.token).digest())).toBe(false);
    expect(stored.equals(hashToken('another pepper of at least 32 characters', pat.token))).toBe(false);
  });

  it('compares a stored hash of the wrong length as a mismatch, without throwing', () => {
    const stored = hashToken(service.config.tokenPepper!, pat.token);
    expect(tokenMatches(service.config.tokenPepper!, pat.token, stored)).toBe(true);
    expect(tokenMatches(service.config.tokenPepper!, pat.token, stored.subarray(0, 16))).toBe(false);
  });
});

describe('a token with a wrong checksum', () => {

  it('is refused as credentials before any database work', async () => {
    let status = 0;
    const statements = await service.statements(async () => {
      status = (await service.request('{ me { id } }', {}, `Api-Token ${mistyped(api.token)}`)).status;
    });
    expect(status).toBe(401);
    expect(statements).toBe(0);
  });

  it('is reported as leaked with no database work, and revokes nothing', async () => {
    const fresh = await service.createApiToken(['metrics.read']);
    let answer: unknown;
    const statements = await service.statements(async () => {
      answer = (await service.request('mutation($t: String!) { reportLeakedToken(token: $t) }', { t: mistyped(fresh.token) })).data;
    });
    expect(answer).toEqual({ reportLeakedToken: true });
    expect(statements).toBe(0);
    const still = await service.request('{ authorize(scope: "metrics.read") { allowed } }', {}, fresh.authorization);
    expect(still.data).toEqual({ authorize: { allowed: true } });
  });

  it('is looked up with no database work beyond authenticating the caller', async () => {
    const authenticating = await service.statements(() => service.request('{ __typename }', {}, admin.authorization));
    const lookingUp = await service.statements(() =>
      service.request('query($t: String!) { lookupAccessToken(token: $t) { id } }', { t: mistyped(api.token) }, admin.authorization),
    );
    expect(lookingUp).toBe(authenticating);
  });
});
