import { statementHead, writeTransactions } from '../../bench/statements';

/** How the bench reads the statements of createPersonalAccessToken for its one-transaction target (e). */
const sql = (...statements: string[]) => statements.map((text) => ({ sql: text, parameters: [] }));

describe('counting the transactions a request writes in', () => {
  it('counts writes between START TRANSACTION and COMMIT once, and reads after it not at all', () => {
    const statements = sql(
      'START TRANSACTION',
      'INSERT INTO access_token AS t (id) VALUES ($1) RETURNING t.id',
      'DELETE FROM "access_token_scope" WHERE "token_id" = $1',
      'INSERT INTO audit_event (action) SELECT e.action FROM jsonb_to_recordset($1::jsonb) AS e(action text)',
      'COMMIT',
      'SELECT id FROM app_user WHERE id = ANY($1::uuid[])',
    );
    expect(writeTransactions(statements)).toBe(1);
  });

  it('counts each write outside a transaction as a transaction of its own', () => {
    expect(writeTransactions(sql('INSERT INTO access_token (id) VALUES ($1)', 'INSERT INTO audit_event (action) VALUES ($1)'))).toBe(2);
    expect(writeTransactions(sql('START TRANSACTION', 'INSERT INTO access_token (id) VALUES ($1)', 'COMMIT', 'UPDATE access_token t SET name = $1'))).toBe(2);
  });

  it('counts one statement whose common table expressions write as one transaction', () => {
    const statement = `WITH token AS (INSERT INTO access_token (id) VALUES ($1) RETURNING id),
      scopes AS (INSERT INTO access_token_scope (token_id, scope_value) SELECT token.id, s FROM token, unnest($2::text[]) s)
      SELECT id FROM token`;
    expect(writeTransactions(sql(statement))).toBe(1);
  });

  it('counts no transaction for reads, in a transaction or not', () => {
    expect(writeTransactions(sql('SELECT 1', 'BEGIN', 'SELECT id FROM access_token FOR UPDATE', 'COMMIT', 'WITH x AS (SELECT 1) SELECT * FROM x'))).toBe(0);
  });
});

describe('a statement in a few words', () => {
  it('names the verb and the table', () => {
    expect(statementHead('INSERT INTO "access_token_scope"("token_id", "scope_value") VALUES ($1, $2)')).toBe('INSERT access_token_scope');
    expect(statementHead('SELECT "User"."id" AS "User_id" FROM "app_user" "User" WHERE "User"."subject" = $1')).toBe('SELECT app_user');
    expect(statementHead('  START TRANSACTION')).toBe('START TRANSACTION');
    expect(statementHead('COMMIT')).toBe('COMMIT');
  });
});
