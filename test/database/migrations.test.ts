import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { migrate } from '../../src/database/data-source';
import { createServiceDataSource } from '../../src/app/data-source';
import { migrations } from '../../src/database/migrations';
import { TEMPLATE_ENV, type TestDatabase, createTestDatabase, serverUrlFor } from '../helpers/database';

/**
 * Whatever migrations exist, they must build exactly the schema the entities describe, and undo
 * it again: TypeORM's own schema diff (what `migration:generate` would write) must be empty.
 */
const ROOT = join(__dirname, '../..');
const MIGRATIONS_DIR = join(ROOT, 'src/database/migrations');

/** The SQL TypeORM would run to make the database match the entities; empty when they agree. */
async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}

async function appliedMigrations(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query('SELECT name FROM typeorm_migration ORDER BY id');
  return rows.map((row) => row.name);
}

/** Tables, views, sequences, types and functions the migrations made: everything in public but their own table and extensions. */
async function applicationObjects(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S', 'p') AND c.relname NOT LIKE 'typeorm_migration%'
    UNION ALL
    SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0
    UNION ALL
    SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public'
       -- pgcrypto's functions: TypeORM installs the extension when it connects, not a migration.
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`);
  return rows.map((row) => row.name).sort();
}

/**
 * A database of its own for the suite: a copy of the template global setup migrated with `migrate`,
 * the path every start takes, opened before its tests and dropped after them.
 */
function ownDatabase(): () => DataSource {
  let database: TestDatabase | undefined;
  let dataSource: DataSource | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createServiceDataSource({ url: database.url });
    await dataSource.initialize();
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });
  return () => dataSource!;
}

describe('migrations', () => {
  const opened = ownDatabase();
  let dataSource: DataSource;
  beforeAll(() => {
    dataSource = opened();
  });

  it('lists every migration file in src/database/migrations/index.ts, in order', async () => {
    const files = readdirSync(MIGRATIONS_DIR).filter((file) => /^\d+-.+\.ts$/.test(file)).sort();
    expect(files.length).toBeGreaterThan(0);
    const exported = files.flatMap((file) => Object.values(require(join(MIGRATIONS_DIR, file)) as Record<string, Function>));
    expect(migrations.map((migration) => migration.name)).toEqual(exported.map((migration) => migration.name));
  });

  it('create exactly the schema the entities describe', async () => {
    expect(await appliedMigrations(dataSource)).toEqual(migrations.map((migration) => migration.name));
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('can all be reverted, leaving nothing behind, and run again to the same schema', async () => {
    for (let left = (await appliedMigrations(dataSource)).length; left > 0; left -= 1) {
      await dataSource.undoLastMigration({ transaction: 'all' });
    }
    expect(await appliedMigrations(dataSource)).toEqual([]);
    expect(await applicationObjects(dataSource)).toEqual([]);

    await migrate(dataSource);
    expect(await appliedMigrations(dataSource)).toEqual(migrations.map((migration) => migration.name));
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM scope');
    expect(count).toBe(41);
  });

  it('revert one at a time: after any number of reverts, running again ends in the same schema', async () => {
    const all = migrations.map((migration) => migration.name);
    for (let kept = all.length - 1; kept >= 0; kept -= 1) {
      for (let applied = all.length; applied > kept; applied -= 1) await dataSource.undoLastMigration({ transaction: 'all' });
      expect(await appliedMigrations(dataSource)).toEqual(all.slice(0, kept));
      // A down that left something behind makes its up fail here ("already exists"), or the schema differ.
      await migrate(dataSource);
      expect(await appliedMigrations(dataSource)).toEqual(all);
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    }
  });
});

describe('upgrading to administrator disables (AdministratorDisable)', () => {
  const opened = ownDatabase();
  let dataSource: DataSource;
  beforeAll(() => {
    dataSource = opened();
  });

  it('keeps a disable made before the upgrade an administrator\'s when the audit log says another actor made it', async () => {
    expect((await appliedMigrations(dataSource)).at(-1)).toMatch(/^AdministratorDisable/);
    await dataSource.undoLastMigration({ transaction: 'all' });
    const [owner, admin] = await dataSource.query(
      "INSERT INTO app_user (subject) VALUES ('upgrade-owner'), ('upgrade-admin') RETURNING id",
    );
    const hash = randomBytes(32);
    const token = (suffix: string) => `dt0c01.UPGRADE${suffix.padEnd(17, 'A')}`;
    const tokens = [
      { id: token('BYADMIN'), personal: true, enabled: false, disabledBy: admin.id },
      { id: token('BYOWNER'), personal: true, enabled: false, disabledBy: owner.id },
      { id: token('NOENTRY'), personal: true, enabled: false, disabledBy: null },
      { id: token('CLASSIC'), personal: false, enabled: false, disabledBy: null },
      { id: token('ENABLED'), personal: true, enabled: true, disabledBy: null },
    ];
    for (const { id, personal, enabled, disabledBy } of tokens) {
      await dataSource.query('INSERT INTO access_token (id, name, secret_hash, personal, owner_id, enabled) VALUES ($1, $1, $2, $3, $4, $5)', [
        id,
        hash,
        personal,
        owner.id,
        enabled,
      ]);
      if (disabledBy) {
        await dataSource.query(
          `INSERT INTO audit_event (action, actor_user_id, target_type, target_id, subject_user_id) VALUES ('TOKEN_DISABLED', $1, 'ACCESS_TOKEN', $2, $3)`,
          [disabledBy, id, owner.id],
        );
      }
    }
    await migrate(dataSource);
    const flags: { id: string; flag: boolean }[] = await dataSource.query(
      'SELECT id, disabled_by_administrator AS flag FROM access_token WHERE id = ANY($1) ORDER BY id',
      [tokens.map((candidate) => candidate.id)],
    );
    expect(Object.fromEntries(flags.map(({ id, flag }) => [id, flag]))).toEqual({
      [token('BYADMIN')]: true,
      [token('BYOWNER')]: false,
      [token('NOENTRY')]: false,
      [token('CLASSIC')]: true,
      [token('ENABLED')]: false,
    });
  });
});

describe('npm run migration:run / migration:revert (ormconfig.ts)', () => {
  const { adminUrl } = JSON.parse(process.env[TEMPLATE_ENV]!) as { adminUrl: string };
  const name = `tessera_cli_${randomBytes(6).toString('hex')}`;
  const url = serverUrlFor(adminUrl, name);
  const typeorm = join(ROOT, 'node_modules/.bin/typeorm-ts-node-commonjs');

  async function admin(sql: string): Promise<void> {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  }

  async function cli(command: string): Promise<string> {
    const { stdout } = await promisify(execFile)(typeorm, ['-d', 'ormconfig.ts', command], {
      cwd: ROOT,
      // `tsc` checks the types in `npm test`; here ts-node only needs to load the files.
      env: { ...process.env, DATABASE_URL: url, TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    return stdout;
  }

  async function applied(): Promise<string[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    const result = await client.query('SELECT name FROM typeorm_migration ORDER BY id').finally(() => client.end());
    return result.rows.map((row: { name: string }) => row.name);
  }

  beforeAll(() => admin(`CREATE DATABASE ${name}`));
  afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('migrate an empty DATABASE_URL database, and revert the last migration', async () => {
    await cli('migration:run');
    const all = migrations.map((migration) => migration.name);
    expect(await applied()).toEqual(all);
    await cli('migration:revert');
    expect(await applied()).toEqual(all.slice(0, -1));
  }, 120_000);
});
