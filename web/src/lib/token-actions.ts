// Which actions a caller may take on a token, so the pages never offer one the service refuses.
// The rules (issue 10): only a PAT's owner rotates it; classic API tokens are managed by admins;
// an admin's disable is lifted only by an admin; EXPIRED and REVOKED are final.
import type { AccessTokenStatus } from '../../../client/generated/graphql';

export interface TokenFacts {
  status: AccessTokenStatus;
  enabled: boolean;
  personalAccessToken: boolean;
  owner: { id: string };
}

export interface Caller {
  userId: string;
  /** Holds ADMIN environment-wide. */
  admin: boolean;
}

export interface TokenActions {
  rotate: boolean;
  disable: boolean;
  enable: boolean;
  revoke: boolean;
  delete: boolean;
  /** Why `enable` is not offered for a disabled token the caller would otherwise manage. */
  enableRefusal?: string;
}

export function isFinal(status: AccessTokenStatus): boolean {
  return status === 'REVOKED' || status === 'EXPIRED';
}

/**
 * `disabledByAnother`: the token's last disable was made by somebody other than the caller
 * (an administrator, for the owner's own token); only an administrator lifts it.
 */
export function tokenActions(token: TokenFacts, caller: Caller, disabledByAnother = false): TokenActions {
  const owner = token.owner.id === caller.userId;
  const manages = token.personalAccessToken ? owner || caller.admin : caller.admin;
  const live = manages && !isFinal(token.status);
  const enableBlocked = live && !token.enabled && disabledByAnother && !caller.admin;
  return {
    // A rotation hands out a secret: for a PAT only its owner may have one, never an admin.
    rotate: live && (token.personalAccessToken ? owner : caller.admin),
    disable: live && token.enabled,
    enable: live && !token.enabled && !enableBlocked,
    revoke: live,
    delete: manages,
    ...(enableBlocked && { enableRefusal: 'An administrator disabled this token; only an administrator can enable it again.' }),
  };
}
