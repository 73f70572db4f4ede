import type { Client } from 'pg';
import type { CapturedStatement } from './protocol';

export interface ExplainedStatement {
  /** The requests that sent it. */
  usedBy: string[];
  sql: string;
  plan: string[];
  /** The lowest of EXPLAIN_RUNS executions. */
  executionMs: number;
  /** Shared buffers the statement touched (hit + read): its work, free of timing noise. */
  buffers: number;
  /** Each scan in the plan: "Index Scan using x on t", "Seq Scan on t (≈N rows)". */
  scans: string[];
  /** Sequential scans of tables above SMALL_TABLE rows: the statement does not use an index where it should. */
  largeSeqScans: string[];
}

const EXPLAIN_RUNS = 5;

/** Below this many rows PostgreSQL rightly prefers a sequential scan (scopes, feature settings, grants). */
const SMALL_TABLE = 1000;

function isReadOnly(sql: string): boolean {
  return /^\s*(SELECT|WITH)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE)\b/i.test(sql);
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the SELECTs the service sent, with the parameters it sent them
 * with, each inside a transaction that is rolled back. Statements that write are left out.
 */
export async function explainStatements(client: Client, captured: { usedBy: string; statements: CapturedStatement[] }[]): Promise<ExplainedStatement[]> {
  const distinct = new Map<string, { statement: CapturedStatement; usedBy: string[] }>();
  for (const { usedBy, statements } of captured) {
    for (const statement of statements.filter((s) => isReadOnly(s.sql))) {
      const seen = distinct.get(statement.sql);
      if (seen) {
        if (!seen.usedBy.includes(usedBy)) seen.usedBy.push(usedBy);
      } else distinct.set(statement.sql, { statement, usedBy: [usedBy] });
    }
  }
  const sizes = new Map(
    (await client.query<{ name: string; rows: number }>(`SELECT relname AS name, reltuples::bigint::int AS rows FROM pg_class WHERE relkind = 'r'`)).rows.map(
      (row) => [row.name, row.rows],
    ),
  );
  const explained: ExplainedStatement[] = [];
  for (const { statement, usedBy } of distinct.values()) {
    let plan: string[] = [];
    let executionMs = Number.POSITIVE_INFINITY;
    for (let run = 0; run < EXPLAIN_RUNS; run += 1) {
      await client.query('BEGIN');
      try {
        const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.parameters);
        plan = result.rows.map((row) => row['QUERY PLAN']);
      } finally {
        await client.query('ROLLBACK');
      }
      const execution = plan.map((line) => /Execution Time: ([\d.]+) ms/.exec(line)).find(Boolean);
      if (execution) executionMs = Math.min(executionMs, Number(execution[1]));
    }
    const scans: string[] = [];
    const largeSeqScans: string[] = [];
    for (const line of plan) {
      const seq = /Seq Scan on (\w+)/.exec(line);
      if (seq) {
        const rows = sizes.get(seq[1]) ?? 0;
        scans.push(`Seq Scan on ${seq[1]} (≈${rows} rows)`);
        if (rows > SMALL_TABLE) largeSeqScans.push(seq[1]);
      }
      const index = /((?:Index Only Scan|Index Scan)(?: Backward)? using \S+ on \w+)|(Bitmap Index Scan on \S+)/.exec(line);
      if (index) scans.push(index[1] ?? index[2]);
    }
    // The first Buffers line is the top node's, which counts its children's too.
    const top = /Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?/.exec(plan.find((line) => /^\s*Buffers:/.test(line)) ?? '');
    const buffers = top ? Number(top[1] ?? 0) + Number(top[2] ?? 0) : 0;
    explained.push({ usedBy, sql: statement.sql, plan, executionMs, buffers, scans, largeSeqScans });
  }
  return explained;
}
