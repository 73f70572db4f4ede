import type { GraphQLResponse } from '@apollo/server';
import { ErrorCode } from './errors';

/**
 * A field that failed because PostgreSQL is out of reach makes the whole answer a 503 with
 * Retry-After, as a failed context already does: load balancers and clients then retry, rather
 * than take a 200 for a result. The errors themselves are SERVICE_UNAVAILABLE (see format-error.ts).
 */
export function markUnavailable(response: GraphQLResponse): void {
  if (response.body.kind !== 'single') return;
  const errors = response.body.singleResult.errors ?? [];
  if (errors.some((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) {
    response.http.status = 503;
    response.http.headers.set('retry-after', '1');
  }
}
