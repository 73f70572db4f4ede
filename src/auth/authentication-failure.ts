import type { TokenRefusal } from '../tokens/token-events';

/**
 * Why credentials were refused: a token's refusal, `bad_jwt` for a sign-in token that does not
 * verify, `user_deactivated` for a valid sign-in of a deactivated user. `malformed` also covers an
 * Authorization header of no known scheme. Only counted, never sent: the answer is the same 401
 * whatever the reason.
 */
export type AuthenticationFailure = TokenRefusal | 'bad_jwt' | 'user_deactivated';

export const AUTHENTICATION_FAILURES: readonly AuthenticationFailure[] = [
  'malformed',
  'unknown',
  'replaced_secret',
  'revoked',
  'expired',
  'disabled',
  'suspended',
  'bad_jwt',
  'user_deactivated',
];
