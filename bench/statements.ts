/** Reading the SQL statements a request sent, as the bench captured them. */
import type { CapturedStatement } from './protocol';

const WRITE = /^\s*(INSERT|UPDATE|DELETE|MERGE)\b|^\s*WITH\b[\s\S]*\b(INSERT\s+INTO|DELETE\s+FROM|UPDATE\b[\s\S]*\bSET)\b/i;

/**
 * The transactions the statements' writes run in: each BEGIN … COMMIT that writes counts once, and
 * so does each write outside one (PostgreSQL runs it as a transaction of its own).
 */
export function writeTransactions(statements: CapturedStatement[]): number {
  let transactions = 0;
  let open = false;
  let openWrote = false;
  for (const { sql } of statements) {
    if (/^\s*(BEGIN|START\s+TRANSACTION)\b/i.test(sql)) {
      open = true;
      openWrote = false;
    } else if (/^\s*(COMMIT|ROLLBACK)\b/i.test(sql)) {
      if (openWrote) transactions += 1;
      open = false;
    } else if (WRITE.test(sql)) {
      if (open) openWrote = true;
      else transactions += 1;
    }
  }
  return transactions;
}

/** A statement in a few words (`INSERT access_token`), for a report line. */
export function statementHead(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  const table = /\b(?:FROM|INTO|UPDATE)\s+"?([a-z_]+)"?/i.exec(flat)?.[1];
  const verb = /^\w+(?: TRANSACTION)?/i.exec(flat)?.[0] ?? flat.slice(0, 20);
  return table ? `${verb} ${table}` : verb;
}
