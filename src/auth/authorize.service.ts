import type { DirectoryService } from '../directory/directory.service';
import { ManagementZone } from '../directory/management-zone.entity';
import { badInput } from '../graphql/errors';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import type { Scope } from '../scopes/scope.entity';
import { AccessDecision, AccessDenialReason } from './access-decision.type';
import type { Caller } from './caller';

/**
 * Answers other APIs: may the caller use `scope`, and on which data?
 *
 * - An access token needs the scope. A classic API token needs nothing else.
 * - A personal access token's owner (or a signed-in user, who has no scopes to check) needs the
 *   scope's requiredPermission: environment-wide, or, for a management-zone-scoped scope, in
 *   zones, and the data is then limited to those zones.
 * - With a managementZoneId the question is about that zone alone.
 */
export class AuthorizeService {
  constructor(
    private readonly catalog: ScopeCatalog,
    private readonly directory: DirectoryService,
  ) {}

  async authorize(caller: Caller, scopeValue: string, managementZoneId?: string | null): Promise<AccessDecision> {
    const scope = this.catalog.get(scopeValue);
    if (!scope) throw badInput(`Unknown scope ${JSON.stringify(scopeValue.slice(0, 100))}`, 'scope');
    const zone = managementZoneId == null ? null : await this.directory.requireZone(managementZoneId);
    const limitedTo = (zones: ManagementZone[] | null) => (scope.managementZoneScoped ? zones : null);

    if (caller.lacksScope(scope.value)) return denied(scope, AccessDenialReason.MISSING_SCOPE);
    if (caller.isClassicToken) return allowed(scope, limitedTo(zone && [zone]));

    const reach = await caller.reach(scope.requiredPermission);
    if (reach.environment) return allowed(scope, limitedTo(zone && [zone]));
    if (!scope.managementZoneScoped || reach.zoneIds.length === 0) {
      return denied(scope, AccessDenialReason.MISSING_PERMISSION);
    }
    if (zone) {
      return reach.zoneIds.includes(zone.id)
        ? allowed(scope, [zone])
        : denied(scope, AccessDenialReason.MANAGEMENT_ZONE_NOT_PERMITTED);
    }
    const zones = await this.directory.zonesByIds(reach.zoneIds);
    return allowed(scope, zones.sort((a, b) => a.name.localeCompare(b.name)));
  }
}

function allowed(scope: Scope, managementZones: ManagementZone[] | null): AccessDecision {
  return Object.assign(new AccessDecision(), { allowed: true, scope, reason: null, managementZones });
}

function denied(scope: Scope, reason: AccessDenialReason): AccessDecision {
  // No zones rather than null: a client that reads only managementZones must never read "everything".
  return Object.assign(new AccessDecision(), { allowed: false, scope, reason, managementZones: [] });
}
