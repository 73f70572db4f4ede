import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '../../src/database/data-source';
import { createServiceDataSource } from '../../src/app/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded';
import { TEMPLATE_ENV, serverUrlFor } from './database';

/**
 * Starts one PostgreSQL for the whole run (the embedded one, or DATABASE_URL's server) and
 * builds a migrated template database; every test file then gets a fresh copy of it.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const directory = await mkdtemp(join(tmpdir(), 'tessera-test-pg-'));
    const embedded = await startEmbeddedPostgres({ directory, password: 'test', database: 'postgres' });
    (globalThis as { embeddedPostgres?: unknown }).embeddedPostgres = { embedded, directory };
    adminUrl = embedded.adminUrl;
  }
  const template = `tessera_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const dataSource = createServiceDataSource({ url: serverUrlFor(adminUrl, template) });
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
  process.env[TEMPLATE_ENV] = JSON.stringify({ adminUrl, template });
}
