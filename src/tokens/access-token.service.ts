import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import { rows } from '../database/sql';
import { User } from '../directory/user.entity';
import { Feature } from '../features/feature.enum';
import type { FeatureService } from '../features/feature.service';
import { ErrorCode, ServiceError, badInput, featureDisabled, notFound } from '../graphql/errors';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import { isUuid, validateName } from '../validation';
import { AccessTokenScope } from './access-token-scope.entity';
import { AccessTokenStatus, statusSql, tokenStatus } from './access-token-status';
import { AccessToken } from './access-token.entity';
import type { LastUseRecorder } from './last-use.recorder';
import { type PageRequest, decodeCursor, encodeCursor, pageSize } from './pagination';
import { generateToken, hashToken, isTokenId, parseToken, tokenMatches } from './token-secret';

export interface CreateTokenInput {
  name: string;
  scopes: string[];
  expirationDate?: Date | null;
}

export interface UpdateTokenInput {
  name?: string | null;
  scopes?: string[] | null;
  enabled?: boolean | null;
}

export interface TokenFilter {
  ownerId?: string | null;
  personalAccessToken?: boolean | null;
  scopes?: string[] | null;
  status?: AccessTokenStatus[] | null;
  nameContains?: string | null;
}

/** The only moment a secret leaves the service. */
export interface CreatedToken {
  token: string;
  accessToken: AccessToken;
}

export interface TokenPage {
  edges: { cursor: string; node: AccessToken }[];
  hasNextPage: boolean;
  /** Counted only when asked for. */
  totalCount: () => Promise<number>;
}

/** A token that authenticated a request, with its owner and scopes. */
export interface AuthenticatedToken {
  token: AccessToken;
  owner: User;
  scopes: string[];
}

const TOKEN_COLUMNS = `t.id, t.name, t.secret_hash AS "secretHash", t.enabled, t.personal AS "personalAccessToken",
  t.owner_id AS "ownerId", t.created_at AS "creationDate", t.expires_at AS "expirationDate",
  t.modified_at AS "modifiedDate", t.revoked_at AS "revokedAt", t.last_used_at AS "lastUsedDate",
  t.last_used_ip AS "lastUsedIpAddress"`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export class AccessTokenService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: ScopeCatalog,
    private readonly features: FeatureService,
    private readonly pepper: string,
    private readonly lastUse: LastUseRecorder,
  ) {}

  /** A PAT for the caller itself: nobody can create one for somebody else, nor can a classic API token. */
  async createPersonal(caller: Caller, input: CreateTokenInput): Promise<CreatedToken> {
    if (!caller.user || caller.isClassicToken) {
      throw new ServiceError(
        ErrorCode.FORBIDDEN,
        'A personal access token is created by its owner: sign in, or use one of your personal access tokens',
      );
    }
    this.validateNew(input);
    if (!(await this.features.isEnabled(Feature.PERSONAL_ACCESS_TOKENS))) {
      throw featureDisabled(Feature.PERSONAL_ACCESS_TOKENS);
    }
    return this.create(caller.user.id, true, input);
  }

  async createApiToken(caller: Caller, input: CreateTokenInput): Promise<CreatedToken> {
    this.validateNew(input);
    return this.create(caller.user!.id, false, input);
  }

  async get(caller: Caller, id: string): Promise<AccessToken> {
    return this.requireVisible(caller, id);
  }

  async list(caller: Caller, filter: TokenFilter = {}, page: PageRequest = {}): Promise<TokenPage> {
    const first = pageSize(page.first);
    const cursor = decodeCursor(page.after);
    const { where, parameters } = await this.filterSql(caller, filter);
    const pageParameters = [...parameters];
    let pageWhere = where;
    if (cursor) {
      pageParameters.push(cursor.creationDate, cursor.id);
      pageWhere += ` AND (t.created_at, t.id) < ($${pageParameters.length - 1}, $${pageParameters.length})`;
    }
    pageParameters.push(first + 1);
    const found = await rows<AccessToken>(
      this.dataSource,
      `SELECT ${TOKEN_COLUMNS} FROM access_token t WHERE ${pageWhere}
        ORDER BY t.created_at DESC, t.id DESC LIMIT $${pageParameters.length}`,
      pageParameters,
    );
    const repository = this.dataSource.getRepository(AccessToken);
    const nodes = found.slice(0, first).map((row) => repository.create(row));
    return {
      edges: nodes.map((node) => ({ cursor: encodeCursor(node), node })),
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

  async update(caller: Caller, id: string, input: UpdateTokenInput): Promise<AccessToken> {
    const current = await this.requireVisible(caller, id);
    if (input.name !== undefined && input.name !== null) validateName(input.name, 'name');
    const scopes = input.scopes === undefined || input.scopes === null ? null : this.catalog.validate(input.scopes, 'scopes');
    if (input.enabled === false && caller.token?.id === current.id) {
      throw badInput('A token cannot disable the token it is calling with', 'enabled');
    }
    if (input.name == null && scopes === null && input.enabled == null) return current;
    await this.dataSource.transaction(async (manager) => {
      const [updated] = await rows<{ id: string }>(
        manager,
        `UPDATE access_token SET name = COALESCE($2, name), enabled = COALESCE($3, enabled), modified_at = now()
          WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
        [current.id, input.name ?? null, input.enabled ?? null],
      );
      if (!updated) throw badInput('The token is revoked and can no longer be changed', 'id');
      if (scopes) await this.replaceScopes(manager, current.id, scopes);
    });
    return this.dataSource.getRepository(AccessToken).findOneByOrFail({ id: current.id });
  }

  /** A new secret for the same id; the old secret stops working at once. */
  async rotate(caller: Caller, id: string): Promise<CreatedToken> {
    const current = await this.requireVisible(caller, id);
    const { token } = generateToken(current.id);
    const [rotated] = await rows<AccessToken>(
      this.dataSource,
      `UPDATE access_token t SET secret_hash = $2, modified_at = now() WHERE id = $1 AND revoked_at IS NULL
       RETURNING ${TOKEN_COLUMNS}`,
      [current.id, hashToken(this.pepper, token)],
    );
    if (!rotated) throw badInput('The token is revoked and can no longer be rotated', 'id');
    return { token, accessToken: this.dataSource.getRepository(AccessToken).create(rotated) };
  }

  /** Final. Revoking a revoked token changes nothing. */
  async revoke(caller: Caller, id: string): Promise<AccessToken> {
    const current = await this.requireVisible(caller, id);
    if (caller.token?.id === current.id) throw badInput('A token cannot revoke the token it is calling with', 'id');
    return (await this.revokeById(current.id)) ?? current;
  }

  async delete(caller: Caller, id: string): Promise<string> {
    const current = await this.requireVisible(caller, id);
    if (caller.token?.id === current.id) throw badInput('A token cannot delete the token it is calling with', 'id');
    await this.dataSource.getRepository(AccessToken).delete({ id: current.id });
    return current.id;
  }

  /** Metadata of the token whose secret is given, whoever owns it; null when the secret matches no token. */
  async lookup(secret: string): Promise<AccessToken | null> {
    return (await this.findBySecret(secret))?.token ?? null;
  }

  /** Revokes the token when the secret is valid; says nothing either way. */
  async reportLeaked(secret: string): Promise<void> {
    const found = await this.findBySecret(secret);
    if (found && !found.token.revokedAt) await this.revokeById(found.token.id);
  }

  /** The token behind a secret when it may be used now, else null; records the use. */
  async authenticate(secret: string, ip: string): Promise<AuthenticatedToken | null> {
    const found = await this.findBySecret(secret);
    if (!found || tokenStatus(found.token, found.patFeatureEnabled) !== AccessTokenStatus.ACTIVE) return null;
    this.lastUse.record(found.token.id, ip);
    return { token: found.token, owner: found.owner, scopes: found.scopes };
  }

  status(token: AccessToken, patFeatureEnabled: boolean): AccessTokenStatus {
    return tokenStatus(token, patFeatureEnabled);
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
    const byToken = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const row of found) byToken.get(row.tokenId)?.push(row.scopeValue);
    return byToken;
  }

  private validateNew(input: CreateTokenInput): void {
    validateName(input.name, 'name');
    this.catalog.validate(input.scopes, 'scopes');
    if (input.expirationDate && input.expirationDate.getTime() <= Date.now()) {
      throw badInput('The expirationDate must be in the future', 'expirationDate');
    }
  }

  private async create(ownerId: string, personal: boolean, input: CreateTokenInput): Promise<CreatedToken> {
    const scopes = this.catalog.validate(input.scopes, 'scopes');
    const { id, token } = generateToken();
    const created = await this.dataSource.transaction(async (manager) => {
      const [row] = await rows<AccessToken>(
        manager,
        `INSERT INTO access_token AS t (id, name, secret_hash, personal, owner_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TOKEN_COLUMNS}`,
        [id, input.name, hashToken(this.pepper, token), personal, ownerId, input.expirationDate ?? null],
      );
      await this.replaceScopes(manager, id, scopes);
      return row;
    });
    return { token, accessToken: this.dataSource.getRepository(AccessToken).create(created) };
  }

  private async replaceScopes(manager: EntityManager, tokenId: string, scopes: readonly string[]): Promise<void> {
    await manager.delete(AccessTokenScope, { tokenId });
    await manager.insert(
      AccessTokenScope,
      scopes.map((scopeValue) => ({ tokenId, scopeValue })),
    );
  }

  private async revokeById(id: string): Promise<AccessToken | null> {
    const [revoked] = await rows<AccessToken>(
      this.dataSource,
      `UPDATE access_token t SET revoked_at = now(), modified_at = now() WHERE id = $1 AND revoked_at IS NULL
       RETURNING ${TOKEN_COLUMNS}`,
      [id],
    );
    return revoked ? this.dataSource.getRepository(AccessToken).create(revoked) : null;
  }

  /** The caller's own token, or any token for a token administrator; anything else is NOT_FOUND. */
  private async requireVisible(caller: Caller, id: string): Promise<AccessToken> {
    const token = isTokenId(id) ? await this.dataSource.getRepository(AccessToken).findOneBy({ id }) : null;
    if (!token || !caller.user) throw notFound(`Access token ${id}`);
    if (token.ownerId !== caller.user.id && !(await caller.administersTokens())) throw notFound(`Access token ${id}`);
    return token;
  }

  /**
   * One round trip: the token, its owner, its scopes and whether PATs are enabled. A malformed
   * token or wrong checksum is refused before any database work; the hash is compared in constant time.
   */
  private async findBySecret(secret: string) {
    const parsed = parseToken(secret);
    if (!parsed) return null;
    const [row] = await rows<AccessToken & { owner: Record<string, string | null>; scopes: string[]; patFeatureEnabled: boolean }>(
      this.dataSource,
      `SELECT ${TOKEN_COLUMNS},
              json_build_object('id', u.id, 'subject', u.subject, 'email', u.email, 'name', u.name, 'createdAt', u.created_at) AS owner,
              array(SELECT s.scope_value FROM access_token_scope s WHERE s.token_id = t.id ORDER BY s.scope_value) AS scopes,
              (SELECT f.enabled FROM feature_setting f WHERE f.feature = $2) AS "patFeatureEnabled"
         FROM access_token t JOIN app_user u ON u.id = t.owner_id
        WHERE t.id = $1`,
      [parsed.id, Feature.PERSONAL_ACCESS_TOKENS],
    );
    if (!row || !tokenMatches(this.pepper, parsed.token, row.secretHash)) return null;
    const { owner, scopes, patFeatureEnabled, ...token } = row;
    return {
      token: this.dataSource.getRepository(AccessToken).create(token),
      owner: this.dataSource.getRepository(User).create({ ...owner, createdAt: new Date(owner.createdAt!) } as User),
      scopes,
      patFeatureEnabled: patFeatureEnabled === true,
    };
  }

  private async filterSql(caller: Caller, filter: TokenFilter): Promise<{ where: string; parameters: unknown[] }> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const bind = (value: unknown) => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    if (!(await caller.administersTokens())) conditions.push(`t.owner_id = ${bind(caller.user!.id)}`);
    if (filter.ownerId != null) {
      // An id that is no user's matches no token, as any unknown owner would.
      conditions.push(isUuid(filter.ownerId) ? `t.owner_id = ${bind(filter.ownerId)}` : 'false');
    }
    if (filter.personalAccessToken != null) conditions.push(`t.personal = ${bind(filter.personalAccessToken)}`);
    if (filter.scopes != null) {
      conditions.push(
        `EXISTS (SELECT 1 FROM access_token_scope s WHERE s.token_id = t.id AND s.scope_value = ANY(${bind(filter.scopes)}::text[]))`,
      );
    }
    if (filter.status != null) {
      const featureEnabled = await this.features.isEnabled(Feature.PERSONAL_ACCESS_TOKENS);
      conditions.push(`(${statusSql(`${bind(featureEnabled)}::boolean`)}) = ANY(${bind(filter.status)}::text[])`);
    }
    if (filter.nameContains != null && filter.nameContains !== '') {
      if (!filter.nameContains.isWellFormed() || filter.nameContains.includes('\0')) {
        throw badInput('nameContains is not valid text', 'nameContains');
      }
      conditions.push(`t.name ILIKE ${bind(`%${escapeLike(filter.nameContains)}%`)}`);
    }
    return { where: conditions.length > 0 ? conditions.join(' AND ') : 'true', parameters };
  }
}
