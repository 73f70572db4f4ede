import { AccessTokenStatus } from './access-token-status';

/**
 * Why a presented access token was refused. Clients are only ever told UNAUTHENTICATED;
 * operators see the reason counted in the metrics. `replaced_secret`: a secret a rotation
 * replaced, used after its grace period (which revokes the token). `unverified`: a well-formed
 * token this instance has not verified lately, from an address that spent its failure budget,
 * which is then not looked up (see RateLimits.context).
 */
export type TokenRefusal = 'malformed' | 'unknown' | 'unverified' | 'replaced_secret' | 'revoked' | 'expired' | 'disabled' | 'suspended';

/** The refusal each unusable status stands for; a new status fails to compile here until it has one. */
export const REFUSAL_OF_STATUS: Record<Exclude<AccessTokenStatus, AccessTokenStatus.ACTIVE>, TokenRefusal> = {
  [AccessTokenStatus.REVOKED]: 'revoked',
  [AccessTokenStatus.EXPIRED]: 'expired',
  [AccessTokenStatus.DISABLED]: 'disabled',
  [AccessTokenStatus.SUSPENDED]: 'suspended',
};

/** revoke: one token, by a caller; bulk_revoke: by a filter; leak_report: a working secret was reported; reuse_detected: see `replaced_secret`. */
export type TokenRevocationCause = 'revoke' | 'bulk_revoke' | 'leak_report' | 'reuse_detected';

export const TOKEN_REVOCATION_CAUSES: readonly TokenRevocationCause[] = ['revoke', 'bulk_revoke', 'leak_report', 'reuse_detected'];

export type TokenKind = 'personal' | 'api';

export const TOKEN_KINDS: readonly TokenKind[] = ['personal', 'api'];

/** What happened to tokens, once committed, for whoever counts it (the metrics); the service does not know who listens. */
export interface TokenEvents {
  created(kind: TokenKind): void;
  revoked(cause: TokenRevocationCause, count?: number): void;
  rotated(): void;
}
