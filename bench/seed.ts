import { Client } from 'pg';

const BATCH = 100_000;
const SEED_GROUPS = 10;

/**
 * Fills the service's tables directly in SQL (generate_series), far faster than the API: users
 * `seed-user-N`, tokens whose ids match the format check (`dt0c01.` + 24 upper-case hex digits of
 * an md5) with a 32-byte sha256 as secret_hash, two scopes each, one second apart, older than the
 * tokens made through the API. Nobody knows their secrets; they are there to be listed and skipped.
 */
export class Seeder {
  private constructor(
    private readonly client: Client,
    private readonly newest: Date,
  ) {}

  static async connect(databaseUrl: string): Promise<Seeder> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'tessera-bench-seed' });
    await client.connect();
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET statement_timeout = '15min'`);
    const [{ now }] = (await client.query<{ now: Date }>('SELECT now() - interval \'1 minute\' AS now')).rows;
    return new Seeder(client, now);
  }

  get connection(): Client {
    return this.client;
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /** seed-user-1 … seed-user-`count`, each in one of ten groups that grant VIEWER (so grant look-ups have rows to search). */
  async users(count: number): Promise<void> {
    await this.client.query(
      `INSERT INTO app_user (subject, email, name)
       SELECT 'seed-user-' || u, 'seed-user-' || u || '@bench.invalid', 'Seed user ' || u FROM generate_series(1, $1::int) u
       ON CONFLICT (subject) DO NOTHING`,
      [count],
    );
    await this.client.query(`INSERT INTO user_group (name) SELECT 'seed group ' || g FROM generate_series(0, $1::int - 1) g ON CONFLICT DO NOTHING`, [
      SEED_GROUPS,
    ]);
    await this.client.query(
      `INSERT INTO permission_grant (group_id, permission) SELECT id, 'VIEWER' FROM user_group WHERE name LIKE 'seed group %' ON CONFLICT DO NOTHING`,
    );
    await this.client.query(
      `INSERT INTO group_member (group_id, user_id)
       SELECT g.id, u.id FROM app_user u JOIN user_group g ON g.name = 'seed group ' || (substring(u.subject FROM 11)::int % $1::int)
        WHERE u.subject LIKE 'seed-user-%'
       ON CONFLICT DO NOTHING`,
      [SEED_GROUPS],
    );
  }

  /** Tokens number `from` … `to` (1-based), token i owned by seed-user-((i - 1) % users + 1); in batches, with progress. */
  async tokens(from: number, to: number, users: number, progress: (done: number) => void = () => undefined): Promise<void> {
    for (let start = from; start <= to; start += BATCH) {
      const end = Math.min(to, start + BATCH - 1);
      await this.inTransaction(async () => {
        await this.client.query(
          `INSERT INTO access_token (id, name, secret_hash, enabled, personal, owner_id, created_at, expires_at, revoked_at)
           SELECT 'dt0c01.' || upper(substr(md5('seed-' || i), 1, 24)), 'seed token ' || i,
                  sha256(convert_to('seed-' || i, 'UTF8')), i % 50 <> 0, i % 4 <> 0, u.id,
                  $3::timestamptz - make_interval(secs => i),
                  CASE WHEN i % 7 = 0 THEN $3::timestamptz - make_interval(secs => i) + interval '365 days' END,
                  CASE WHEN i % 97 = 0 THEN $3::timestamptz - make_interval(secs => i) + interval '1 second' END
             FROM generate_series($1::int, $2::int) i
             JOIN app_user u ON u.subject = 'seed-user-' || ((i - 1) % $4::int + 1)
           ON CONFLICT (id) DO NOTHING`,
          [start, end, this.newest, users],
        );
        await this.scopes('seed-', start, end);
      });
      progress(end - from + 1);
    }
  }

  /** `count` tokens of one owner (its own list, of the same length at every size). */
  async ownerTokens(ownerId: string, count: number): Promise<void> {
    await this.inTransaction(async () => {
      await this.client.query(
        `INSERT INTO access_token (id, name, secret_hash, personal, owner_id, created_at)
         SELECT 'dt0c01.' || upper(substr(md5('owner-' || i), 1, 24)), 'owner token ' || i,
                sha256(convert_to('owner-' || i, 'UTF8')), true, $2::uuid,
                $3::timestamptz - make_interval(secs => i * 37)
           FROM generate_series(1, $1::int) i
         ON CONFLICT (id) DO NOTHING`,
        [count, ownerId, this.newest],
      );
      await this.scopes('owner-', 1, count);
    });
  }

  /** VACUUM ANALYZE, so plans see the real sizes and index-only scans the visibility map. */
  async analyze(): Promise<void> {
    for (const table of ['app_user', 'group_member', 'permission_grant', 'access_token', 'access_token_scope']) {
      await this.client.query(`VACUUM ANALYZE ${table}`);
    }
  }

  async tokenCount(): Promise<number> {
    const [{ count }] = (await this.client.query<{ count: number }>('SELECT count(*)::int AS count FROM access_token')).rows;
    return count;
  }

  /** The token at `offset` in the list (newest first), of one owner or of all, and its owner. */
  async tokenAt(offset: number, ownerId?: string): Promise<{ id: string; ownerId: string }> {
    const { rows } = await this.client.query<{ id: string; ownerId: string }>(
      `SELECT id, owner_id AS "ownerId" FROM access_token WHERE $2::uuid IS NULL OR owner_id = $2::uuid
        ORDER BY created_at DESC, id DESC OFFSET $1::int LIMIT 1`,
      [offset, ownerId ?? null],
    );
    if (!rows[0]) throw new Error(`no token at offset ${offset}`);
    return rows[0];
  }

  private async scopes(prefix: string, from: number, to: number): Promise<void> {
    await this.client.query(
      `INSERT INTO access_token_scope (token_id, scope_value)
       SELECT 'dt0c01.' || upper(substr(md5($1::text || i), 1, 24)), s.v[1 + pick.k]
         FROM generate_series($2::int, $3::int) i
        CROSS JOIN (SELECT array_agg(value ORDER BY value) AS v, count(*)::int AS n FROM scope) s
        CROSS JOIN LATERAL (VALUES (i % s.n), ((i * 7 + 3) % s.n)) AS pick(k)
       ON CONFLICT DO NOTHING`,
      [prefix, from, to],
    );
  }

  private async inTransaction(work: () => Promise<void>): Promise<void> {
    await this.client.query('BEGIN');
    try {
      await work();
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
