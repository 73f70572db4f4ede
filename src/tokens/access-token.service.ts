import { type DataSource, type EntityManager, In } from 'typeorm';
import { AuditAction } from '../audit/audit-action.enum';
import type { AuditEntry, AuditService } from '../audit/audit.service';
import type { Caller, TokenCredential } from '../auth/caller';
import { type ChangePublisher, ChangeTopic } from '../database/change-notifier';
import type { ChangeAwareCache } from '../database/change-aware-cache';
import { type SqlRunner, SqlParameters, rows } from '../database/sql';
import { User } from '../directory/user.entity';
import { Feature } from '../features/feature.enum';
import type { FeatureService } from '../features/feature.service';
import { ErrorCode, ServiceError, badInput, featureDisabled, notFound } from '../graphql/errors';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import { CHECK_VIOLATION, isPlainText, isUuid, sqlState, validateName } from '../validation';
import { AccessTokenIp } from './access-token-ip.entity';
import { AccessTokenScope } from './access-token-scope.entity';
import { AccessTokenStatus, statusSql, tokenStatus } from './access-token-status';
import { AccessTokenZone } from './access-token-zone.entity';
import { AccessToken } from './access-token.entity';
import { ADDRESSES_KEPT, type LastUseRecorder } from './last-use.recorder';
import { AccessTokenSortField, type Cursor, DEFAULT_ORDER, orderOf, type PageRequest, decodeCursor, encodeCursor, keyset, sortKeySql } from './access-token.order';
import { REFUSAL_OF_STATUS, type TokenEvents, type TokenRefusal, type TokenRevocationCause, ignoreTokenEvents } from './token-events';
import {
  generateToken,
  hasValidChecksum,
  hashToken,
  isTokenId,
  matchesVerifiedDigest,
  parseToken,
  tokenIdOf,
  tokenMatches,
  verifiedDigest,
} from './token-secret';
import { TokenPolicyService } from './token-policy.service';
import {
  type Acting,
  type TargetToken,
  checkCreate,
  checkDelete,
  checkRevoke,
  checkRotate,
  checkUpdate,
  disablesAsAdministrator,
  standingOf,
} from './token-authority';
import { SortDirection, pageSize } from '../graphql/pagination';

export interface CreateTokenInput {
  name: string;
  scopes: string[];
  expirationDate?: Date | null;
  /** PATs only: restrict the token to these management zones. */
  managementZoneIds?: string[] | null;
}

export interface UpdateTokenInput {
  name?: string | null;
  scopes?: string[] | null;
  enabled?: boolean | null;
}

export interface RotateTokenInput {
  /** How long the previous secret keeps working, at most a day; 0 by default. */
  gracePeriodSeconds?: number | null;
  /** A new expiry; the current one is kept when omitted. */
  expirationDate?: Date | null;
}

export interface TokenFilter {
  ownerId?: string | null;
  personalAccessToken?: boolean | null;
  scopes?: string[] | null;
  status?: AccessTokenStatus[] | null;
  nameContains?: string | null;
  lastUsedBefore?: Date | null;
  lastUsedAfter?: Date | null;
  expiringBefore?: Date | null;
}

/** The only moment a secret leaves the service. */
export interface CreatedToken {
  token: string;
  accessToken: AccessToken;
}

/** One owner's page of PATs, for personalTokenPages. */
export interface OwnerPageRequest {
  ownerId: string;
  first?: number | null;
  after?: string | null;
}

export interface TokenPage {
  edges: { cursor: string; node: AccessToken }[];
  hasNextPage: boolean;
  /** Counted only when asked for. */
  totalCount: () => Promise<number>;
}

/** A token that authenticated a request, with its owner and what it may do. */
export interface AuthenticatedToken {
  token: AccessToken;
  owner: User;
  credential: TokenCredential;
}

export const MAX_GRACE_PERIOD_SECONDS = 86_400;

const TOKEN_COLUMNS = `t.id, t.name, t.secret_hash AS "secretHash", t.previous_secret_hash AS "previousSecretHash",
  t.previous_secret_valid_until AS "previousSecretValidUntil", t.enabled,
  t.disabled_by_administrator AS "disabledByAdministrator", t.personal AS "personalAccessToken",
  t.owner_id AS "ownerId", t.created_at AS "creationDate", t.expires_at AS "expirationDate",
  t.modified_at AS "modifiedDate", t.revoked_at AS "revokedAt", t.expiry_audited AS "expiryAudited",
  t.last_used_at AS "lastUsedDate", t.last_used_ip AS "lastUsedIpAddress"`;

const REVOCATION_CAUSE_OF: Partial<Record<AuditAction, TokenRevocationCause>> = {
  [AuditAction.TOKEN_REVOKED]: 'revoke',
  [AuditAction.TOKEN_REPORTED_LEAKED]: 'leak_report',
  [AuditAction.TOKEN_REUSE_DETECTED]: 'reuse_detected',
};

/**
 * Whom a token's audit entries are about, so that user reads them: a PAT's owner. A classic token
 * is the environment's, and its entries are for administrators only, whoever created it.
 */
function subjectOf(token: Pick<AccessToken, 'ownerId' | 'personalAccessToken'>): string | null {
  return token.personalAccessToken ? token.ownerId : null;
}

/** BAD_USER_INPUT unless `date` lies ahead: a token is never created or rotated already expired. */
function requireFuture(date: Date): void {
  if (date.getTime() <= Date.now()) throw badInput('The expirationDate must be in the future', 'expirationDate');
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** One change to a token, for the audit log. */
type TokenChange = Pick<AuditEntry, 'action' | 'details'>;

/** One row of the authentication query: the token with its owner, scopes, zones and the PAT feature's state. */
type TokenRow = AccessToken & {
  ownerJson: Record<string, unknown>;
  scopes: string[];
  zones: string[];
  patFeatureEnabled: boolean;
};

/** Which secret matched: the current one, the previous one within its grace, or a replaced one past it (reuse). */
type SecretMatch = 'current' | 'previous' | 'previous-after-grace';

/**
 * What authenticating a token needs, made from one row of the authentication query: entities and
 * a credential that its users only read, so a cached one is handed out as it is at every request.
 */
export interface KnownToken {
  token: AccessToken;
  owner: User;
  credential: TokenCredential;
  patFeatureEnabled: boolean;
  /** The digest of a secret already found to match the token's current hash (see verifiedDigest). */
  currentSecret?: Buffer;
}

interface FoundBySecret extends Omit<KnownToken, 'currentSecret'> {
  match: SecretMatch;
}

export class AccessTokenService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: ScopeCatalog,
    private readonly features: FeatureService,
    private readonly policy: TokenPolicyService,
    private readonly audit: AuditService,
    private readonly pepper: string,
    private readonly lastUse: LastUseRecorder,
  ) {}

  /** Tells every instance which token changed, so caches drop it; set at start (app.ts). */
  changes?: ChangePublisher;
  /**
   * What authenticating a token needs (its hashes, status facts, owner, scopes, zones), by token
   * id; emptied by change notifications. The secret is still checked against the hash at every use.
   */
  verifiedTokens?: ChangeAwareCache<KnownToken>;

  /** Told what happened to tokens once it is committed (the metrics count it); set at start (app.ts). */
  events: TokenEvents = ignoreTokenEvents;

  /** A PAT for the caller itself: nobody can create one for somebody else, nor can a classic API token. */
  async createPersonal(caller: Caller, input: CreateTokenInput): Promise<CreatedToken> {
    if (!caller.user || caller.isClassicToken) {
      throw new ServiceError(
        ErrorCode.FORBIDDEN,
        'A personal access token is created by its owner: sign in, or use one of your personal access tokens',
      );
    }
    const zoneIds = await this.validateZones(input.managementZoneIds);
    const scopes = await this.validateNew(input);
    checkCreate(caller, { scopes, zoneIds, expirationDate: input.expirationDate ?? null });
    if (!(await this.features.isEnabled(Feature.PERSONAL_ACCESS_TOKENS))) {
      throw featureDisabled(Feature.PERSONAL_ACCESS_TOKENS);
    }
    return this.create(caller, true, input, scopes, zoneIds);
  }

  /** Classic API tokens cannot be zone-restricted: their input has no managementZoneIds. */
  async createApiToken(caller: Caller, input: Omit<CreateTokenInput, 'managementZoneIds'>): Promise<CreatedToken> {
    const scopes = await this.validateNew(input);
    checkCreate(caller, { scopes, zoneIds: [], expirationDate: input.expirationDate ?? null });
    return this.create(caller, false, input, scopes, []);
  }

  async get(caller: Caller, id: string): Promise<AccessToken> {
    if (!caller.user) throw notFound(`Access token ${id}`);
    const token = await this.tokenRow(this.dataSource, id);
    standingOf(caller, token, await caller.administersTokens());
    return token;
  }

  async list(caller: Caller, filter: TokenFilter = {}, page: PageRequest = {}): Promise<TokenPage> {
    const first = pageSize(page.first);
    const order = orderOf(page.orderBy);
    const cursor = decodeCursor(page.after, order);
    const { where, parameters } = await this.filterSql(caller, filter);
    const pageParameters = new SqlParameters(parameters);
    const { bind } = pageParameters;
    const { orderBy, after } = keyset(order, cursor, bind);
    const found = await rows<AccessToken & { sortKey: string }>(
      this.dataSource,
      `SELECT ${TOKEN_COLUMNS}, (${sortKeySql(order)})::text AS "sortKey" FROM access_token t
        WHERE ${where}${after ? ` AND ${after}` : ''} ORDER BY ${orderBy} LIMIT ${bind(first + 1)}`,
      pageParameters.values,
    );
    // Plain copies, not repository.create(): a page is up to 100 rows of exactly the entity's columns.
    const edges = found.slice(0, first).map(({ sortKey, ...row }) => ({
      cursor: encodeCursor({ ...order, key: sortKey, id: row.id }),
      node: Object.assign(new AccessToken(), row),
    }));
    return {
      edges,
      hasNextPage: found.length > first,
      totalCount: async () => {
        const [{ count }] = await rows<{ count: number }>(
          this.dataSource,
          `SELECT count(*)::int AS count FROM access_token t WHERE ${where}`,
          parameters,
        );
        return count;
      },
    };
  }

  /** The caller's tokens (everyone's for an admin) that expire within `days` and are still usable or could be again. */
  async expiring(caller: Caller, days: number, page: PageRequest): Promise<TokenPage> {
    if (!Number.isInteger(days) || days < 1 || days > 366) throw badInput('withinDays must be between 1 and 366', 'withinDays');
    return this.list(
      caller,
      {
        expiringBefore: new Date(Date.now() + days * 86_400_000),
        status: [AccessTokenStatus.ACTIVE, AccessTokenStatus.DISABLED, AccessTokenStatus.SUSPENDED],
      },
      { ...page, orderBy: { field: AccessTokenSortField.EXPIRATION_DATE, direction: SortDirection.ASC } },
    );
  }

  async update(caller: Caller, id: string, input: UpdateTokenInput): Promise<AccessToken> {
    if (input.name != null) validateName(input.name, 'name');
    const scopes = input.scopes == null ? null : this.catalog.validate(input.scopes, 'scopes');
    const change = { name: input.name, scopes, enabled: input.enabled };
    return this.command(caller, id, async (manager, acting, target) => {
      if (input.name == null && scopes === null && input.enabled == null) return this.tokenRow(manager, target.id);
      checkUpdate(acting, target, change);
      const disabling = input.enabled === false;
      const [row] = await rows<AccessToken>(
        manager,
        `UPDATE access_token t SET name = COALESCE($2, name), enabled = COALESCE($3, enabled),
                disabled_by_administrator = CASE WHEN COALESCE($3, enabled) THEN false ELSE $4 END, modified_at = now()
          WHERE id = $1 RETURNING ${TOKEN_COLUMNS}`,
        [
          target.id,
          input.name ?? null,
          input.enabled ?? null,
          disabling ? disablesAsAdministrator(acting.standing, target) : target.disabledByAdministrator,
        ],
      );
      if (scopes) await this.replaceScopes(manager, target.id, scopes);
      const changes: TokenChange[] = [];
      if ((input.name != null && input.name !== target.name) || scopes) {
        changes.push({
          action: AuditAction.TOKEN_UPDATED,
          details: { ...(input.name != null && { name: input.name }), ...(scopes && { scopes }) },
        });
      }
      if (input.enabled != null && input.enabled !== target.enabled) {
        changes.push({
          action: input.enabled ? AuditAction.TOKEN_ENABLED : AuditAction.TOKEN_DISABLED,
          ...(disabling && { details: { byAdministrator: disablesAsAdministrator(acting.standing, target) } }),
        });
      }
      if (changes.length > 0) await this.changed(manager, caller, target, ...changes);
      return Object.assign(new AccessToken(), row);
    });
  }

  /** A new secret for the same id; the old one keeps working for the grace period, and its use after that revokes the token. */
  async rotate(caller: Caller, id: string, input: RotateTokenInput = {}): Promise<CreatedToken> {
    const grace = input.gracePeriodSeconds ?? 0;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_PERIOD_SECONDS) {
      throw badInput(`gracePeriodSeconds must be between 0 and ${MAX_GRACE_PERIOD_SECONDS}`, 'gracePeriodSeconds');
    }
    if (input.expirationDate) requireFuture(input.expirationDate);
    const policy = await this.policy.get();
    let token = '';
    const rotated = await this.command(caller, id, async (manager, acting, target) => {
      checkRotate(acting, target, input.expirationDate);
      const expirationDate = input.expirationDate ?? target.expirationDate;
      TokenPolicyService.check(policy, expirationDate);
      ({ token } = generateToken(target.id));
      // The row is locked: the secret leaving the grace slot is kept as retired, and presented
      // again it is recognised as reuse, however many rotations run at once.
      await manager.query(
        `INSERT INTO access_token_retired_secret (token_id, secret_hash)
         SELECT id, previous_secret_hash FROM access_token WHERE id = $1 AND previous_secret_hash IS NOT NULL
         ON CONFLICT DO NOTHING`,
        [target.id],
      );
      const [row] = await rows<AccessToken>(
        manager,
        `UPDATE access_token t SET previous_secret_hash = secret_hash,
                previous_secret_valid_until = clock_timestamp() + make_interval(secs => $3),
                secret_hash = $2, expires_at = $4, modified_at = now()
          WHERE id = $1 RETURNING ${TOKEN_COLUMNS}`,
        [target.id, hashToken(this.pepper, token), grace, expirationDate],
      );
      await this.changed(manager, caller, target, {
        action: AuditAction.TOKEN_ROTATED,
        details: { gracePeriodSeconds: grace, ...(input.expirationDate && { expirationDate: input.expirationDate }) },
      });
      return Object.assign(new AccessToken(), row);
    });
    this.events.rotated();
    return { token, accessToken: rotated };
  }

  /** Final. Revoking a revoked token changes nothing. */
  async revoke(caller: Caller, id: string): Promise<AccessToken> {
    let revokedNow = false;
    const token = await this.command(caller, id, async (manager, acting, target) => {
      checkRevoke(acting, target);
      const revoked = await this.revokeLocked(manager, caller, target, AuditAction.TOKEN_REVOKED);
      revokedNow = revoked !== null;
      return revoked ?? (await this.tokenRow(manager, target.id));
    });
    if (revokedNow) this.events.revoked('revoke');
    return token;
  }

  /**
   * Revokes every token matching `filter` that is not revoked yet (never the calling token), with an
   * audit entry for each, in one transaction. A filter is required: an empty one would revoke everything.
   */
  async revokeMatching(caller: Caller, filter: TokenFilter): Promise<number> {
    const { where, parameters, criteria } = await this.filterSql(caller, filter);
    if (criteria === 0) throw badInput('Give at least one filter criterion', 'filter');
    const self = caller.token ? ` AND t.id <> $${parameters.push(caller.token.id)}` : '';
    const count = await this.dataSource.transaction(async (manager) => {
      const revoked = await rows<Pick<AccessToken, 'id' | 'ownerId' | 'personalAccessToken'>>(
        manager,
        `UPDATE access_token SET revoked_at = now(), modified_at = now()
          WHERE revoked_at IS NULL AND id IN (SELECT t.id FROM access_token t WHERE ${where}${self})
          RETURNING id, owner_id AS "ownerId", personal AS "personalAccessToken"`,
        parameters,
      );
      if (revoked.length > 0) await this.changes?.publish(ChangeTopic.ACCESS_TOKEN, null, manager);
      await this.audit.record(
        manager,
        caller,
        ...revoked.map((token) => ({
          action: AuditAction.TOKEN_REVOKED,
          targetType: 'ACCESS_TOKEN' as const,
          targetId: token.id,
          subjectUserId: subjectOf(token),
          details: { bulk: true },
        })),
      );
      return revoked.length;
    });
    if (count > 0) this.events.revoked('bulk_revoke', count);
    return count;
  }

  async delete(caller: Caller, id: string): Promise<string> {
    return this.command(caller, id, async (manager, acting, target) => {
      checkDelete(acting, target);
      await manager.query('DELETE FROM access_token WHERE id = $1', [target.id]);
      await this.changed(manager, caller, target, { action: AuditAction.TOKEN_DELETED, details: { name: target.name } });
      return target.id;
    });
  }

  /** Metadata of the token whose (currently valid) secret is given, whoever owns it; null otherwise. */
  async lookup(secret: string): Promise<AccessToken | null> {
    const found = await this.findBySecret(secret);
    return found && found.match !== 'previous-after-grace' ? found.token : null;
  }

  /** Revokes the token when the secret still works; says nothing either way. */
  async reportLeaked(caller: Caller, secret: string): Promise<void> {
    const found = await this.findBySecret(secret);
    if (found && found.match !== 'previous-after-grace' && !found.token.revokedAt) {
      await this.revokeRecorded(caller, found.token, AuditAction.TOKEN_REPORTED_LEAKED);
    }
  }

  /**
   * The token behind a secret when it may be used now, else null. Records the use. A secret
   * replaced by a rotation and used after its grace period revokes the token (reuse detection).
   */
  async authenticate(
    secret: string,
    caller: Caller,
    onRefused: (reason: TokenRefusal) => void = () => undefined,
  ): Promise<AuthenticatedToken | null> {
    const found = await this.findBySecret(secret, true);
    if (!found) {
      onRefused(parseToken(secret) ? 'unknown' : 'malformed');
      return null;
    }
    if (found.match === 'previous-after-grace') {
      if (!found.token.revokedAt) await this.revokeRecorded(caller, found.token, AuditAction.TOKEN_REUSE_DETECTED);
      onRefused('replaced_secret');
      return null;
    }
    const status = tokenStatus(found.token, found.patFeatureEnabled, found.owner.active);
    if (status === AccessTokenStatus.EXPIRED && !found.token.expiryAudited) await this.recordExpiry(caller, found.token);
    if (status !== AccessTokenStatus.ACTIVE) {
      onRefused(REFUSAL_OF_STATUS[status]);
      return null;
    }
    this.lastUse.record(found.token.id, caller.ip ?? 'unknown');
    // The cached credential is shared by every request of the token; one in its grace period is marked on a copy.
    const credential = found.match === 'previous' ? { ...found.credential, inGracePeriod: true } : found.credential;
    return { token: found.token, owner: found.owner, credential };
  }

  status(token: AccessToken, patFeatureEnabled: boolean, ownerActive: boolean): AccessTokenStatus {
    return tokenStatus(token, patFeatureEnabled, ownerActive);
  }

  /** Last use, from this instance's memory when newer than what is stored. */
  lastUsed(token: AccessToken): { date: Date | null; ip: string | null } {
    const recent = this.lastUse.lastUse(token.id);
    if (recent && (!token.lastUsedDate || recent.at > token.lastUsedDate)) return { date: recent.at, ip: recent.ip };
    return { date: token.lastUsedDate, ip: token.lastUsedIpAddress };
  }

  async scopesOfTokens(ids: readonly string[]): Promise<Map<string, string[]>> {
    const found = await rows<{ tokenId: string; scopeValue: string }>(
      this.dataSource,
      `SELECT token_id AS "tokenId", scope_value AS "scopeValue" FROM access_token_scope
        WHERE token_id = ANY($1::text[]) ORDER BY scope_value`,
      [ids],
    );
    return groupValues(ids, found, (row) => row.tokenId, (row) => row.scopeValue);
  }

  /** The zone restriction of each token; an empty list means not restricted. */
  async zonesOfTokens(ids: readonly string[]): Promise<Map<string, string[]>> {
    const found = await this.dataSource.getRepository(AccessTokenZone).findBy({ tokenId: In([...ids]) });
    return groupValues(ids, found, (row) => row.tokenId, (row) => row.managementZoneId);
  }

  /** The last addresses each token was used from, newest first, with this instance's unsaved uses merged in. */
  async recentAddressesOfTokens(ids: readonly string[]): Promise<Map<string, AccessTokenIp[]>> {
    const found = await rows<AccessTokenIp>(
      this.dataSource,
      `SELECT token_id AS "tokenId", ip AS "ipAddress", last_used_at AS "lastUsedDate" FROM access_token_ip
        WHERE token_id = ANY($1::text[]) ORDER BY last_used_at DESC`,
      [ids],
    );
    const repository = this.dataSource.getRepository(AccessTokenIp);
    const byToken = groupValues(ids, found, (row) => row.tokenId, (row) => repository.create(row));
    for (const [id, addresses] of byToken) {
      for (const use of this.lastUse.unsavedUses(id)) {
        const known = addresses.find((address) => address.ipAddress === use.ip);
        if (known && known.lastUsedDate < use.at) known.lastUsedDate = use.at;
        if (!known) addresses.push(repository.create({ tokenId: id, ipAddress: use.ip, lastUsedDate: use.at }));
      }
      addresses.sort((a, b) => b.lastUsedDate.getTime() - a.lastUsedDate.getTime());
      addresses.splice(ADDRESSES_KEPT);
    }
    return byToken;
  }

  /**
   * A page of PATs of each owner, in one statement whatever the number of owners: what
   * `User.personalAccessTokens` needs below a list of users or tokens. Each page is what `list`
   * answers with `{ ownerId, personalAccessToken: true }` and the same `first` and `after`: the same
   * visibility (a non-administrator sees its own tokens only), order and cursors. A bad `first` or
   * `after` fails its own page; `count` gives a visible page its totalCount.
   */
  async personalTokenPages(
    caller: Caller,
    requests: readonly OwnerPageRequest[],
    count: (ownerId: string) => Promise<number>,
  ): Promise<(TokenPage | Error)[]> {
    const administers = await caller.administersTokens();
    const pages: (TokenPage | Error)[] = [];
    const wanted: { slot: number; ownerId: string; first: number; cursor: Cursor | null }[] = [];
    requests.forEach((request, slot) => {
      try {
        const first = pageSize(request.first);
        const cursor = decodeCursor(request.after, DEFAULT_ORDER);
        if (administers || request.ownerId === caller.user?.id) wanted.push({ slot, ownerId: request.ownerId, first, cursor });
        else pages[slot] = { edges: [], hasNextPage: false, totalCount: async () => 0 };
      } catch (error) {
        pages[slot] = error as Error;
      }
    });
    if (wanted.length === 0) return pages;
    // A LATERAL page per owner walks the (owner_id, created_at, id) index and stops at the page's end.
    const found = await rows<AccessToken & { slot: number; sortKey: string }>(
      this.dataSource,
      `SELECT k.slot::int AS slot, ${TOKEN_COLUMNS}, (${sortKeySql(DEFAULT_ORDER)})::text AS "sortKey"
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) WITH ORDINALITY AS k(owner_id, page_limit, after_key, after_id, slot)
        CROSS JOIN LATERAL (
          SELECT * FROM access_token t
           WHERE t.owner_id = k.owner_id AND t.personal
             AND (t.created_at, t.id) < (COALESCE(k.after_key::timestamptz, 'infinity'), COALESCE(k.after_id, ''))
           ORDER BY t.created_at DESC, t.id DESC LIMIT k.page_limit + 1) t
        ORDER BY k.slot, t.created_at DESC, t.id DESC`,
      [
        wanted.map((page) => page.ownerId),
        wanted.map((page) => page.first),
        wanted.map((page) => page.cursor?.key ?? null),
        wanted.map((page) => page.cursor?.id ?? null),
      ],
    );
    // WITH ORDINALITY counts from 1: row.slot is the place in `wanted`, plus one.
    const rowsOf = wanted.map(() => [] as typeof found);
    for (const row of found) rowsOf[row.slot - 1].push(row);
    wanted.forEach((page, index) => {
      const pageRows = rowsOf[index];
      pages[page.slot] = {
        edges: pageRows.slice(0, page.first).map(({ slot: _slot, sortKey, ...row }) => ({
          cursor: encodeCursor({ ...DEFAULT_ORDER, key: sortKey, id: row.id }),
          node: Object.assign(new AccessToken(), row),
        })),
        hasNextPage: pageRows.length > page.first,
        totalCount: () => count(page.ownerId),
      };
    });
    return pages;
  }

  /** How many PATs each owner has, in one statement: the totalCount of personalTokenPages' pages. */
  async personalTokenCounts(ownerIds: readonly string[]): Promise<Map<string, number>> {
    const found = await rows<{ ownerId: string; count: number }>(
      this.dataSource,
      `SELECT owner_id AS "ownerId", count(*)::int AS count FROM access_token
        WHERE personal AND owner_id = ANY($1::uuid[]) GROUP BY owner_id`,
      [ownerIds],
    );
    return new Map(found.map((row) => [row.ownerId, row.count]));
  }

  private async validateNew(input: CreateTokenInput): Promise<string[]> {
    validateName(input.name, 'name');
    const scopes = this.catalog.validate(input.scopes, 'scopes');
    const expirationDate = input.expirationDate ?? null;
    if (expirationDate) requireFuture(expirationDate);
    TokenPolicyService.check(await this.policy.get(), expirationDate);
    return scopes;
  }

  private async validateZones(zoneIds: string[] | null | undefined): Promise<string[]> {
    if (zoneIds == null) return [];
    const wanted = [...new Set(zoneIds)];
    if (wanted.length === 0) throw badInput('Omit managementZoneIds for a token that is not restricted', 'managementZoneIds');
    const valid = wanted.filter(isUuid);
    const known = await rows<{ id: string }>(this.dataSource, 'SELECT id FROM management_zone WHERE id = ANY($1::uuid[])', [valid]);
    const unknown = wanted.filter((id) => !known.some((zone) => zone.id === id));
    if (unknown.length > 0) {
      throw badInput(`Unknown management zones: ${unknown.slice(0, 10).map((id) => JSON.stringify(id.slice(0, 100))).join(', ')}`, 'managementZoneIds');
    }
    return wanted;
  }

  private async create(
    caller: Caller,
    personal: boolean,
    input: CreateTokenInput,
    scopes: string[],
    zoneIds: string[],
  ): Promise<CreatedToken> {
    const ownerId = caller.user!.id;
    const { id, token } = generateToken();
    try {
      const created = await this.dataSource.transaction(async (manager) => {
        const [row] = await rows<AccessToken>(
          manager,
          `INSERT INTO access_token AS t (id, name, secret_hash, personal, owner_id, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TOKEN_COLUMNS}`,
          [id, input.name, hashToken(this.pepper, token), personal, ownerId, input.expirationDate ?? null],
        );
        await this.replaceScopes(manager, id, scopes);
        if (zoneIds.length > 0) {
          await manager.insert(AccessTokenZone, zoneIds.map((managementZoneId) => ({ tokenId: id, managementZoneId })));
        }
        await this.audit.record(manager, caller, {
          action: AuditAction.TOKEN_CREATED,
          targetType: 'ACCESS_TOKEN',
          targetId: id,
          subjectUserId: subjectOf({ ownerId, personalAccessToken: personal }),
          details: {
            name: input.name,
            personalAccessToken: personal,
            scopes,
            expirationDate: input.expirationDate ?? null,
            ...(zoneIds.length > 0 && { managementZoneIds: zoneIds }),
          },
        });
        return row;
      });
      this.events.created(personal ? 'personal' : 'api');
      return { token, accessToken: this.dataSource.getRepository(AccessToken).create(created) };
    } catch (error) {
      // The date passed the check above but not PostgreSQL's, whose clock had moved on.
      if (sqlState(error) === CHECK_VIOLATION) throw badInput('The expirationDate must be in the future', 'expirationDate');
      throw error;
    }
  }

  private async replaceScopes(manager: EntityManager, tokenId: string, scopes: readonly string[]): Promise<void> {
    await manager.delete(AccessTokenScope, { tokenId });
    await manager.insert(
      AccessTokenScope,
      scopes.map((scopeValue) => ({ tokenId, scopeValue })),
    );
  }

  /** Revokes a token found by its secret (a leak report, a reuse) and records why, in one transaction. */
  private async revokeRecorded(caller: Caller, token: AccessToken, action: AuditAction): Promise<void> {
    const revoked = await this.dataSource.transaction((manager) => this.revokeLocked(manager, caller, token, action));
    if (revoked) this.events.revoked(REVOCATION_CAUSE_OF[action] ?? 'revoke');
  }

  /** In a transaction: revokes the token and records why; null when it was revoked already. */
  private async revokeLocked(
    manager: SqlRunner,
    caller: Caller,
    token: Pick<AccessToken, 'id' | 'ownerId' | 'personalAccessToken'>,
    action: AuditAction,
  ): Promise<AccessToken | null> {
    const [revoked] = await rows<AccessToken>(
      manager,
      `UPDATE access_token t SET revoked_at = now(), modified_at = now() WHERE id = $1 AND revoked_at IS NULL
       RETURNING ${TOKEN_COLUMNS}`,
      [token.id],
    );
    if (!revoked) return null;
    await this.changed(manager, caller, token, { action });
    return Object.assign(new AccessToken(), revoked);
  }

  private async recordExpiry(caller: Caller, token: AccessToken): Promise<void> {
    await this.dataSource.transaction(async (manager: SqlRunner) => {
      const [first] = await rows<{ id: string }>(
        manager,
        'UPDATE access_token SET expiry_audited = true WHERE id = $1 AND NOT expiry_audited RETURNING id',
        [token.id],
      );
      if (first) {
        await this.changed(manager, caller, token, {
          action: AuditAction.TOKEN_EXPIRED,
          details: { expirationDate: token.expirationDate },
        });
      }
    });
  }

  /**
   * In the transaction of a change to a token: tells every instance (their caches drop the token)
   * and records the change in the audit log, so both happen exactly when the change commits.
   */
  private async changed(
    transaction: SqlRunner,
    caller: Caller,
    token: Pick<AccessToken, 'id' | 'ownerId' | 'personalAccessToken'>,
    ...changes: TokenChange[]
  ): Promise<void> {
    await this.changes?.publish(ChangeTopic.ACCESS_TOKEN, token.id, transaction);
    await this.audit.record(
      transaction,
      caller,
      ...changes.map((change) => ({ ...change, targetType: 'ACCESS_TOKEN' as const, targetId: token.id, subjectUserId: subjectOf(token) })),
    );
  }

  /**
   * Runs a command on one token in one transaction: locks the token's row first, so concurrent
   * commands on it (rotations, above all) take turns, then reads what the rules need and gives the
   * command the caller's standing toward it. A token the caller may not see is NOT_FOUND.
   */
  private async command<T>(
    caller: Caller,
    id: string,
    run: (manager: EntityManager, acting: Acting, target: TargetToken & Pick<AccessToken, 'name'>) => Promise<T>,
  ): Promise<T> {
    if (!isTokenId(id) || !caller.user) throw notFound(`Access token ${id}`);
    const administers = await caller.administersTokens();
    return this.dataSource.transaction(async (manager) => {
      const [target] = await rows<TargetToken & Pick<AccessToken, 'name'>>(
        manager,
        `SELECT t.id, t.name, t.owner_id AS "ownerId", t.personal AS "personalAccessToken", t.enabled,
                t.disabled_by_administrator AS "disabledByAdministrator", t.revoked_at AS "revokedAt",
                t.expires_at AS "expirationDate",
                array(SELECT s.scope_value FROM access_token_scope s WHERE s.token_id = t.id ORDER BY s.scope_value) AS scopes,
                array(SELECT z.management_zone_id::text FROM access_token_zone z WHERE z.token_id = t.id) AS "zoneIds"
           FROM access_token t WHERE t.id = $1 FOR UPDATE`,
        [id],
      );
      if (!target) throw notFound(`Access token ${id}`);
      const standing = standingOf(caller, target, administers);
      return run(manager, { caller, standing, administers }, target);
    });
  }

  /** The token as it is now; NOT_FOUND when there is none. */
  private async tokenRow(runner: SqlRunner, id: string): Promise<AccessToken> {
    const [row] = isTokenId(id) ? await rows<AccessToken>(runner, `SELECT ${TOKEN_COLUMNS} FROM access_token t WHERE t.id = $1`, [id]) : [];
    if (!row) throw notFound(`Access token ${id}`);
    return Object.assign(new AccessToken(), row);
  }

  /**
   * One round trip: the token, its owner, scopes and zones, and whether PATs are enabled. A
   * malformed token or wrong checksum is refused before any database work; hashes are compared
   * in constant time, the current secret first, then the one a rotation replaced. A cached token's
   * secret, once it matched, is recognised by its digest (verifiedDigest) rather than another HMAC.
   */
  private async findBySecret(secret: string, cached = false): Promise<FoundBySecret | null> {
    const id = tokenIdOf(secret);
    if (id === null) return null;
    let known = cached ? this.verifiedTokens?.get(id) : undefined;
    // The checksum spares PostgreSQL the look-up of a mistyped or made-up token. A cached token needs
    // no look-up: its stored hash is the check, and the checksum is only read when that does not match.
    let checksumChecked = false;
    if (!known) {
      if (!hasValidChecksum(secret)) return null;
      checksumChecked = true;
      known = await this.knownToken(id, cached);
      if (!known) return null;
    }
    const { token } = known;
    let match: SecretMatch;
    if (known.currentSecret && matchesVerifiedDigest(secret, known.currentSecret)) match = 'current';
    else if (tokenMatches(this.pepper, secret, token.secretHash)) {
      match = 'current';
      known.currentSecret = verifiedDigest(secret);
    } else if (!checksumChecked && !hasValidChecksum(secret)) return null;
    else if (token.previousSecretHash && tokenMatches(this.pepper, secret, token.previousSecretHash)) {
      match = token.previousSecretValidUntil && token.previousSecretValidUntil > new Date() ? 'previous' : 'previous-after-grace';
    } else if (await this.isRetiredSecret(id, secret)) match = 'previous-after-grace';
    else return null;
    return { token, owner: known.owner, credential: known.credential, patFeatureEnabled: known.patFeatureEnabled, match };
  }

  /** The token, its owner and what the PAT feature says, in one statement; kept in the verified-token cache when `cache`. */
  private async knownToken(id: string, cache: boolean): Promise<KnownToken | undefined> {
    const generation = this.verifiedTokens?.currentGeneration ?? 0;
    const [row] = await rows<TokenRow>(
      this.dataSource,
      `SELECT ${TOKEN_COLUMNS},
              json_build_object('id', u.id, 'subject', u.subject, 'email', u.email, 'name', u.name,
                                'active', u.active, 'createdAt', u.created_at) AS "ownerJson",
              array(SELECT s.scope_value FROM access_token_scope s WHERE s.token_id = t.id ORDER BY s.scope_value) AS scopes,
              array(SELECT z.management_zone_id::text FROM access_token_zone z WHERE z.token_id = t.id) AS zones,
              (SELECT f.enabled FROM feature_setting f WHERE f.feature = $2) AS "patFeatureEnabled"
         FROM access_token t JOIN app_user u ON u.id = t.owner_id
        WHERE t.id = $1`,
      [id, Feature.PERSONAL_ACCESS_TOKENS],
    );
    if (!row) return undefined;
    const { ownerJson, scopes, zones, patFeatureEnabled, ...token } = row;
    // Plain copies, not repository.create(): the row has exactly the entity's columns.
    const known: KnownToken = {
      token: Object.assign(new AccessToken(), token),
      owner: Object.assign(new User(), ownerJson, { createdAt: new Date(ownerJson.createdAt as string) }),
      credential: {
        id: token.id,
        personalAccessToken: token.personalAccessToken,
        scopes: new Set(scopes),
        zoneRestriction: zones.length > 0 ? new Set(zones) : null,
        expirationDate: token.expirationDate,
      },
      patFeatureEnabled: patFeatureEnabled === true,
    };
    if (cache) this.verifiedTokens?.set(id, known, generation);
    return known;
  }

  /** Only asked when a well-formed secret of an existing token matched neither its current nor its previous secret. */
  private async isRetiredSecret(tokenId: string, token: string): Promise<boolean> {
    const found = await rows(
      this.dataSource,
      'SELECT 1 FROM access_token_retired_secret WHERE token_id = $1 AND secret_hash = $2',
      [tokenId, hashToken(this.pepper, token)],
    );
    return found.length > 0;
  }

  /** The WHERE clause of a filter, and how many of its criteria constrain anything (an empty name search does not). */
  private async filterSql(
    caller: Caller,
    filter: TokenFilter,
  ): Promise<{ where: string; parameters: unknown[]; criteria: number }> {
    const conditions: string[] = [];
    const parameters = new SqlParameters();
    const { bind } = parameters;
    // Classic tokens are the environment's: only their administrators see them, whoever created them.
    const visibility = (await caller.administersTokens()) ? [] : [`t.owner_id = ${bind(caller.user!.id)} AND t.personal`];
    if (filter.ownerId != null) {
      // An id that is no user's matches no token, as any unknown owner would.
      conditions.push(isUuid(filter.ownerId) ? `t.owner_id = ${bind(filter.ownerId)}` : 'false');
    }
    if (filter.personalAccessToken != null) conditions.push(`t.personal = ${bind(filter.personalAccessToken)}`);
    if (filter.scopes != null) {
      // Only catalog values can match; anything else (even a null byte) matches nothing.
      const known = filter.scopes.filter((value) => this.catalog.has(value));
      conditions.push(
        `EXISTS (SELECT 1 FROM access_token_scope s WHERE s.token_id = t.id AND s.scope_value = ANY(${bind(known)}::text[]))`,
      );
    }
    if (filter.status != null) {
      const featureEnabled = await this.features.isEnabled(Feature.PERSONAL_ACCESS_TOKENS);
      conditions.push(`(${statusSql(`${bind(featureEnabled)}::boolean`)}) = ANY(${bind(filter.status)}::text[])`);
    }
    if (filter.nameContains != null && filter.nameContains !== '') {
      if (!isPlainText(filter.nameContains)) throw badInput('nameContains is not valid text', 'nameContains');
      conditions.push(`t.name ILIKE ${bind(`%${escapeLike(filter.nameContains)}%`)}`);
    }
    if (filter.lastUsedBefore != null) {
      conditions.push(`(t.last_used_at IS NULL OR t.last_used_at < ${bind(filter.lastUsedBefore)})`);
    }
    if (filter.lastUsedAfter != null) conditions.push(`t.last_used_at > ${bind(filter.lastUsedAfter)}`);
    if (filter.expiringBefore != null) conditions.push(`t.expires_at < ${bind(filter.expiringBefore)}`);
    const all = [...visibility, ...conditions];
    return { where: all.length > 0 ? all.join(' AND ') : 'true', parameters: parameters.values, criteria: conditions.length };
  }
}

function groupValues<R, V>(
  ids: readonly string[],
  found: readonly R[],
  idOf: (row: R) => string,
  valueOf: (row: R) => V,
): Map<string, V[]> {
  const byId = new Map<string, V[]>(ids.map((id) => [id, []]));
  for (const row of found) byId.get(idOf(row))?.push(valueOf(row));
  return byId;
}
