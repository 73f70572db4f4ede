import type { Logger } from 'typeorm';

/**
 * The logger of the migration CLI (`npm run migration:run`, `migration:revert`): prints what
 * TypeORM reports doing (which migrations it found, ran or reverted, or that none was pending),
 * never a statement or its parameters.
 */
export class MigrationReport implements Logger {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  logQuery(): void {}

  logQueryError(error: string | Error): void {
    this.write(`A statement failed: ${typeof error === 'string' ? error : error.message}`);
  }

  logQuerySlow(): void {}

  logSchemaBuild(message: string): void {
    this.write(message);
  }

  logMigration(message: string): void {
    this.write(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level !== 'log') this.write(String(message));
  }
}
