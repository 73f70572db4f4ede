import { GraphQLError } from 'graphql';
import type { Permission } from '../directory/permission.enum';

/** Every `extensions.code` the service sends, beside Apollo's own parse and validation codes. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  FEATURE_DISABLED = 'FEATURE_DISABLED',
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

export function forbidden(missing: { scope?: string; permission?: Permission }): ServiceError {
  const needs = [
    missing.scope && `the scope ${missing.scope}`,
    missing.permission && `the permission ${missing.permission}`,
  ].filter(Boolean);
  const extensions: Record<string, unknown> = {};
  if (missing.scope) extensions.requiredScope = missing.scope;
  if (missing.permission) extensions.requiredPermission = missing.permission;
  return new ServiceError(ErrorCode.FORBIDDEN, `Requires ${needs.join(' and ')}`, extensions);
}

export function badInput(message: string, field?: string): ServiceError {
  return new ServiceError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
}

export function notFound(what: string): ServiceError {
  return new ServiceError(ErrorCode.NOT_FOUND, `${what} not found`);
}

export function featureDisabled(feature: string): ServiceError {
  return new ServiceError(ErrorCode.FEATURE_DISABLED, `The feature ${feature} is disabled; an administrator can enable it`);
}
