import type { Caller } from '../auth/caller';
import { ErrorCode, ServiceError, badInput, notFound } from '../graphql/errors';

/**
 * Who may do what to which token: the rules the README's authority table states, applied by the
 * token commands to a token read under its row lock, so nothing changes between the check and
 * the write. The field rules (`@auth` in the schema) come first: every command here already
 * needs `apiTokens.write`, and creating a classic token needs ADMIN.
 *
 * - A PAT is its owner's: the owner (signed in, or with one of its own tokens) may do anything to
 *   it. An administrator may read, disable, revoke and delete it, and never rotate it (a rotation
 *   hands out a secret that acts as the owner), rename it or change its scopes.
 * - A classic API token is the environment's: only an administrator (a user holding ADMIN
 *   environment-wide, signed in or with a PAT, or a classic token) manages it, whoever created it.
 * - A token acting on tokens produces nothing beyond what it holds: scopes within its own, zones
 *   within its restriction, an expiry no later than its own. This bounds creating, rotating,
 *   enabling and changing scopes; disabling, revoking, deleting and renaming take nothing away
 *   from anybody, and stay open. Sessions are bounded by the permission checks at every use.
 * - An administrator's disable is lifted by an administrator; an owner's, by the owner.
 * - REVOKED and EXPIRED are final: no update or rotation brings a token back.
 */

/** What the rules read of the token acted on. */
export interface TargetToken {
  id: string;
  ownerId: string;
  personalAccessToken: boolean;
  enabled: boolean;
  disabledByAdministrator: boolean;
  revokedAt: Date | null;
  expirationDate: Date | null;
  scopes: readonly string[];
  /** Empty: not restricted to zones. */
  zoneIds: readonly string[];
}

/** What a token would be able to reach once created, rotated or enabled. */
export interface Reach {
  scopes: readonly string[];
  /** Empty: every zone. */
  zoneIds: readonly string[];
  expirationDate: Date | null;
}

/** How the caller stands to a token: its owner, or an administrator of it (anybody else does not see it). */
export type Standing = 'owner' | 'administrator';

/** The caller acting on one token: who it is, how it stands to the token, and whether it administers tokens at all. */
export interface Acting {
  caller: Caller;
  standing: Standing;
  /** A user holding ADMIN environment-wide (signed in or with a PAT), or a classic token: see Caller.administersTokens. */
  administers: boolean;
}

export interface TokenUpdate {
  name?: string | null;
  scopes?: readonly string[] | null;
  enabled?: boolean | null;
}

/** Which input field an error about each part of a token's reach names. */
interface ReachFields {
  scopes: string;
  zones: string;
  expiry: string;
}

const NEW_TOKEN: ReachFields = { scopes: 'scopes', zones: 'managementZoneIds', expiry: 'expirationDate' };

/** The caller's standing toward `target`; NOT_FOUND when it may not even see it. */
export function standingOf(caller: Caller, target: Pick<TargetToken, 'id' | 'ownerId' | 'personalAccessToken'>, administers: boolean): Standing {
  if (target.personalAccessToken && !caller.isClassicToken && caller.user?.id === target.ownerId) return 'owner';
  if (administers) return 'administrator';
  throw notFound(`Access token ${target.id}`);
}

export function checkUpdate({ caller, standing, administers }: Acting, target: TargetToken, change: TokenUpdate): void {
  requireAlive(target, 'changed');
  if ((change.name != null || change.scopes != null) && target.personalAccessToken && standing !== 'owner') {
    throw refused(
      'Only its owner can rename a personal access token or change its scopes; an administrator may disable, revoke or delete it',
    );
  }
  if (change.enabled === false && caller.token?.id === target.id) {
    throw badInput('A token cannot disable the token it is calling with', 'enabled');
  }
  const scopes = change.scopes ?? target.scopes;
  const enables = change.enabled === true && !target.enabled;
  if (enables && target.disabledByAdministrator && !administers) {
    throw refused('An administrator disabled this token; only an administrator can enable it', { field: 'enabled' });
  }
  if (enables && !target.disabledByAdministrator && target.personalAccessToken && standing !== 'owner') {
    throw refused('Its owner disabled this token; only its owner can enable it', { field: 'enabled' });
  }
  // Enabling hands the whole token back; adding a scope hands that scope out wherever the token reaches.
  // Removing scopes takes something away, and is open to anybody who may change the token.
  const adds = scopes.some((scope) => !target.scopes.includes(scope));
  if (enables || adds) {
    requireWithinReach(caller, { scopes, zoneIds: target.zoneIds, expirationDate: target.expirationDate }, {
      scopes: adds ? 'scopes' : 'enabled',
      zones: 'id',
      expiry: 'id',
    });
  }
}

/**
 * Whether a disable by this caller leaves the token disabled by an administrator: an
 * administrator's is one, even of a token its owner had disabled (only an administrator lifts it
 * then), and an administrator's disable stays one when the owner disables the token again.
 */
export function disablesAsAdministrator(standing: Standing, target: TargetToken): boolean {
  return standing === 'administrator' || (!target.enabled && target.disabledByAdministrator);
}

export function checkRotate({ caller, standing }: Acting, target: TargetToken, newExpirationDate: Date | null | undefined): void {
  requireAlive(target, 'rotated');
  if (target.personalAccessToken && standing !== 'owner') {
    throw refused(
      'Only its owner can rotate a personal access token: a rotation hands out a secret that acts as the owner. ' +
        'Revoke it instead (revokeAccessToken), or disable it (updateAccessToken with enabled: false)',
    );
  }
  requireWithinReach(
    caller,
    { scopes: target.scopes, zoneIds: target.zoneIds, expirationDate: newExpirationDate ?? target.expirationDate },
    { scopes: 'id', zones: 'id', expiry: newExpirationDate ? 'expirationDate' : 'id' },
  );
}

export function checkRevoke({ caller }: Acting, target: Pick<TargetToken, 'id'>): void {
  if (caller.token?.id === target.id) throw badInput('A token cannot revoke the token it is calling with', 'id');
}

export function checkDelete({ caller }: Acting, target: Pick<TargetToken, 'id'>): void {
  if (caller.token?.id === target.id) throw badInput('A token cannot delete the token it is calling with', 'id');
}

/** A token creates only tokens within its own reach. */
export function checkCreate(caller: Caller, reach: Reach): void {
  requireWithinReach(caller, reach, NEW_TOKEN);
}

/**
 * FORBIDDEN unless the calling token holds everything `reach` would: every scope, every zone (a
 * token restricted to zones reaches only tokens restricted to some of them), and no later expiry.
 * A signed-in user is not bounded here, only by the permission checks at every use.
 */
function requireWithinReach(caller: Caller, reach: Reach, fields: ReachFields): void {
  const own = caller.token;
  if (!own) return;
  const missing = reach.scopes.filter((scope) => !own.scopes.has(scope));
  if (missing.length > 0) {
    throw new ServiceError(
      ErrorCode.FORBIDDEN,
      `Requires the scope ${missing.join(', ')}: a token cannot hand out scopes it does not hold itself`,
      { requiredScope: missing[0], field: fields.scopes },
    );
  }
  const zones = own.zoneRestriction;
  if (zones && (reach.zoneIds.length === 0 || reach.zoneIds.some((zone) => !zones.has(zone)))) {
    throw refused(
      'This token is restricted to management zones: a token it creates, rotates or enables must be restricted to some of them',
      { field: fields.zones },
    );
  }
  if (own.expirationDate && (reach.expirationDate === null || reach.expirationDate > own.expirationDate)) {
    throw refused(
      `This token expires at ${own.expirationDate.toISOString()}: a token it creates, rotates or enables cannot outlive it. ` +
        'Sign in, or use a token that lives longer',
      { field: fields.expiry },
    );
  }
}

/** REVOKED and EXPIRED are final: BAD_USER_INPUT on `id`, saying which. */
function requireAlive(target: TargetToken, verb: string, now = new Date()): void {
  if (target.revokedAt) throw badInput(`The token is revoked and can no longer be ${verb}`, 'id');
  if (target.expirationDate && target.expirationDate <= now) {
    throw badInput(`The token expired and can no longer be ${verb}; create a new one`, 'id');
  }
}

function refused(message: string, extensions: Record<string, unknown> = {}): ServiceError {
  return new ServiceError(ErrorCode.FORBIDDEN, message, extensions);
}
