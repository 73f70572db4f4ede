/** Node's socket errors when PostgreSQL cannot be reached or the connection breaks. */
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * SQLSTATEs of a server that is going away, starting up or full: class 08 (connection exception),
 * admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
 */
const UNAVAILABLE_STATES = /^(08...|57P01|57P02|57P03|53300)$/;

/** What node-postgres and its pool say when a connection cannot be had or was lost; they set no code. */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
];

/**
 * Whether an error means PostgreSQL is out of reach (down, restarting, unreachable, or the pool
 * waited its DB_CONNECTION_TIMEOUT_MS in vain), rather than a bug or a bad statement. Such a
 * request may succeed when retried, so it is answered SERVICE_UNAVAILABLE with a 503.
 * Looks through TypeORM's `driverError`, `cause`, AggregateError's `errors`, and graphql-js's
 * `thrownValue` (a thrown object it did not recognise as an Error, e.g. from another realm).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, message, driverError, cause, errors, thrownValue } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
    thrownValue?: unknown;
  };
  if (typeof code === 'string' && (SOCKET_ERRORS.has(code) || UNAVAILABLE_STATES.test(code))) return true;
  if (typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
  const inner = [driverError, cause, thrownValue, ...(Array.isArray(errors) ? errors : [])];
  return inner.some((nested) => nested !== error && isDatabaseUnavailable(nested, depth + 1));
}
