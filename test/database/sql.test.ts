import { Client } from 'pg';
import { type SqlRunner, jsonRows } from '../../src/database/sql';
import { type TestDatabase, createTestDatabase } from '../helpers/database';

let database: TestDatabase;
let client: Client;
/** A pg client as the service's SQL helpers read a runner: `query` answers the rows. */
let runner: SqlRunner;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new Client({ connectionString: database.url });
  await client.connect();
  runner = { query: async (sql, parameters) => (await client.query(sql, parameters)).rows };
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe('jsonRows', () => {
  it('keeps the statement order over many rows, with the columns named as asked', async () => {
    const found = await jsonRows<{ n: number; label: string }>(
      runner,
      { n: 'g.n', label: "'row ' || g.n" },
      'FROM generate_series(1, 2000) AS g(n) ORDER BY g.n % 7, g.n DESC LIMIT 1500',
    );
    const expected = Array.from({ length: 2000 }, (_, i) => i + 1)
      .sort((a, b) => a % 7 - b % 7 || b - a)
      .slice(0, 1500);
    expect(found.map((row) => row.n)).toEqual(expected);
    expect(found[0]).toEqual({ n: expected[0], label: `row ${expected[0]}` });
  });

  it('reads what pg would, but dates, which come as ISO 8601 strings of the same instant', async () => {
    const [row] = await jsonRows<Record<string, unknown>>(
      runner,
      {
        text: '$1::text',
        flag: 'true',
        nothing: 'NULL::text',
        list: "ARRAY['b', 'a']",
        nested: "json_build_object('id', 7, 'name', 'x')",
        at: "'2026-12-01 05:38:10.123+00'::timestamptz",
      },
      '',
      ['quote " backslash \\ newline \n emoji 🔑 nul-free'],
    );
    expect(row).toEqual({
      text: 'quote " backslash \\ newline \n emoji 🔑 nul-free',
      flag: true,
      nothing: null,
      list: ['b', 'a'],
      nested: { id: 7, name: 'x' },
      at: expect.any(String),
    });
    expect(new Date(row.at as string).toISOString()).toBe('2026-12-01T05:38:10.123Z');
  });

  it('answers an empty list when nothing matches', async () => {
    expect(await jsonRows(runner, { n: 'g.n' }, 'FROM generate_series(1, 3) AS g(n) WHERE g.n > $1', [10])).toEqual([]);
  });
});
