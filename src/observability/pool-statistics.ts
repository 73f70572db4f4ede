import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PoolStatistics } from './metrics';

/** Reads the pg pool behind a TypeORM DataSource; null while the DataSource is closed. */
export function poolStatisticsOf(dataSource: DataSource): () => PoolStatistics | null {
  return () => {
    if (!dataSource.isInitialized) return null;
    // TypeORM keeps the pg Pool as the driver's `master` (typed `any`); without replication it is the only pool.
    const pool = (dataSource.driver as PostgresDriver).master as Pool | undefined;
    if (!pool) return null;
    return { max: pool.options.max ?? 10, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  };
}
