/**
 * Why a presented access token was refused. Clients are only ever told UNAUTHENTICATED;
 * operators see the reason counted in the metrics.
 */
export type TokenRefusal = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'disabled' | 'suspended';

/** What happened to tokens, for whoever counts it (the metrics); the service does not know who listens. */
export interface TokenEvents {
  created(kind: 'personal' | 'api'): void;
  /** revoke: by a caller; leak_report: a valid secret was reported as leaked. */
  revoked(cause: 'revoke' | 'leak_report'): void;
  rotated(): void;
}

export const ignoreTokenEvents: TokenEvents = { created: () => undefined, revoked: () => undefined, rotated: () => undefined };
