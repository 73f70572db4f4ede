import type { AccessRule, AccessTarget } from '../graphql/access-rules';
import { ErrorCode, ServiceError, authenticationRequired, forbidden } from '../graphql/errors';
import type { Permission } from '../directory/permission.enum';
import type { Caller } from './caller';

/** A secret a rotation replaced authenticates reads during its grace period, and no mutation. */
function gracePeriodRefusal(): ServiceError {
  return new ServiceError(
    ErrorCode.FORBIDDEN,
    'This secret was replaced by a rotation and works for reads only during its grace period: use the new secret',
  );
}

/**
 * Why `caller` may not use a field with `rule`, or null when it may (at once, or once the grants
 * are read): the check every `@auth` field runs (graphql/access-rules.ts enforces it where the schema says).
 *
 * - Nobody is signed in: UNAUTHENTICATED.
 * - A secret in its grace period: no mutation.
 * - `self`: the user the object stands for reads it without scope or permission (a classic
 *   token's user is only its creator, and the token does not act as that user).
 * - A signed-in user has no scopes to check; a classic API token is checked on its scope alone;
 *   a personal access token on its scope and its owner's current permission.
 */
export function fieldRefusal(rule: AccessRule, caller: Caller, target: AccessTarget): Error | null | Promise<Error | null> {
  if (!caller.user) return authenticationRequired();
  if (target.mutation && caller.token?.inGracePeriod) return gracePeriodRefusal();
  if (rule.self && !caller.isClassicToken && target.selfId != null && target.selfId === caller.user.id) return null;
  const missingScope = rule.scope !== undefined && caller.lacksScope(rule.scope) ? rule.scope : undefined;
  const permission = rule.permission as Permission | undefined;
  const decide = (held: boolean) =>
    missingScope || !held ? forbidden({ scope: missingScope, permission: held ? undefined : permission }) : null;
  if (permission === undefined || caller.isClassicToken) return decide(true);
  // Answered at once when the request has read the grants already: most fields of a page need no promise.
  const held = caller.holdsNow(permission);
  return held === undefined ? caller.holds(permission).then(decide) : decide(held);
}
