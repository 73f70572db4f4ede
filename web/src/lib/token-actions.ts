// Which actions a caller may take on a token, so the pages never offer one the service refuses.
// The rules are the README's authority table (src/tokens/token-authority.ts applies them): only a
// PAT's owner rotates it (or renames it, or changes its scopes); classic API tokens are managed by
// administrators; an administrator's disable is lifted by an administrator, an owner's by the owner;
// EXPIRED and REVOKED are final.
import type { AccessTokenStatus } from '../../../client/generated/graphql';

export interface TokenFacts {
  status: AccessTokenStatus;
  enabled: boolean;
  /** The token is disabled, and an administrator (not its owner) did it. */
  disabledByAdministrator: boolean;
  personalAccessToken: boolean;
  owner: { id: string };
}

export interface Caller {
  userId: string;
  /** Holds ADMIN environment-wide: the service's "administrator" of every token. */
  admin: boolean;
}

export interface TokenActions {
  rotate: boolean;
  disable: boolean;
  enable: boolean;
  revoke: boolean;
  delete: boolean;
  /** Why `enable` is not offered on a disabled token the caller otherwise manages. */
  enableRefusal?: string;
}

export function isFinal(status: AccessTokenStatus): boolean {
  return status === 'REVOKED' || status === 'EXPIRED';
}

/**
 * The status as of `now`: a token that passed its expiration date while the page was open is
 * EXPIRED, as the service will say at the next request, so the page stops offering what it refuses.
 */
export function statusAt(token: { status: AccessTokenStatus; expirationDate?: string | null }, now: Date): AccessTokenStatus {
  if (token.status === 'REVOKED' || !token.expirationDate) return token.status;
  return new Date(token.expirationDate) <= now ? 'EXPIRED' : token.status;
}

export function tokenActions(token: TokenFacts, caller: Caller): TokenActions {
  // A classic token is the environment's: whoever created it is not its owner.
  const owner = token.personalAccessToken && token.owner.id === caller.userId;
  const manages = owner || caller.admin;
  const live = manages && !isFinal(token.status);
  // A rotation hands out a secret acting as the owner, and reshaping a PAT is its owner's choice alone.
  const reshapes = live && (token.personalAccessToken ? owner : caller.admin);
  const liftsDisable = token.disabledByAdministrator ? caller.admin : reshapes;
  const disabled = live && !token.enabled;
  return {
    rotate: reshapes,
    disable: live && token.enabled,
    enable: disabled && liftsDisable,
    // An expired token is already final: revoking it would change nothing anybody can use.
    revoke: live,
    delete: manages,
    ...(disabled &&
      !liftsDisable && {
        enableRefusal: token.disabledByAdministrator
          ? 'An administrator disabled this token; only an administrator can enable it again.'
          : 'Its owner disabled this token; only its owner can enable it again.',
      }),
  };
}

/** Who disabled a token that is disabled and not final, in the caller's words; undefined otherwise. */
export function disabledBy(token: TokenFacts, caller: Caller): string | undefined {
  if (token.enabled || isFinal(token.status)) return undefined;
  if (token.disabledByAdministrator) return 'Disabled by an administrator';
  // Only administrators disable classic tokens; one disabled before the service recorded who did carries no mark.
  if (!token.personalAccessToken) return undefined;
  return token.owner.id === caller.userId ? 'Disabled by you' : 'Disabled by its owner';
}
