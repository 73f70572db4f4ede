import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEMPLATE_ENV = 'TESSERA_TEST_TEMPLATE';

/** The same server as `url`, another database. */
export function serverUrlFor(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, copied from the migrated template that global setup made. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, template } = JSON.parse(process.env[TEMPLATE_ENV]!);
  const name = `tessera_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (error) {
        // Two workers copying the template at the same moment: PostgreSQL refuses one; try again.
        if (attempt >= 10 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    url: serverUrlFor(adminUrl, name),
    drop: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
