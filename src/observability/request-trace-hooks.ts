import type { GraphQLResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestTrace } from './request-trace';

/** Codes are labels and log fields: anything not shaped like one is not repeated. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

function codesOf(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  return (errors ?? []).map(({ extensions }) =>
    typeof extensions?.code === 'string' && ERROR_CODE.test(extensions.code) ? extensions.code : 'UNKNOWN',
  );
}

/**
 * Tells the request's trace the codes of the errors as the client received them (after
 * formatError, so a bug counts as INTERNAL_SERVER_ERROR, exactly as it was answered).
 */
export function traceResponse(trace: RequestTrace, response: GraphQLResponse): void {
  const body = response.body;
  trace.errorCodes = codesOf(body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors);
}
