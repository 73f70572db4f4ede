import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { signSession } from '../../src/auth/sign-in';
import { type TestDatabase, createTestDatabase } from '../helpers/database';
import { postGraphQL, probePort } from '../helpers/http-probe';
import { ENABLE_PATS } from '../helpers/operations';
import { type ServiceProcess, startServiceProcess } from '../helpers/service-process';
import { eventually } from '../helpers/time';

/**
 * SIGTERM as an orchestrator sends it to the compiled service (`npm test` builds dist/ first):
 * requests in flight finish, new connections are refused, buffered last uses are written, the
 * pool is closed, and the process exits 0.
 */
const JWT_SECRET = randomBytes(32).toString('hex');

let database: TestDatabase;
let sql: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new Client({ connectionString: database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await database?.drop();
});

function start(): Promise<ServiceProcess> {
  return startServiceProcess({
    DATABASE_URL: database.url,
    TOKEN_PEPPER: randomBytes(32).toString('hex'),
    AUTH_JWT_SECRET: JWT_SECRET,
    BOOTSTRAP_ADMIN_SUBJECT: 'admin',
    // Only the shutdown writes last uses, so the test sees what the shutdown wrote.
    LAST_USED_FLUSH_MS: '600000',
    SHUTDOWN_TIMEOUT_MS: '20000',
  });
}

/** Sessions of the service (not this test's) in the test database, optionally only those waiting for a lock. */
async function serviceSessions(waitingForLock = false): Promise<number> {
  const { rows } = await sql.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'tessera%'
        AND ($1::boolean IS FALSE OR wait_event_type = 'Lock')`,
    [waitingForLock],
  );
  return rows[0].n;
}

it('on SIGTERM finishes requests in flight, refuses new connections, writes last uses, closes the pool and exits 0', async () => {
  const service = await start();
  try {
    const admin = `Bearer ${await signSession(JWT_SECRET, { sub: 'admin' })}`;
    const created = await postGraphQL(
      service.url,
      { query: 'mutation { createApiToken(input: { name: "used before shutdown", scopes: ["metrics.read"] }) { token accessToken { id } } }' },
      { authorization: admin },
    );
    const { token, accessToken } = created.json.data.createApiToken;
    const used = await postGraphQL(service.url, { query: '{ authorize(scope: "metrics.read") { allowed } }' }, { authorization: `Api-Token ${token}` });
    expect(used.json.data).toEqual({ authorize: { allowed: true } });
    const { rows: beforeStop } = await sql.query('SELECT last_used_at FROM access_token WHERE id = $1', [accessToken.id]);
    expect(beforeStop[0].last_used_at).toBeNull();

    // Two slow requests: they wait for the feature's row, which this test holds locked.
    await sql.query('BEGIN');
    await sql.query(`SELECT * FROM feature_setting WHERE feature = 'PERSONAL_ACCESS_TOKENS' FOR UPDATE`);
    let locked = true;
    try {
      const slow = [1, 2].map(() =>
        postGraphQL(service.url, { query: ENABLE_PATS }, { authorization: admin }),
      );
      let settled = 0;
      for (const request of slow) void request.finally(() => (settled += 1));
      expect(await eventually(async () => (await serviceSessions(true)) === 2, 10_000)).toBe(true);

      service.child.kill('SIGTERM');
      expect(await eventually(async () => (await probePort(service.port)) === 'ECONNREFUSED', 5000)).toBe(true);
      await expect(fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).rejects.toThrow();
      expect(settled).toBe(0);
      expect(service.child.exitCode).toBeNull();

      await sql.query('COMMIT');
      locked = false;
      const answers = await Promise.all(slow);
      expect(answers.map((answer) => [answer.status, answer.json])).toEqual([
        [200, { data: { enableFeature: { enabled: true } } }],
        [200, { data: { enableFeature: { enabled: true } } }],
      ]);
    } finally {
      if (locked) await sql.query('ROLLBACK');
    }

    const code = await Promise.race([
      service.exited,
      new Promise((resolve) => setTimeout(() => resolve('still running after 20 s'), 20_000).unref()),
    ]);
    expect(code).toBe(0);
    const { rows: afterStop } = await sql.query('SELECT last_used_at, last_used_ip FROM access_token WHERE id = $1', [accessToken.id]);
    expect(afterStop[0].last_used_at).not.toBeNull();
    expect(afterStop[0].last_used_ip).toBe('127.0.0.1');
    expect(await eventually(async () => (await serviceSessions()) === 0, 5000)).toBe(true);
    expect(service.output()).not.toContain(token);
  } finally {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
  }
}, 90_000);
