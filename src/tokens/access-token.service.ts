import type { DataSource } from 'typeorm';
import { AuditAction } from '../audit/audit-action.enum';
import type { AuditEntry, AuditService } from '../audit/audit.service';
import type { Caller } from '../auth/caller';
import { type ChangePublisher, ChangeTopic } from '../database/change-notifier';
import { type SqlRunner, rows } from '../database/sql';
import { Feature } from '../features/feature.enum';
import type { FeatureService } from '../features/feature.service';
import { SortDirection } from '../graphql/pagination';
import { ErrorCode, ServiceError, badInput, featureDisabled, notFound } from '../graphql/errors';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import { CHECK_VIOLATION, sqlState, validateName } from '../validation';
import { AccessTokenStatus, tokenStatus } from './access-token-status';
import type { AccessToken } from './access-token.entity';
import { AccessTokenSortField, type PageRequest } from './access-token.order';
import {
  type AccessTokenRepository,
  type LockedToken,
  type OwnerPageRequest,
  TOKEN_COLUMNS,
  type TokenFilter,
  type TokenPage,
  type Visibility,
  tokenOf,
} from './access-token.repository';
import {
  type Acting,
  checkCreate,
  checkDelete,
  checkRevoke,
  checkRotate,
  checkUpdate,
  disablesAsAdministrator,
  standingOf,
} from './token-authority';
import type { TokenEvents, TokenRevocationCause } from './token-events';
import { TokenPolicyService, expiryNotAhead } from './token-policy.service';
import { generateToken, hashToken, isTokenId } from './token-secret';

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

/** The only moment a secret leaves the service. */
export interface CreatedToken {
  token: string;
  accessToken: AccessToken;
  /** The scopes it was created with, so the answer needs no query to show them. */
  scopes: string[];
}

export const MAX_GRACE_PERIOD_SECONDS = 86_400;

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

/** One change to a token, for the audit log. */
type TokenChange = Pick<AuditEntry, 'action' | 'details'>;

export interface AccessTokenServiceDependencies {
  dataSource: DataSource;
  tokens: AccessTokenRepository;
  catalog: ScopeCatalog;
  features: FeatureService;
  policy: TokenPolicyService;
  audit: AuditService;
  /** Announces each changed token, in the change's transaction, so every instance's caches drop it. */
  changes: ChangePublisher;
  /** Told what happened to tokens once it is committed (the metrics count it). */
  events: TokenEvents;
  /** The server secret of the stored hashes (TOKEN_PEPPER). */
  pepper: string;
}

/**
 * What the API does with tokens: create, read, list, update, rotate, revoke and delete, each under
 * the rules of token-authority.ts, each change in one transaction with its audit entry and its
 * change notification. The SQL of reads is the repository's.
 */
export class AccessTokenService {
  private readonly dataSource: DataSource;
  private readonly tokens: AccessTokenRepository;
  private readonly catalog: ScopeCatalog;
  private readonly features: FeatureService;
  private readonly policy: TokenPolicyService;
  private readonly audit: AuditService;
  private readonly changes: ChangePublisher;
  private readonly events: TokenEvents;
  private readonly pepper: string;

  constructor(dependencies: AccessTokenServiceDependencies) {
    ({
      dataSource: this.dataSource,
      tokens: this.tokens,
      catalog: this.catalog,
      features: this.features,
      policy: this.policy,
      audit: this.audit,
      changes: this.changes,
      events: this.events,
      pepper: this.pepper,
    } = dependencies);
  }

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
    if (!caller.user || !isTokenId(id)) throw notFound(`Access token ${id}`);
    const token = await this.tokens.get(this.dataSource, id);
    standingOf(caller, token, await caller.administersTokens());
    return token;
  }

  async list(caller: Caller, filter: TokenFilter = {}, page: PageRequest = {}): Promise<TokenPage> {
    return this.tokens.page(await this.visibility(caller), filter, page, () => this.features.isEnabled(Feature.PERSONAL_ACCESS_TOKENS));
  }

  /** `User.personalAccessTokens` of many users at once: see AccessTokenRepository.personalTokenPages. */
  async personalTokenPages(caller: Caller, requests: readonly OwnerPageRequest[], count: (ownerId: string) => Promise<number>) {
    return this.tokens.personalTokenPages(await this.visibility(caller), requests, count);
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

  status(token: AccessToken, patFeatureEnabled: boolean, ownerActive: boolean): AccessTokenStatus {
    return tokenStatus(token, patFeatureEnabled, ownerActive);
  }

  lastUsed(token: AccessToken): { date: Date | null; ip: string | null } {
    return this.tokens.lastUsed(token);
  }

  async update(caller: Caller, id: string, input: UpdateTokenInput): Promise<AccessToken> {
    if (input.name != null) validateName(input.name, 'name');
    const scopes = input.scopes == null ? null : this.catalog.validate(input.scopes, 'scopes');
    const change = { name: input.name, scopes, enabled: input.enabled };
    return this.command(caller, id, async (manager, acting, target) => {
      if (input.name == null && scopes === null && input.enabled == null) return this.tokens.get(manager, target.id);
      checkUpdate(acting, target, change);
      const disabling = input.enabled === false;
      const byAdministrator = disabling ? disablesAsAdministrator(acting.standing, target) : target.disabledByAdministrator;
      const [row] = await rows<AccessToken>(
        manager,
        `UPDATE access_token t SET name = COALESCE($2, name), enabled = COALESCE($3, enabled),
                disabled_by_administrator = CASE WHEN COALESCE($3, enabled) THEN false ELSE $4 END, modified_at = now()
          WHERE id = $1 RETURNING ${TOKEN_COLUMNS}`,
        [target.id, input.name ?? null, input.enabled ?? null, byAdministrator],
      );
      if (scopes) await this.replaceScopes(manager, target.id, scopes);
      const changes: TokenChange[] = [];
      if ((input.name != null && input.name !== target.name) || scopes) {
        changes.push({
          action: AuditAction.TOKEN_UPDATED,
          details: { ...(input.name != null && { name: input.name }), ...(scopes && { scopes }) },
        });
      }
      // An administrator disabling a token its owner had disabled changes who may enable it: that is a disable of its own.
      const takesOverDisable = disabling && !target.enabled && byAdministrator && !target.disabledByAdministrator;
      if ((input.enabled != null && input.enabled !== target.enabled) || takesOverDisable) {
        changes.push({
          action: input.enabled ? AuditAction.TOKEN_ENABLED : AuditAction.TOKEN_DISABLED,
          ...(disabling && { details: { byAdministrator } }),
        });
      }
      if (changes.length > 0) await this.changed(manager, caller, target, ...changes);
      return tokenOf(row);
    });
  }

  /** A new secret for the same id; the old one keeps working for the grace period, and its use after that revokes the token. */
  async rotate(caller: Caller, id: string, input: RotateTokenInput = {}): Promise<CreatedToken> {
    const grace = input.gracePeriodSeconds ?? 0;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_PERIOD_SECONDS) {
      throw badInput(`gracePeriodSeconds must be between 0 and ${MAX_GRACE_PERIOD_SECONDS}`, 'gracePeriodSeconds');
    }
    const policy = await this.policy.get();
    let token = '';
    let scopes: string[] = [];
    const rotated = await this.command(caller, id, async (manager, acting, target) => {
      checkRotate(acting, target, input.expirationDate);
      const expirationDate = input.expirationDate ?? target.expirationDate;
      TokenPolicyService.check(policy, expirationDate);
      ({ token } = generateToken(target.id));
      scopes = [...target.scopes];
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
      return tokenOf(row);
    });
    this.events.rotated();
    return { token, accessToken: rotated, scopes };
  }

  /** Final. Revoking a revoked token changes nothing. */
  async revoke(caller: Caller, id: string): Promise<AccessToken> {
    let revokedNow = false;
    const token = await this.command(caller, id, async (manager, acting, target) => {
      checkRevoke(acting, target);
      const revoked = await this.revokeLocked(manager, caller, target, AuditAction.TOKEN_REVOKED);
      revokedNow = revoked !== null;
      return revoked ?? (await this.tokens.get(manager, target.id));
    });
    if (revokedNow) this.events.revoked('revoke');
    return token;
  }

  /**
   * Revokes every token matching `filter` that is not revoked yet (never the calling token), with an
   * audit entry for each, in one transaction. A filter is required: an empty one would revoke everything.
   */
  async revokeMatching(caller: Caller, filter: TokenFilter): Promise<number> {
    const { where, parameters, criteria } = await this.tokens.filterSql(await this.visibility(caller), filter, () =>
      this.features.isEnabled(Feature.PERSONAL_ACCESS_TOKENS),
    );
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
      if (revoked.length > 0) await this.changes.publish(ChangeTopic.ACCESS_TOKEN, null, manager);
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

  /** Revokes a token its secret gave away (a leak report, a reused secret) and records why, in one transaction. */
  async revokeFound(caller: Caller, token: AccessToken, action: AuditAction): Promise<void> {
    const revoked = await this.dataSource.transaction((manager) => this.revokeLocked(manager, caller, token, action));
    if (revoked) this.events.revoked(REVOCATION_CAUSE_OF[action] ?? 'revoke');
  }

  /** Records the first refused use of an expired token, once. */
  async recordExpiry(caller: Caller, token: AccessToken): Promise<void> {
    await this.dataSource.transaction(async (manager: SqlRunner) => {
      const [first] = await rows<{ id: string }>(
        manager,
        'UPDATE access_token SET expiry_audited = true WHERE id = $1 AND NOT expiry_audited RETURNING id',
        [token.id],
      );
      if (first) await this.changed(manager, caller, token, { action: AuditAction.TOKEN_EXPIRED, details: { expirationDate: token.expirationDate } });
    });
  }

  /** Which tokens the caller's lists show: every one for an administrator of tokens, else its own PATs. */
  private async visibility(caller: Caller): Promise<Visibility> {
    return (await caller.administersTokens()) ? { everything: true } : { everything: false, ownerId: caller.user!.id };
  }

  private async validateNew(input: CreateTokenInput): Promise<string[]> {
    validateName(input.name, 'name');
    const scopes = this.catalog.validate(input.scopes, 'scopes');
    TokenPolicyService.check(await this.policy.get(), input.expirationDate ?? null);
    return scopes;
  }

  private async validateZones(zoneIds: string[] | null | undefined): Promise<string[]> {
    if (zoneIds == null) return [];
    const wanted = [...new Set(zoneIds)];
    if (wanted.length === 0) throw badInput('Omit managementZoneIds for a token that is not restricted', 'managementZoneIds');
    const known = await this.tokens.existingZones(wanted);
    const unknown = wanted.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw badInput(`Unknown management zones: ${unknown.slice(0, 10).map((id) => JSON.stringify(id.slice(0, 100))).join(', ')}`, 'managementZoneIds');
    }
    return wanted;
  }

  /**
   * The token, its scopes and zones in one statement, and its audit entry in one more, in one
   * transaction: a token exists with all of them or not at all.
   */
  private async create(caller: Caller, personal: boolean, input: CreateTokenInput, scopes: string[], zoneIds: string[]): Promise<CreatedToken> {
    const ownerId = caller.user!.id;
    const { id, token } = generateToken();
    try {
      const created = await this.dataSource.transaction(async (manager) => {
        // The scope and zone rows reference a token inserted by the same statement: foreign keys are checked at its end.
        const [row] = await rows<AccessToken>(
          manager,
          `WITH t AS (
             INSERT INTO access_token (id, name, secret_hash, personal, owner_id, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING *),
           scopes AS (INSERT INTO access_token_scope (token_id, scope_value) SELECT t.id, unnest($7::text[]) FROM t),
           zones AS (INSERT INTO access_token_zone (token_id, management_zone_id) SELECT t.id, unnest($8::uuid[]) FROM t)
           SELECT ${TOKEN_COLUMNS} FROM t`,
          [id, input.name, hashToken(this.pepper, token), personal, ownerId, input.expirationDate ?? null, scopes, zoneIds],
        );
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
      return { token, accessToken: tokenOf(created), scopes };
    } catch (error) {
      // The date passed the check above but not PostgreSQL's, whose clock had moved on.
      if (sqlState(error) === CHECK_VIOLATION) throw expiryNotAhead();
      throw error;
    }
  }

  private async replaceScopes(manager: SqlRunner, tokenId: string, scopes: readonly string[]): Promise<void> {
    await manager.query('DELETE FROM access_token_scope WHERE token_id = $1', [tokenId]);
    await manager.query('INSERT INTO access_token_scope (token_id, scope_value) SELECT $1, unnest($2::text[])', [tokenId, scopes]);
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
    return tokenOf(revoked);
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
    await this.changes.publish(ChangeTopic.ACCESS_TOKEN, token.id, transaction);
    await this.audit.record(
      transaction,
      caller,
      ...changes.map((change) => ({ ...change, targetType: 'ACCESS_TOKEN' as const, targetId: token.id, subjectUserId: subjectOf(token) })),
    );
  }

  /**
   * Runs a command on one token in one transaction: locks the token's row first, so concurrent
   * commands on it (rotations, above all) take turns, then gives the command the caller's standing
   * toward it. A token the caller may not see is NOT_FOUND, and its row is not locked.
   */
  private async command<T>(caller: Caller, id: string, run: (manager: SqlRunner, acting: Acting, target: LockedToken) => Promise<T>): Promise<T> {
    if (!caller.user || !isTokenId(id)) throw notFound(`Access token ${id}`);
    const administers = await caller.administersTokens();
    return this.dataSource.transaction(async (manager) => {
      const target = await this.tokens.lock(manager, id, administers ? undefined : caller.user!.id);
      const standing = standingOf(caller, target, administers);
      return run(manager, { caller, standing, administers }, target);
    });
  }
}
