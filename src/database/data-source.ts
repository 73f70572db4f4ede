import 'reflect-metadata';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { clientWithAnswerTimeout } from './answer-timeout';
import { QueryCounter } from './query-counter';
import { migrations } from './migrations';

export interface DatabaseOptions {
  url: string;
  poolMax?: number;
  connectionTimeoutMs?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
  queryCounter?: QueryCounter;
  /** Instead of counting statements (the query counter): the migration CLI's report. */
  logger?: TypeOrmLogger;
}

/**
 * One DataSource per process, made here and passed down; TypeORM 1.0 has no globals. The entities
 * are the service's (src/app/data-source.ts); the migrations, this folder's.
 */
export function createDataSource(options: DatabaseOptions & { entities: Function[] }): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations,
    migrationsTableName: 'typeorm_migration',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    logging: ['query', 'error'],
    logger: options.logger ?? options.queryCounter ?? new QueryCounter(),
    applicationName: options.applicationName ?? 'tessera',
    extra: {
      max: options.poolMax ?? 10,
      // A missing database must fail requests quickly, not queue them forever.
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      // A connection whose server stopped answering (a partition) would hold a request for minutes.
      Client: clientWithAnswerTimeout((options.statementTimeoutMs ?? 10_000) + 2000),
      idle_in_transaction_session_timeout: (options.statementTimeoutMs ?? 10_000) * 2,
    },
  });
}

const MIGRATION_LOCK = 0x7e55e7a; // any constant shared by every instance of the service

/** Runs pending migrations under an advisory lock, so instances starting together migrate once. */
export async function migrate(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
