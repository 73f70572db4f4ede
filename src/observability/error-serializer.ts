/** What a database error may show in a log: names from the schema, never a value. */
const DATABASE_FIELDS = ['code', 'severity', 'routine', 'table', 'column', 'constraint'] as const;
const MAX_STATEMENT_LENGTH = 2000;
const MAX_DEPTH = 3;

interface DatabaseError extends Error {
  /** TypeORM's QueryFailedError: the statement and its bind parameters (a token's hash, an address…). */
  query?: unknown;
  parameters?: unknown;
  /** pg's DatabaseError: `detail`, `where` and `hint` may quote the values of a row. */
  driverError?: unknown;
  severity?: unknown;
  routine?: unknown;
}

/** An error of PostgreSQL itself (pg's DatabaseError, alone or inside TypeORM's QueryFailedError). */
function isDatabaseError(error: Error): error is DatabaseError {
  const candidate = error as DatabaseError;
  return candidate.driverError !== undefined || 'parameters' in candidate || (candidate.severity !== undefined && candidate.routine !== undefined);
}

/** PostgreSQL quotes the value it could not take (`invalid input syntax for type bigint: "…"`); identifiers go too. */
function withoutQuotedValues(message: string): string {
  return message.replace(/"(?:[^"]|"")*"/g, '"…"');
}

/** The stack's frames under a message that is safe: the first line of a stack repeats the message. */
function stackUnder(error: Error, message: string): string | undefined {
  if (typeof error.stack !== 'string') return undefined;
  const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line));
  return [`${error.name}: ${message}`, ...frames].join('\n');
}

function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || (typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && 'stack' in value);
}

function serializeDatabaseError(error: DatabaseError): Record<string, unknown> {
  const message = withoutQuotedValues(error.message);
  const serialized: Record<string, unknown> = { type: error.constructor?.name ?? error.name, message, stack: stackUnder(error, message) };
  const source = { ...(typeof error.driverError === 'object' && error.driverError), ...error } as Record<string, unknown>;
  for (const field of DATABASE_FIELDS) {
    if (typeof source[field] === 'string') serialized[field] = source[field];
  }
  // The statement's text: its values are bind parameters ($1, $2…), which are left out.
  if (typeof error.query === 'string') serialized.query = error.query.slice(0, MAX_STATEMENT_LENGTH);
  return serialized;
}

function serialize(error: Error, depth: number): Record<string, unknown> {
  if (isDatabaseError(error)) return serializeDatabaseError(error);
  const serialized: Record<string, unknown> = { type: error.constructor?.name ?? error.name, message: error.message, stack: error.stack };
  const nested = (value: unknown) => (depth < MAX_DEPTH ? serialize(value as Error, depth + 1) : '[error]');
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'message' && key !== 'stack') serialized[key] = isErrorLike(value) ? nested(value) : value;
  }
  const { cause, errors, originalError } = error as { cause?: unknown; errors?: unknown; originalError?: unknown };
  if (isErrorLike(cause)) serialized.cause = nested(cause);
  if (Array.isArray(errors)) serialized.aggregateErrors = errors.map((inner) => (isErrorLike(inner) ? nested(inner) : inner));
  if (isErrorLike(originalError)) {
    serialized.originalError = nested(originalError);
    // A GraphQL error made from a database error repeats its message.
    if (isDatabaseError(originalError) && error.message === originalError.message) {
      serialized.message = withoutQuotedValues(error.message);
      serialized.stack = stackUnder(error, serialized.message as string);
    }
  }
  return serialized;
}

/**
 * pino's `err` serializer, safe for database errors: pino's own writes every property of an error,
 * and TypeORM's QueryFailedError holds the statement's bind parameters (a token's keyed hash, a
 * client's address), and pg's error the `detail` that quotes a row's values. A database error is
 * logged as its SQLSTATE, the names of what it concerns, its message without quoted values, and the
 * statement's text; any other error with its own properties, as pino logs it, and the errors it
 * wraps (`cause`, AggregateError's `errors`, GraphQL's `originalError`) each serialized the same way.
 */
export function serializeError(error: unknown): unknown {
  return isErrorLike(error) ? serialize(error, 0) : error;
}
