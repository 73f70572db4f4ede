import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type TestDatabase, createTestDatabase } from '../helpers/database';
import { migrations } from '../../src/database/migrations';

/** `npm run migration:revert` and `migration:run` as a developer runs them, against a database of their own. */
const ROOT = join(__dirname, '../..');

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

async function npmRun(script: string): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['run', '--silent', script], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: database.url },
  });
  return stdout;
}

describe('the migration scripts', () => {
  it('say which migration they reverted and ran, and that none is pending after that', async () => {
    const last = migrations[migrations.length - 1].name;

    expect(await npmRun('migration:revert')).toMatch(new RegExp(`Migration ${last} has been reverted successfully`));
    expect(await npmRun('migration:run')).toMatch(new RegExp(`Migration ${last} has been executed successfully`));
    expect(await npmRun('migration:run')).toMatch(/No migrations are pending/);
  }, 180_000);
});
