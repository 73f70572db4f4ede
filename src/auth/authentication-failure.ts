import type { TokenRefusal } from '../tokens/token-events';
import type { SignInRefusal } from './sign-in';

/**
 * Why credentials were refused: a token's refusal, `bad_jwt` for a sign-in token that does not
 * verify, `expired_jwt` for one that verifies but has expired, `user_deactivated` for a valid
 * sign-in of a deactivated user. `malformed` also covers an Authorization header of no known
 * scheme. Counted, and named in a development log line, never sent: the answer is the same 401
 * whatever the reason.
 */
export type AuthenticationFailure = TokenRefusal | SignInRefusal | 'user_deactivated';

export const AUTHENTICATION_FAILURES: readonly AuthenticationFailure[] = [
  'malformed',
  'unknown',
  'unverified',
  'replaced_secret',
  'revoked',
  'expired',
  'disabled',
  'suspended',
  'bad_jwt',
  'expired_jwt',
  'user_deactivated',
];
