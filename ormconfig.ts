// The data source for TypeORM's migration CLI (`npm run migration:generate -- src/database/migrations/Name`,
// `migration:run`, `migration:revert`). It targets DATABASE_URL or, when that is unset, the embedded
// PostgreSQL of a running `npm start` (its address is kept in .data/postgres.json while it runs).
import { existsSync, readFileSync } from 'node:fs';
import { createServiceDataSource } from './src/app/data-source';
import { RUNNING_EMBEDDED_FILE } from './src/database/embedded';
import { MigrationReport } from './src/database/migration-report';

function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  if (existsSync(RUNNING_EMBEDDED_FILE)) return JSON.parse(readFileSync(RUNNING_EMBEDDED_FILE, 'utf8')).url;
  throw new Error('Set DATABASE_URL, or start the service (npm start) so its embedded PostgreSQL is running');
}

export default createServiceDataSource({ url: databaseUrl(), applicationName: 'tessera-migrations', logger: new MigrationReport() });
