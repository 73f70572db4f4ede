import { randomUUID } from 'node:crypto';

/** What an upstream proxy's or client's id may look like to be kept: short, and nothing a log viewer could misread. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The id of one request: the incoming `x-request-id` when it is sane, so a load balancer's id
 * follows the request into our logs; otherwise a new one. Anything else (long, multi-line,
 * control characters) would let a caller forge or break log lines, so it is replaced, not cleaned.
 */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
  return candidate !== undefined && SANE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}
