import type { DirectoryService } from '../directory/directory.service';
import type { ManagementZone } from '../directory/management-zone.entity';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import type { Scope } from '../scopes/scope.entity';
import { AccessDecision, AccessDenialReason } from './access-decision.type';
import { Caller, type GrantLoader } from './caller';
import type { User } from '../directory/user.entity';
import type { AccessToken } from '../tokens/access-token.entity';

/** The zones of these ids that exist; a request's zone DataLoader batches them. */
export type ZoneLookup = (ids: readonly string[]) => Promise<ManagementZone[]>;

/**
 * Answers other APIs: may the caller use `scope`, and on which data?
 *
 * - An access token needs the scope. A classic API token needs nothing else.
 * - A personal access token's owner (or a signed-in user, who has no scopes to check) needs the
 *   scope's requiredPermission: environment-wide, or, for a management-zone-scoped scope, in
 *   zones, and the data is then limited to those zones.
 * - A PAT restricted to some zones at creation reaches at most those: the restriction narrows
 *   the owner's zones, never widens them.
 * - With a managementZoneId the question is about that zone alone.
 */
export class AuthorizeService {
  private readonly catalog: ScopeCatalog;
  private readonly directory: DirectoryService;

  constructor(dependencies: { catalog: ScopeCatalog; directory: DirectoryService }) {
    ({ catalog: this.catalog, directory: this.directory } = dependencies);
  }

  async authorize(caller: Caller, scopeValue: string, managementZoneId?: string | null): Promise<AccessDecision> {
    const scope = this.catalog.get(scopeValue);
    if (!scope) throw this.catalog.unknown([scopeValue], 'scope');
    const zone = managementZoneId == null ? null : await this.directory.requireZone(managementZoneId);
    return this.decide(caller, scope, zone);
  }

  /**
   * What each scope of a token really allows today, given its owner's current permissions: the
   * answers `authorize` would give the token itself. Grants and zones come from `lookups`: below a
   * list of tokens, the request's loaders read them all at once.
   */
  async effectiveAccess(
    { token, owner, scopes, zoneIds }: { token: Pick<AccessToken, 'id' | 'personalAccessToken' | 'expirationDate'>; owner: User; scopes: readonly Scope[]; zoneIds: readonly string[] },
    lookups: { grants: GrantLoader; zones: ZoneLookup },
  ): Promise<AccessDecision[]> {
    const asToken = Caller.token(
      owner,
      {
        id: token.id,
        personalAccessToken: token.personalAccessToken,
        scopes: new Set(scopes.map((scope) => scope.value)),
        zoneRestriction: zoneIds.length > 0 ? new Set(zoneIds) : null,
        expirationDate: token.expirationDate,
      },
      null,
      lookups.grants,
    );
    return Promise.all(scopes.map((scope) => this.decide(asToken, scope, null, lookups.zones)));
  }

  /** Whether the caller's own permissions allow `scope` today, anywhere. */
  async usable(caller: Caller, scope: Scope): Promise<boolean> {
    if (caller.isClassicToken) return true;
    const reach = await caller.reach(scope.requiredPermission);
    return reach.environment || (scope.managementZoneScoped && reach.zoneIds.length > 0);
  }

  private async decide(
    caller: Caller,
    scope: Scope,
    zone: ManagementZone | null,
    zones: ZoneLookup = (ids) => this.directory.zonesByIds(ids),
  ): Promise<AccessDecision> {
    if (caller.lacksScope(scope.value)) return denied(scope, AccessDenialReason.MISSING_SCOPE);
    if (caller.isClassicToken) return allowed(scope, scope.managementZoneScoped && zone ? [zone] : null);

    const reach = await caller.reach(scope.requiredPermission);
    if (!scope.managementZoneScoped) {
      return reach.environment ? allowed(scope, null) : denied(scope, AccessDenialReason.MISSING_PERMISSION);
    }
    if (!reach.environment && reach.zoneIds.length === 0) return denied(scope, AccessDenialReason.MISSING_PERMISSION);

    // null: every zone of the environment.
    let zoneIds: string[] | null = reach.environment ? null : reach.zoneIds;
    const restriction = caller.token?.zoneRestriction;
    if (restriction) zoneIds = zoneIds === null ? [...restriction] : zoneIds.filter((id) => restriction.has(id));
    if (zoneIds !== null && zoneIds.length === 0) return denied(scope, AccessDenialReason.MANAGEMENT_ZONE_NOT_PERMITTED);
    if (zone) {
      return zoneIds === null || zoneIds.includes(zone.id)
        ? allowed(scope, [zone])
        : denied(scope, AccessDenialReason.MANAGEMENT_ZONE_NOT_PERMITTED);
    }
    if (zoneIds === null) return allowed(scope, null);
    const reached = await zones(zoneIds);
    return allowed(scope, reached.sort((a, b) => a.name.localeCompare(b.name)));
  }
}

function allowed(scope: Scope, managementZones: ManagementZone[] | null): AccessDecision {
  return Object.assign(new AccessDecision(), { allowed: true, scope, reason: null, managementZones });
}

function denied(scope: Scope, reason: AccessDenialReason): AccessDecision {
  // No zones rather than null: a client that reads only managementZones must never read "everything".
  return Object.assign(new AccessDecision(), { allowed: false, scope, reason, managementZones: [] });
}
