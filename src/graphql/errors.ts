import { GraphQLError } from 'graphql';

/** Every `extensions.code` the service sends, beside Apollo's own parse and validation codes. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  FEATURE_DISABLED = 'FEATURE_DISABLED',
  /** HTTP 429 with Retry-After: a rate limit of the caller, its address, or its failed sign-ins. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** HTTP 503 with Retry-After: PostgreSQL is out of reach; the same request may succeed shortly. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export const WWW_AUTHENTICATE = 'Bearer realm="tessera", Api-Token realm="tessera"';

/** An error the client caused and can act on; anything else is reported as INTERNAL_SERVER_ERROR. */
export class ServiceError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'ServiceError';
  }
}

/** Credentials were sent and are not valid: the whole request fails with HTTP 401. */
export function invalidCredentials(): ServiceError {
  return new ServiceError(ErrorCode.UNAUTHENTICATED, 'The credentials are not valid', {
    http: { status: 401, headers: new Map([['www-authenticate', WWW_AUTHENTICATE]]) },
  });
}

export function authenticationRequired(): ServiceError {
  return new ServiceError(ErrorCode.UNAUTHENTICATED, 'Authentication required: send a sign-in token or an access token');
}

export function forbidden(missing: { scope?: string; permission?: string }): ServiceError {
  const needs = [
    missing.scope && `the scope ${missing.scope}`,
    missing.permission && `the permission ${missing.permission}`,
  ].filter(Boolean);
  const extensions: Record<string, unknown> = {};
  if (missing.scope) extensions.requiredScope = missing.scope;
  if (missing.permission) extensions.requiredPermission = missing.permission;
  return new ServiceError(ErrorCode.FORBIDDEN, `Requires ${needs.join(' and ')}`, extensions);
}

export function badInput(message: string, field?: string, extensions: Record<string, unknown> = {}): ServiceError {
  return new ServiceError(ErrorCode.BAD_USER_INPUT, message, field ? { ...extensions, field } : extensions);
}

export function notFound(what: string): ServiceError {
  return new ServiceError(ErrorCode.NOT_FOUND, `${what} not found`);
}

export function featureDisabled(feature: string): ServiceError {
  return new ServiceError(ErrorCode.FEATURE_DISABLED, `The feature ${feature} is disabled; an administrator can enable it`);
}

/** A rate limit is spent; `retryAfterSeconds` says when the budget comes back. */
export function rateLimited(retryAfterSeconds: number): ServiceError {
  return new ServiceError(ErrorCode.RATE_LIMITED, `Too many requests; try again in ${retryAfterSeconds} s`, {
    retryAfter: retryAfterSeconds,
    http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
  });
}

export const SERVICE_UNAVAILABLE_MESSAGE = 'The service is unavailable for a moment; try again shortly';

/** PostgreSQL is out of reach: the request failed as a whole, and may be retried. */
export function serviceUnavailable(): ServiceError {
  return new ServiceError(ErrorCode.SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE_MESSAGE, {
    http: { status: 503, headers: new Map([['retry-after', '1']]) },
  });
}
