import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type RunningService, startService } from '../../src/app/service';
import { signSession } from '../../src/auth/sign-in';
import { ChangeTopic } from '../../src/database/change-notifier';
import { freePort } from '../../src/database/embedded';
import { createLogger } from '../../src/logger';
import { LastUseRecorder } from '../../src/tokens/last-use.recorder';
import { createTestDatabase } from '../helpers/database';
import { codes } from '../helpers/expectations';
import { type ProbeAnswer, postGraphQL, rawRequest } from '../helpers/http-probe';
import { REPORT_LEAK, unique } from '../helpers/operations';
import { PostgresProcess } from '../helpers/postgres-process';
import { TestService, testConfig } from '../helpers/service';
import { PartitionableProxy } from '../helpers/tcp-proxy';
import { eventually, sleep } from '../helpers/time';

/**
 * PostgreSQL going away and coming back. These tests stop and start a PostgreSQL of their own
 * (the shared test server must stay up for the other test files).
 */
const PASSWORD = 'faults';
const secrets = { TOKEN_PEPPER: randomBytes(32).toString('hex'), AUTH_JWT_SECRET: randomBytes(32).toString('hex') };
let directory: string;
let postgres: PostgresProcess | undefined;
let port: number;
let url: string;
const started: RunningService[] = [];

async function startPostgres(): Promise<void> {
  postgres = await PostgresProcess.start({ directory, password: PASSWORD, database: 'tessera', port });
}

async function stopPostgres(): Promise<void> {
  await postgres?.stop();
  postgres = undefined;
}

async function start(env: Record<string, string> = {}): Promise<RunningService> {
  const config = testConfig({
    DATABASE_URL: url,
    DB_CONNECTION_TIMEOUT_MS: '1000',
    DB_STATEMENT_TIMEOUT_MS: '5000',
    LAST_USED_FLUSH_MS: '200',
    // Every request must reach PostgreSQL here; with caching on, a request whose facts are all
    // cached is answered through an outage (the last test of the first group shows that).
    CACHE_TTL_MS: '0',
    ...secrets,
    ...env,
  });
  const service = await startService(config, createLogger({ level: process.env.FAULTS_LOG ?? 'silent' }));
  started.push(service);
  return service;
}

/** Fails the test rather than waiting: "nothing hangs" is part of what is checked. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref())]);
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tessera-faults-pg-'));
  port = await freePort();
  await startPostgres();
  url = postgres!.url;
}, 120_000);

afterAll(async () => {
  for (const service of started) await service.stop().catch(() => undefined);
  await stopPostgres().catch(() => undefined);
  await rm(directory, { recursive: true, force: true });
}, 60_000);

describe('PostgreSQL going away mid-traffic', () => {
  let service: RunningService;
  let admin: string;
  let token: { token: string; id: string };
  let base: string;
  /** What this instance's subscribers were told about tokens, from the start. */
  const heardAboutTokens: (string | null)[] = [];

  const ask = (authorization: string) =>
    postGraphQL(service.url, { query: '{ authorize(scope: "metrics.read") { allowed } }' }, { authorization });

  beforeAll(async () => {
    service = await start();
    base = service.url.replace(/\/graphql$/, '');
    service.changes.subscribe(ChangeTopic.ACCESS_TOKEN, (key) => heardAboutTokens.push(key));
    admin = `Bearer ${await signSession(service.jwtSecret!, { sub: 'admin' })}`;
    const created = await postGraphQL(
      service.url,
      { query: 'mutation { createApiToken(input: { name: "faults", scopes: ["metrics.read"] }) { token accessToken { id } } }' },
      { authorization: admin },
    );
    token = { token: created.json.data.createApiToken.token, id: created.json.data.createApiToken.accessToken.id };
  }, 60_000);

  it('answers 503 SERVICE_UNAVAILABLE at once while it is down, keeps serving what needs no database, and recovers by itself', async () => {
    const authorization = `Api-Token ${token.token}`;
    expect((await ask(authorization)).json.data).toEqual({ authorize: { allowed: true } });

    // Traffic goes on while PostgreSQL stops and starts again.
    let trafficOn = true;
    const answers: ProbeAnswer[] = [];
    const traffic = (async () => {
      for (let i = 0; trafficOn && i < 2000; i += 1) {
        answers.push(await within(ask(authorization), 10_000, 'a request during the outage'));
        await sleep(10);
      }
    })();
    traffic.catch(() => undefined); // awaited below; this only keeps an early failure of the test from leaving it unhandled
    try {
      await stopPostgres();
      const down = await within(ask(authorization), 10_000, 'a token request');
      expect(down.status).toBe(503);
      expect(down.codes).toEqual(['SERVICE_UNAVAILABLE']);
      expect(Number(down.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(down.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres|terminat/i);

      const session = await within(postGraphQL(service.url, { query: '{ me { id } }' }, { authorization: admin }), 10_000, 'a session request');
      expect(session.status).toBe(503);
      expect(session.codes).toEqual(['SERVICE_UNAVAILABLE']);

      // A field that needs the database fails the answer with 503 even when the caller is anonymous.
      const leak = await within(
        postGraphQL(service.url, { query: REPORT_LEAK, variables: { token: token.token } }),
        10_000,
        'a leak report',
      );
      expect(leak.status).toBe(503);
      expect(leak.codes).toEqual(['SERVICE_UNAVAILABLE']);

      const noDatabase = await postGraphQL(service.url, { query: '{ __typename }' });
      expect(noDatabase.json).toEqual({ data: { __typename: 'Query' } });
      expect((await within(fetch(`${base}/readyz`), 10_000, '/readyz')).status).toBe(503);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      await startPostgres();
      expect(await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, 20_000, 200)).toBe(true);
      expect(await eventually(async () => (await ask(authorization)).status === 200, 10_000, 100)).toBe(true);
    } finally {
      trafficOn = false;
      if (!postgres) await startPostgres();
    }
    await traffic;

    expect((await ask(authorization)).json.data).toEqual({ authorize: { allowed: true } });
    const statuses = new Set(answers.map((answer) => answer.status));
    const errorCodes = new Set(answers.flatMap((answer) => answer.codes));
    expect([...statuses].every((status) => status === 200 || status === 503)).toBe(true);
    expect([...errorCodes].every((code) => code === 'SERVICE_UNAVAILABLE')).toBe(true);
    expect(statuses.has(503)).toBe(true);
  }, 90_000);

  it('with caching on, still answers a signed-in user whose facts are cached while PostgreSQL is away', async () => {
    const cached = await start({ CACHE_TTL_MS: '60000' });
    const session = `Bearer ${await signSession(cached.jwtSecret!, { sub: 'admin' })}`;
    const me = () => within(postGraphQL(cached.url, { query: '{ me { subject } }' }, { authorization: session }), 10_000, 'me');
    expect((await me()).json.data).toEqual({ me: { subject: 'admin' } });
    await stopPostgres();
    try {
      const during = await me();
      expect(during.status).toBe(200);
      expect(during.json.data).toEqual({ me: { subject: 'admin' } });
    } finally {
      await startPostgres();
    }
  }, 60_000);

  it('keeps the last uses it could not write while PostgreSQL was away, and writes them once it is back', async () => {
    const recorder = new LastUseRecorder(service.dataSource, 600_000);
    const at = new Date(Date.now() + 60_000);
    recorder.record(token.id, '192.0.2.99', at);
    await stopPostgres();
    try {
      await expect(within(recorder.flush(), 10_000, 'a flush during the outage')).rejects.toBeDefined();
    } finally {
      await startPostgres();
    }
    const flushed = await eventually(() => recorder.flush().then(() => true, () => false), 20_000, 200);
    expect(flushed).toBe(true);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT last_used_at, last_used_ip FROM access_token WHERE id = $1', [token.id]);
      expect(rows[0]).toEqual({ last_used_at: at, last_used_ip: '192.0.2.99' });
    } finally {
      await client.end();
    }
  }, 60_000);

  it('listens for changes again once PostgreSQL is back, and tells subscribers to start afresh', async () => {
    expect(await eventually(async () => service.changes.listening, 15_000, 100)).toBe(true);
    // Notifications sent while the listener was away are lost: subscribers are told null (anything may have changed).
    expect(heardAboutTokens).toContain(null);
    const heard: (string | null)[] = [];
    const unsubscribe = service.changes.subscribe(ChangeTopic.ACCESS_TOKEN, (key) => heard.push(key));
    try {
      const revoked = await postGraphQL(service.url, { query: `mutation { revokeAccessToken(id: "${token.id}") { status } }` }, { authorization: admin });
      expect(revoked.json.data).toEqual({ revokeAccessToken: { status: 'REVOKED' } });
      expect(await eventually(async () => heard.includes(token.id), 1000, 20)).toBe(true);
    } finally {
      unsubscribe();
    }
  });
});

describe('a network partition: PostgreSQL stops answering, and no connection is closed', () => {
  it('answers 503 within the statement timeout and a little more, not when TCP gives up, and recovers by itself', async () => {
    const database = await createTestDatabase();
    const proxy = await PartitionableProxy.start({ host: new URL(database.url).hostname, port: Number(new URL(database.url).port) });
    let service: RunningService | undefined;
    try {
      service = await start({ DATABASE_URL: proxy.urlFor(database.url), DB_STATEMENT_TIMEOUT_MS: '1000' });
      const admin = `Bearer ${await signSession(service.jwtSecret!, { sub: 'admin' })}`;
      const url = service.url;
      const me = () => postGraphQL(url, { query: '{ me { id } }' }, { authorization: admin });
      // Several requests at once, so that pooled connections are in use when the partition starts.
      expect((await Promise.all([me(), me(), me()])).map((answer) => answer.status)).toEqual([200, 200, 200]);

      proxy.partitioned = true;
      const during = await within(Promise.all([me(), me(), me()]), 15_000, 'requests during the partition');
      expect(during.map((answer) => [answer.status, answer.codes])).toEqual(during.map(() => [503, ['SERVICE_UNAVAILABLE']]));
      expect((await within(fetch(url.replace(/\/graphql$/, '/readyz')), 15_000, '/readyz')).status).toBe(503);

      proxy.partitioned = false;
      expect(await eventually(async () => (await me()).status === 200, 15_000, 100)).toBe(true);
      expect((await Promise.all([me(), me(), me(), me()])).map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    } finally {
      await service?.stop();
      await proxy.stop();
      await database.drop();
    }
  }, 90_000);
});

describe('start-up while PostgreSQL is not up', () => {
  it('waits for it with bounded backoff and starts once it answers', async () => {
    await stopPostgres();
    const starting = start({ DB_CONNECT_ATTEMPTS: '30' });
    let settled = false;
    void starting.then(() => (settled = true), () => (settled = true));
    await sleep(1500);
    expect(settled).toBe(false);
    await startPostgres();
    const service = await within(starting, 30_000, 'start-up');
    const answer = await postGraphQL(service.url, { query: '{ me { id } }' }, { authorization: `Bearer ${await signSession(service.jwtSecret!, { sub: 'admin' })}` });
    expect(answer.status).toBe(200);
  }, 60_000);

  it('gives up after DB_CONNECT_ATTEMPTS with a message that says so', async () => {
    const nowhere = `postgres://postgres:${PASSWORD}@127.0.0.1:${await freePort()}/tessera`;
    const failed = start({ DATABASE_URL: nowhere, DB_CONNECT_ATTEMPTS: '2' });
    await expect(within(failed, 30_000, 'giving up')).rejects.toThrow(/PostgreSQL is not reachable after 2 attempts: \S/);
  }, 60_000);
});

describe('a write that fails half-way', () => {
  let service: TestService;
  let database: Client;

  beforeAll(async () => {
    service = await TestService.start();
    database = new Client({ connectionString: service.database.url });
    await database.connect();
    // The second statement of a token's creation (its scopes) fails for one scope; so does a grant's insert for VIEWER.
    await database.query(`
      CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by the test trigger'; END $$;
      CREATE TRIGGER refuse_scope BEFORE INSERT ON access_token_scope
        FOR EACH ROW WHEN (NEW.scope_value = 'slo.write') EXECUTE FUNCTION refuse_for_test();
      CREATE TRIGGER refuse_grant BEFORE INSERT ON permission_grant
        FOR EACH ROW WHEN (NEW.permission = 'VIEWER') EXECUTE FUNCTION refuse_for_test();`);
  });
  afterAll(async () => {
    await database?.end();
    await service?.stop();
  });

  it('creates a token with all its scopes or not at all', async () => {
    const admin = await service.admin();
    const name = unique('half');
    const answer = await service.request(
      'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }',
      { input: { name, scopes: ['metrics.read', 'slo.write'] } },
      admin.authorization,
    );
    expect(codes(answer)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(answer.errors![0].message).toBe('Internal server error');
    const { rows: tokens } = await database.query('SELECT id FROM access_token WHERE name = $1', [name]);
    expect(tokens).toEqual([]);
    const { rows: orphans } = await database.query('SELECT count(*)::int AS n FROM access_token_scope s LEFT JOIN access_token t ON t.id = s.token_id WHERE t.id IS NULL');
    expect(orphans[0].n).toBe(0);
    const { rows: audit } = await database.query(`SELECT count(*)::int AS n FROM audit_event WHERE details::text LIKE $1`, [`%${name}%`]);
    expect(audit[0].n).toBe(0);

    const fine = await service.createApiToken(['metrics.read'], { name });
    const { rows: kept } = await database.query('SELECT scope_value FROM access_token_scope WHERE token_id = $1', [fine.id]);
    expect(kept).toEqual([{ scope_value: 'metrics.read' }]);
  });

  it('changes a token\'s name and scopes together or not at all', async () => {
    const admin = await service.admin();
    const created = await service.createApiToken(['metrics.read'], { name: 'before' });
    const answer = await service.request(
      'mutation($id: ID!, $input: UpdateAccessTokenInput!) { updateAccessToken(id: $id, input: $input) { id } }',
      { id: created.id, input: { name: 'after', scopes: ['entities.read', 'slo.write'] } },
      admin.authorization,
    );
    expect(codes(answer)).toEqual(['INTERNAL_SERVER_ERROR']);
    const token = await service.token(created.id, admin.authorization);
    expect(token.name).toBe('before');
    expect(token.scopes).toEqual([{ value: 'metrics.read' }]);
  });

  it('creates a group with all its grants or not at all', async () => {
    const admin = await service.admin();
    const name = unique('group');
    const answer = await service.request(
      'mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }',
      { input: { name, permissions: [{ permission: 'MANAGE_SETTINGS' }, { permission: 'VIEWER' }] } },
      admin.authorization,
    );
    expect(codes(answer)).toEqual(['INTERNAL_SERVER_ERROR']);
    const { rows } = await database.query('SELECT id FROM user_group WHERE name = $1', [name]);
    expect(rows).toEqual([]);
  });

  it('answers with no SQL in the message', async () => {
    const admin = await service.admin();
    const answer = await rawRequest(service.url, {
      headers: { 'content-type': 'application/json', authorization: admin.authorization },
      body: JSON.stringify({ query: 'mutation { createApiToken(input: { name: "x", scopes: ["slo.write"] }) { token } }' }),
    });
    expect(answer.status).toBe(200);
    expect(answer.text).not.toMatch(/refused by the test trigger|INSERT|access_token_scope|trigger/i);
  });
});
