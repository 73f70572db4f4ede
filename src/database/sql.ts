/** Anything that runs SQL: a DataSource, an EntityManager or a QueryRunner. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/**
 * The rows of a statement. TypeORM answers UPDATE and DELETE with `[rows, rowCount]` and every
 * other statement with `rows`; this reads both, so `UPDATE … RETURNING` reads like a SELECT.
 */
export async function rows<T>(runner: SqlRunner, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result = await runner.query(sql, parameters);
  return Array.isArray(result[0]) ? result[0] : result;
}

/** The bind parameters of a statement being written: `bind(value)` adds one and answers its placeholder. */
export class SqlParameters {
  readonly values: unknown[];

  constructor(initial: readonly unknown[] = []) {
    this.values = [...initial];
  }

  readonly bind = (value: unknown): string => `$${this.values.push(value)}`;
}
