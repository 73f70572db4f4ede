import type { User } from '../directory/user.entity';
import type { EffectiveGrant } from '../directory/effective-grant';
import { Permission, grants } from '../directory/permission.enum';
import type { CallerIds } from '../observability/request-trace';

/** The access token a request was made with: what it holds bounds what it may produce (see token-authority.ts). */
export interface TokenCredential {
  id: string;
  personalAccessToken: boolean;
  scopes: ReadonlySet<string>;
  /** The management zones a PAT was restricted to at creation; null: not restricted. */
  zoneRestriction: ReadonlySet<string> | null;
  expirationDate: Date | null;
  /**
   * The secret presented is the one a rotation replaced, still within its grace period: it
   * authenticates reads, so a slow rollout keeps working, and no mutation.
   */
  inGracePeriod?: boolean;
}

/** A user's grants: at once when they are cached, else once read. */
export type GrantLoader = (userId: string) => EffectiveGrant[] | Promise<EffectiveGrant[]>;

/** Where a permission is held: everywhere, in some zones, or nowhere (an empty list). */
export type PermissionReach = { environment: true } | { environment: false; zoneIds: string[] };

function reachIn(held: readonly EffectiveGrant[], permission: Permission): PermissionReach {
  const granting = held.filter((grant) => grants(grant.permission, permission));
  if (granting.some((grant) => grant.managementZoneId === null)) return { environment: true };
  return { environment: false, zoneIds: [...new Set(granting.map((grant) => grant.managementZoneId!))] };
}

/**
 * Who is calling: nobody, a signed-in user, or an access token acting for its owner.
 * Grants are loaded at most once per request, when a rule first needs them, so a grant or
 * revocation takes effect with the next request.
 */
export class Caller {
  private grantsOnce?: Promise<EffectiveGrant[]>;
  private grantsLoaded?: EffectiveGrant[];

  private constructor(
    /** The acting user: the session's user or the token's owner. */
    readonly user: User | null,
    readonly token: TokenCredential | null,
    /** The client's address, as the audit log records it. */
    readonly ip: string | null,
    private readonly loadGrants: GrantLoader,
  ) {}

  static anonymous(ip: string | null): Caller {
    return new Caller(null, null, ip, async () => []);
  }

  static session(user: User, ip: string | null, loadGrants: GrantLoader): Caller {
    return new Caller(user, null, ip, loadGrants);
  }

  static token(owner: User, token: TokenCredential, ip: string | null, loadGrants: GrantLoader): Caller {
    return new Caller(owner, token, ip, loadGrants);
  }

  /** Who is calling, by ids only (never a credential), for the request's log line. */
  get ids(): CallerIds {
    if (this.token) {
      return {
        kind: this.token.personalAccessToken ? 'personal_access_token' : 'api_token',
        userId: this.user?.id,
        tokenId: this.token.id,
      };
    }
    return this.user ? { kind: 'session', userId: this.user.id } : { kind: 'anonymous' };
  }

  /** A classic API token: checked on its scopes alone, never on its owner's permissions. */
  get isClassicToken(): boolean {
    return this.token !== null && !this.token.personalAccessToken;
  }

  /** False for a signed-in user, whose access is not limited by scopes. */
  lacksScope(scope: string): boolean {
    return this.token !== null && !this.token.scopes.has(scope);
  }

  grants(): Promise<EffectiveGrant[]> {
    if (!this.user) return Promise.resolve([]);
    if (!this.grantsOnce) {
      const loading = this.loadGrants(this.user.id);
      if (Array.isArray(loading)) this.grantsLoaded = loading;
      this.grantsOnce = Promise.resolve(loading).then((loaded) => (this.grantsLoaded = loaded));
    }
    return this.grantsOnce;
  }

  async reach(permission: Permission): Promise<PermissionReach> {
    return reachIn(await this.grants(), permission);
  }

  /** Whether the acting user holds `permission` environment-wide. */
  async holds(permission: Permission): Promise<boolean> {
    return (await this.reach(permission)).environment;
  }

  /**
   * `holds`, answered at once when the grants are loaded already (undefined until then): a page
   * of 50 tokens checks the same rule on every owner, and needs no promise for each once it knows.
   */
  holdsNow(permission: Permission): boolean | undefined {
    if (!this.grantsLoaded && this.user) void this.grants();
    return this.grantsLoaded && reachIn(this.grantsLoaded, permission).environment;
  }

  /** Sees and manages every token: a classic API token, or a user holding ADMIN environment-wide. */
  async administersTokens(): Promise<boolean> {
    return this.isClassicToken || (this.user !== null && (await this.holds(Permission.ADMIN)));
  }
}
