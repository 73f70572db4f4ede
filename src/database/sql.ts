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

/**
 * Many rows of many columns, read as one JSON value: each row a JSON array of the columns' values,
 * all rows in one array, parsed by one JSON.parse and made back into objects keyed by `columns`'
 * names. pg's type parsers read every column of every row in JavaScript: a page of 50 tokens with
 * their owners and scopes costs the service a third to a quarter of the CPU it costs as plain rows.
 * PostgreSQL spends more writing JSON than rows (about 150 us of such a page), which is why each row
 * is an array, without key names, and nested values are kept to what needs them (see the README's
 * Benchmark section).
 *
 * `columns` maps each name to its SQL expression; `from` is the rest of the statement (FROM, WHERE,
 * ORDER BY, LIMIT). The rows keep its order: json_agg reads its subquery's rows in the order they
 * come and is never split over parallel workers (it has no combine function). JSON has no dates:
 * timestamps come as ISO 8601 strings, for the caller to make Dates of.
 */
export async function jsonRows<T>(runner: SqlRunner, columns: Readonly<Record<string, string>>, from: string, parameters: unknown[] = []): Promise<T[]> {
  const names = Object.keys(columns);
  const [{ json }] = await rows<{ json: string }>(
    runner,
    `SELECT COALESCE(json_agg(r.tuple), '[]')::text AS json FROM (SELECT json_build_array(${Object.values(columns).join(', ')}) AS tuple ${from}) r`,
    parameters,
  );
  // Each row starts as a copy of one object with every name: V8 keeps that in its fast form, where
  // adding many properties one by one (past 12) would turn each row into a slow dictionary.
  const template = Object.fromEntries(names.map((name) => [name, null]));
  return (JSON.parse(json) as unknown[][]).map((tuple) => {
    const row: Record<string, unknown> = { ...template };
    for (let index = 0; index < names.length; index += 1) row[names[index]] = tuple[index];
    return row as T;
  });
}
