import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../database/unavailable';
import { ErrorCode, SERVICE_UNAVAILABLE_MESSAGE, ServiceError } from './errors';

/** Codes whose messages are the service's or Apollo's own words about the request, safe to send. */
const CLIENT_CODES = new Set<unknown>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * A token, also with its dots turned into what a GraphQL name allows, or any long run of the
 * secret's alphabet (a secret with a stray character is still the secret). A token's id alone
 * (`dt0c01.<24>`) is safe to show and stays.
 */
const TOKEN_LIKE = /dt0c01[._-]?[A-Za-z0-9]{24}[._-]?[A-Za-z0-9]{64}|(?<![A-Za-z0-9])[A-Z2-7]{56,}(?![A-Za-z0-9])/g;

/** Variable errors can echo the value sent; a token in there is cut out before the answer leaves. */
function redactSecrets(message: string): string {
  return message.replace(TOKEN_LIKE, '[REDACTED]');
}

/** The same for every string in an error's extensions (an unknown scope's value, which a pasted token could be). */
function redactSecretsIn(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (Array.isArray(value)) return value.map(redactSecretsIn);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactSecretsIn(inner)]));
  return value;
}

/**
 * Sends the client what it can act on and nothing else: the service's own errors and Apollo's
 * request errors pass; anything unexpected (a bug, an SQL error) becomes a generic
 * INTERNAL_SERVER_ERROR, reported to `log` instead (or SERVICE_UNAVAILABLE when PostgreSQL is out
 * of reach, which a retry may mend). No stack trace ever leaves.
 */
export function createErrorFormatter(log: (error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    if (original instanceof ServiceError || CLIENT_CODES.has(extensions.code)) {
      return { ...formatted, message: redactSecrets(formatted.message), extensions: redactSecretsIn(extensions) as typeof extensions };
    }
    log(original);
    if (isDatabaseUnavailable(original)) {
      const { locations, path } = formatted;
      return { message: SERVICE_UNAVAILABLE_MESSAGE, locations, path, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } };
    }
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
