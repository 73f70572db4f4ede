import type { TokenRefusal } from '../tokens/token-events';

/**
 * Why credentials were refused: a token's refusal, or `bad_jwt` for a sign-in token that does
 * not verify. `malformed` also covers an Authorization header of no known scheme. Only counted,
 * never sent: the answer is the same 401 whatever the reason.
 */
export type AuthenticationFailure = TokenRefusal | 'bad_jwt';

export const AUTHENTICATION_FAILURES: readonly AuthenticationFailure[] = [
  'malformed',
  'unknown',
  'revoked',
  'expired',
  'disabled',
  'suspended',
  'bad_jwt',
];
