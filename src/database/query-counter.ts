import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * A TypeORM logger that counts the SQL statements the service sends (the benchmark's
 * statements-per-request figure, and the tests that keep lists at a constant number of
 * queries). It never prints a statement or its parameters.
 */
export class QueryCounter implements TypeOrmLogger {
  count = 0;

  constructor(private readonly onError: (message: string) => void = () => undefined) {}

  logQuery(): void {
    this.count += 1;
  }

  logQueryError(error: string | Error): void {
    this.onError(typeof error === 'string' ? error : error.message);
  }

  logQuerySlow(): void {}

  logSchemaBuild(): void {}

  logMigration(): void {}

  log(): void {}
}
