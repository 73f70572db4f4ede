import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import type { EmbeddedDatabase } from '../../src/database/embedded';
import { TEMPLATE_ENV } from './database';

export default async function globalTeardown(): Promise<void> {
  const { adminUrl, template } = JSON.parse(process.env[TEMPLATE_ENV]!);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`).finally(() => admin.end());
  const started = (globalThis as { embeddedPostgres?: { embedded: EmbeddedDatabase; directory: string } }).embeddedPostgres;
  if (started) {
    await started.embedded.stop();
    await rm(started.directory, { recursive: true, force: true });
  }
}
