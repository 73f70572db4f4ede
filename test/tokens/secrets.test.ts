import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { createLogger } from '../../src/logger';
import { hashToken } from '../../src/tokens/token-secret';
import { codes } from '../helpers/expectations';
import { rawRequest } from '../helpers/http-probe';
import { CREATE_PAT, REPORT_LEAK, TOKEN, TOKEN_FIELDS, secretOf } from '../helpers/operations';
import { type Actor, type CreatedToken, TestService } from '../helpers/service';

/**
 * A token's secret leaves the service once, in the answer that creates it: never in a query's
 * answer, an error message (even one that echoes what the client sent), a log line, or the
 * database (which keeps a keyed hash). What a mistyped token costs is in format.test.ts.
 */
let service: TestService;
let admin: Actor;
let pat: CreatedToken;
let api: CreatedToken;
let sql: Client;
/** Every log line the service writes, at the most verbose level. */
const logLines: string[] = [];

/** The parts of a token that must not appear anywhere: the whole token and its secret part. */
function secretsOf(token: string): string[] {
  return [token, secretOf(token)];
}

function expectNoSecret(text: string, token: string): void {
  for (const secret of secretsOf(token)) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  service = await TestService.start({}, createLogger({ level: 'trace' }, sink));
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

describe('the secret', () => {
  it('never appears again in any query, however the token is read', async () => {
    const user = await service.user();
    const admin = await service.admin();
    const created = await service.createPat(user, ['apiTokens.read', 'metrics.read'], { name: 'secret keeper' });
    const secret = secretOf(created.token);
    const reads: [string, Record<string, unknown>, string][] = [
      [TOKEN, { id: created.id }, user.authorization],
      [TOKEN, { id: created.id }, created.authorization],
      [TOKEN, { id: created.id }, admin.authorization],
      [`{ accessTokens { edges { cursor node { ${TOKEN_FIELDS} } } nodes { id } pageInfo { endCursor } } }`, {}, user.authorization],
      [`{ accessTokens(first: 100) { nodes { ${TOKEN_FIELDS} } } }`, {}, admin.authorization],
      [`query($t: String!) { lookupAccessToken(token: $t) { ${TOKEN_FIELDS} } }`, { t: created.token }, user.authorization],
      [`{ me { personalAccessTokens { edges { cursor node { ${TOKEN_FIELDS} } } } } }`, {}, user.authorization],
      [`{ me { personalAccessTokens { nodes { ${TOKEN_FIELDS} } } } }`, {}, created.authorization],
    ];
    for (const [query, variables, authorization] of reads) {
      const response = await service.request(query, variables, authorization);
      expect(codes(response)).toEqual([]);
      const text = JSON.stringify(response);
      expect(text).toContain(created.id);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(0, 32));
    }
  });

  it('has no field of its own on AccessToken: only CreatedAccessToken.token carries it', async () => {
    const user = await service.user();
    const { accessToken, created } = await service.ok(
      `{ accessToken: __type(name: "AccessToken") { fields { name } } created: __type(name: "CreatedAccessToken") { fields { name } } }`,
      {},
      user.authorization,
    );
    const names: string[] = accessToken.fields.map((field: { name: string }) => field.name);
    expect(names).toContain('id');
    expect(names.filter((name) => /secret|hash|^token$|pepper/i.test(name))).toEqual([]);
    expect(created.fields.map((field: { name: string }) => field.name).sort()).toEqual(['accessToken', 'token']);
  });

  it('is not echoed by errors, even when sent where an id or a number belongs', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['apiTokens.read', 'apiTokens.write']);
    const secret = secretOf(created.token);
    const attempts: [string, Record<string, unknown>][] = [
      [`query($id: ID!) { accessToken(id: $id) { id } }`, { id: created.token }],
      [`mutation($id: ID!) { revokeAccessToken(id: $id) { id } }`, { id: created.token }],
      [`query($first: Int) { accessTokens(first: $first) { totalCount } }`, { first: created.token }],
      [`query($after: String) { accessTokens(after: $after) { totalCount } }`, { after: created.token }],
      [`query { accessToken(id: "${created.token}") { id } }`, {}],
      [CREATE_PAT, { input: { name: 'echo', scopes: [created.token] } }],
      [CREATE_PAT, { input: { name: 'echo', scopes: ['metrics.read'], expirationDate: created.token } }],
    ];
    for (const [query, variables] of attempts) {
      const response = await service.request(query, variables, user.authorization);
      expect(response.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(response)).not.toContain(secret);
    }
    expect((await service.token(created.id, user.authorization)).status).toBe('ACTIVE');
  });

  it('is stored only as a 32-byte keyed hash, nowhere in the database', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read'], { name: 'hashed' });
    const secret = secretOf(created.token);
    const [row] = await service.service.dataSource.query('SELECT * FROM access_token WHERE id = $1', [created.id]);
    expect(row).toBeDefined();
    for (const [column, value] of Object.entries(row)) {
      const renderings =
        value instanceof Buffer
          ? [value.toString('utf8'), value.toString('latin1'), value.toString('hex'), value.toString('base64')]
          : [String(value)];
      for (const rendering of renderings) {
        expect({ column, leaks: rendering.includes(secret) || rendering.includes(created.token) }).toEqual({ column, leaks: false });
      }
    }
    const hash: Buffer = row.secret_hash;
    expect(Buffer.isBuffer(hash)).toBe(true);
    expect(hash).toHaveLength(32);
    for (const unkeyed of [created.token, secret, `${created.id}.${secret}`]) {
      expect(hash.equals(createHash('sha256').update(unkeyed).digest())).toBe(false);
    }

    // Nor in any other table, in any form PostgreSQL can print.
    const tables: { table_name: string }[] = await service.service.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((table) => table.table_name)).toContain('access_token');
    const hexSecret = Buffer.from(secret).toString('hex');
    for (const { table_name: table } of tables) {
      const dumped: { row: string }[] = await service.service.dataSource.query(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      for (const { row: text } of dumped) {
        expect({ table, leaks: text.includes(secret) || text.includes(hexSecret) }).toEqual({ table, leaks: false });
      }
    }
  });

  it('never reaches a log line', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['apiTokens.read', 'apiTokens.write', 'metrics.read']);
    const secret = secretOf(created.token);
    await service.ok('{ me { id } }', {}, created.authorization);
    await service.request('{ me { id } }', {}, `Api-Token ${created.token.slice(0, -1)}A`);
    await service.ok(`query($t: String!) { lookupAccessToken(token: $t) { id } }`, { t: created.token }, user.authorization);
    await service.request(`query($first: Int) { accessTokens(first: $first) { totalCount } }`, { first: created.token }, user.authorization);
    const rotated = await service.rotate(created.id, user.authorization);
    await service.ok(REPORT_LEAK, { token: rotated.token });
    const logged = logLines.join('\n');
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(secretOf(rotated.token));
  });
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
    await service.ok(REPORT_LEAK, { token: pat.token });
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

});

