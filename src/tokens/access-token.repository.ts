import type { DataSource } from 'typeorm';
import { type SqlRunner, SqlParameters, jsonRows, rows } from '../database/sql';
import { type User, prefixedUserColumns, userColumnsJson, userFromJson, userFromPrefixedColumns } from '../directory/user.entity';
import { Feature } from '../features/feature.enum';
import { badInput, notFound } from '../graphql/errors';
import { pageSize } from '../graphql/pagination';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import { isPlainText, isUuid } from '../validation';
import { AccessTokenIp } from './access-token-ip.entity';
import { type AccessTokenStatus, statusSql } from './access-token-status';
import { AccessToken } from './access-token.entity';
import { type Cursor, DEFAULT_ORDER, type PageRequest, decodeCursor, encodeCursor, keyset, orderOf, sortKeySql } from './access-token.order';
import type { TargetToken } from './token-authority';
import { ADDRESSES_KEPT, type LastUseRecorder } from './last-use.recorder';

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

/**
 * Which tokens a list may show: every token (`everything`, for an administrator of tokens), or the
 * PATs of one user. Classic tokens are the environment's: only their administrators see them,
 * whoever created them.
 */
export type Visibility = { everything: true } | { everything: false; ownerId: string };

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
  /** Read with the page, when it was: its tokens' owners and scope values, so showing them costs no more statements. */
  owners?: User[];
  scopes?: Map<string, string[]>;
}

/** A token as the rules of token-authority.ts read it, with its name, for the command's audit entry. */
export type LockedToken = TargetToken & Pick<AccessToken, 'name'>;

/** One row of the authentication query: the token with its owner, scopes, zones and the PAT feature's state. */
export interface AuthenticationRow {
  token: AccessToken;
  owner: User;
  scopes: string[];
  zoneIds: string[];
  patFeatureEnabled: boolean;
}

/**
 * The entity's fields and their columns as plain SQL over the alias `t`, but its secrets' hashes:
 * pages and commands read rows without TypeORM's query building, and only authentication needs the hashes.
 */
const TOKEN_FIELDS = {
  id: 't.id',
  name: 't.name',
  enabled: 't.enabled',
  disabledByAdministrator: 't.disabled_by_administrator',
  personalAccessToken: 't.personal',
  ownerId: 't.owner_id',
  creationDate: 't.created_at',
  expirationDate: 't.expires_at',
  modifiedDate: 't.modified_at',
  revokedAt: 't.revoked_at',
  expiryAudited: 't.expiry_audited',
  lastUsedDate: 't.last_used_at',
  lastUsedIpAddress: 't.last_used_ip',
} as const;

/** TOKEN_FIELDS as a select list: `t.id AS "id", …`. */
export const TOKEN_COLUMNS = Object.entries(TOKEN_FIELDS)
  .map(([field, column]) => `${column} AS "${field}"`)
  .join(', ');

const SECRET_COLUMNS = `t.secret_hash AS "secretHash", t.previous_secret_hash AS "previousSecretHash",
  t.previous_secret_valid_until AS "previousSecretValidUntil"`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** A row of exactly the entity's columns as the entity: a plain copy, cheaper than repository.create(). */
export function tokenOf(row: object): AccessToken {
  return Object.assign(new AccessToken(), row);
}

/** How a page's rows name their owner's columns (prefixedUserColumns). */
const OWNER_PREFIX = 'owner.';

/** The token's dates, which a row read as JSON (jsonRows) has as ISO 8601 strings. */
const TOKEN_DATES = ['creationDate', 'expirationDate', 'modifiedDate', 'revokedAt', 'lastUsedDate'] as const;

const TOKEN_FIELD_NAMES = Object.keys(TOKEN_FIELDS) as (keyof typeof TOKEN_FIELDS)[];

/**
 * The TOKEN_FIELDS of a row read as JSON, as the entity, its dates made Dates again. Only those: the
 * entity keeps the shape its class gives it, which every token of a page then shares.
 */
function tokenOfJson(row: Record<string, unknown>): AccessToken {
  const token = new AccessToken() as unknown as Record<string, unknown>;
  for (const field of TOKEN_FIELD_NAMES) token[field] = row[field];
  for (const field of TOKEN_DATES) {
    const value = row[field];
    if (typeof value === 'string') token[field] = new Date(value);
  }
  return token as unknown as AccessToken;
}

function groupValues<R, V>(ids: readonly string[], found: readonly R[], idOf: (row: R) => string, valueOf: (row: R) => V): Map<string, V[]> {
  const byId = new Map<string, V[]>(ids.map((id) => [id, []]));
  for (const row of found) byId.get(idOf(row))?.push(valueOf(row));
  return byId;
}

export interface AccessTokenRepositoryDependencies {
  dataSource: DataSource;
  catalog: ScopeCatalog;
  /** Last uses not written yet, merged into what is read. */
  lastUse: LastUseRecorder;
}

/**
 * The token SQL: one token, pages and filters, the batch reads of a page's scopes, zones and
 * addresses, and the row a command locks. Visibility is given, not decided here: the caller's
 * standing is the service's business (token-authority.ts).
 */
export class AccessTokenRepository {
  private readonly dataSource: DataSource;
  private readonly catalog: ScopeCatalog;
  private readonly lastUse: LastUseRecorder;

  constructor(dependencies: AccessTokenRepositoryDependencies) {
    ({ dataSource: this.dataSource, catalog: this.catalog, lastUse: this.lastUse } = dependencies);
  }

  /** The token as it is now; NOT_FOUND when there is none. */
  async get(runner: SqlRunner, id: string): Promise<AccessToken> {
    const [row] = await rows<AccessToken>(runner, `SELECT ${TOKEN_COLUMNS} FROM access_token t WHERE t.id = $1`, [id]);
    if (!row) throw notFound(`Access token ${id}`);
    return tokenOf(row);
  }

  /**
   * In a command's transaction: locks the token's row, so concurrent commands on it take turns,
   * and reads what the rules need. NOT_FOUND when there is none. With `ownerId` (a caller who does
   * not administer tokens), only that user's own PAT is read and locked: the row of a token the
   * caller may not see is never locked, so nobody can hold up commands on another user's tokens
   * or learn from a wait that a token exists.
   */
  async lock(manager: SqlRunner, id: string, ownerId?: string): Promise<LockedToken> {
    const [target] = await rows<LockedToken>(
      manager,
      `SELECT t.id, t.name, t.owner_id AS "ownerId", t.personal AS "personalAccessToken", t.enabled,
              t.disabled_by_administrator AS "disabledByAdministrator", t.revoked_at AS "revokedAt",
              t.expires_at AS "expirationDate",
              array(SELECT s.scope_value FROM access_token_scope s WHERE s.token_id = t.id ORDER BY s.scope_value) AS scopes,
              array(SELECT z.management_zone_id::text FROM access_token_zone z WHERE z.token_id = t.id) AS "zoneIds"
         FROM access_token t WHERE t.id = $1${ownerId === undefined ? '' : ' AND t.personal AND t.owner_id = $2'} FOR UPDATE`,
      ownerId === undefined ? [id] : [id, ownerId],
    );
    if (!target) throw notFound(`Access token ${id}`);
    return target;
  }

  async page(visibility: Visibility, filter: TokenFilter, page: PageRequest, patFeatureEnabled: () => Promise<boolean>): Promise<TokenPage> {
    const first = pageSize(page.first);
    const order = orderOf(page.orderBy);
    const cursor = decodeCursor(page.after, order);
    const { where, parameters } = await this.filterSql(visibility, filter, patFeatureEnabled);
    const pageParameters = new SqlParameters(parameters);
    const { bind } = pageParameters;
    const { orderBy, after } = keyset(order, cursor, bind);
    // One statement for the page, its owners and its scopes: lists show them, and a page costs the same whatever its size.
    // Read as one JSON value (jsonRows): far less work for the service than pg's column-by-column parsing.
    const found = await jsonRows<Record<string, unknown> & { id: string; ownerId: string; sortKey: string; scopeValues: string[] }>(
      this.dataSource,
      {
        ...TOKEN_FIELDS,
        sortKey: `(${sortKeySql(order)})::text`,
        ...prefixedUserColumns('u', OWNER_PREFIX),
        scopeValues: 'array(SELECT s.scope_value FROM access_token_scope s WHERE s.token_id = t.id ORDER BY s.scope_value)',
      },
      `FROM access_token t JOIN app_user u ON u.id = t.owner_id
        WHERE ${where}${after ? ` AND ${after}` : ''} ORDER BY ${orderBy} LIMIT ${bind(first + 1)}`,
      pageParameters.values,
    );
    const owners = new Map<string, User>();
    const scopes = new Map<string, string[]>();
    const edges = found.slice(0, first).map((row) => {
      const { sortKey, scopeValues } = row;
      if (!owners.has(row.ownerId)) owners.set(row.ownerId, userFromPrefixedColumns(row, OWNER_PREFIX));
      scopes.set(row.id, scopeValues);
      return { cursor: encodeCursor({ ...order, key: sortKey, id: row.id }), node: tokenOfJson(row) };
    });
    return {
      edges,
      owners: [...owners.values()],
      scopes,
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

  /**
   * A page of PATs of each owner, in one statement whatever the number of owners: what
   * `User.personalAccessTokens` needs below a list of users or tokens. Each page is what `page`
   * answers with `{ ownerId, personalAccessToken: true }` and the same `first` and `after`: the same
   * visibility, order and cursors. A bad `first` or `after` fails its own page; `count` gives a
   * visible page its totalCount.
   */
  async personalTokenPages(
    visibility: Visibility,
    requests: readonly OwnerPageRequest[],
    count: (ownerId: string) => Promise<number>,
  ): Promise<(TokenPage | Error)[]> {
    const pages: (TokenPage | Error)[] = [];
    const wanted: { slot: number; ownerId: string; first: number; cursor: Cursor | null }[] = [];
    requests.forEach((request, slot) => {
      try {
        const first = pageSize(request.first);
        const cursor = decodeCursor(request.after, DEFAULT_ORDER);
        if (visibility.everything || request.ownerId === visibility.ownerId) wanted.push({ slot, ownerId: request.ownerId, first, cursor });
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
        edges: pageRows.slice(0, page.first).map((row) => ({
          cursor: encodeCursor({ ...DEFAULT_ORDER, key: row.sortKey, id: row.id }),
          node: tokenOf(row),
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
    const found = await rows<{ tokenId: string; zoneId: string }>(
      this.dataSource,
      `SELECT token_id AS "tokenId", management_zone_id::text AS "zoneId" FROM access_token_zone WHERE token_id = ANY($1::text[])`,
      [ids],
    );
    return groupValues(ids, found, (row) => row.tokenId, (row) => row.zoneId);
  }

  /** The last addresses each token was used from, newest first, with this instance's unsaved uses merged in. */
  async recentAddressesOfTokens(ids: readonly string[]): Promise<Map<string, AccessTokenIp[]>> {
    const found = await rows<AccessTokenIp>(
      this.dataSource,
      `SELECT token_id AS "tokenId", ip AS "ipAddress", last_used_at AS "lastUsedDate" FROM access_token_ip
        WHERE token_id = ANY($1::text[]) ORDER BY last_used_at DESC`,
      [ids],
    );
    const address = (row: Partial<AccessTokenIp>) => Object.assign(new AccessTokenIp(), row);
    const byToken = groupValues(ids, found, (row) => row.tokenId, address);
    for (const [id, addresses] of byToken) {
      for (const use of this.lastUse.unsavedUses(id)) {
        const known = addresses.find((candidate) => candidate.ipAddress === use.ip);
        if (known && known.lastUsedDate < use.at) known.lastUsedDate = use.at;
        if (!known) addresses.push(address({ tokenId: id, ipAddress: use.ip, lastUsedDate: use.at }));
      }
      addresses.sort((a, b) => b.lastUsedDate.getTime() - a.lastUsedDate.getTime());
      addresses.splice(ADDRESSES_KEPT);
    }
    return byToken;
  }

  /** Last use, from this instance's memory when newer than what is stored. */
  lastUsed(token: AccessToken): { date: Date | null; ip: string | null } {
    const recent = this.lastUse.lastUse(token.id);
    if (recent && (!token.lastUsedDate || recent.at > token.lastUsedDate)) return { date: recent.at, ip: recent.ip };
    return { date: token.lastUsedDate, ip: token.lastUsedIpAddress };
  }

  /** What authenticating a token needs, in one statement: the token, its owner, scopes, zones, and whether PATs are on. */
  async authenticationRow(id: string): Promise<AuthenticationRow | undefined> {
    const [row] = await rows<AccessToken & { ownerJson: Record<string, unknown>; scopes: string[]; zones: string[]; patFeatureEnabled: boolean }>(
      this.dataSource,
      `SELECT ${TOKEN_COLUMNS}, ${SECRET_COLUMNS}, ${userColumnsJson('u')} AS "ownerJson",
              array(SELECT s.scope_value FROM access_token_scope s WHERE s.token_id = t.id ORDER BY s.scope_value) AS scopes,
              array(SELECT z.management_zone_id::text FROM access_token_zone z WHERE z.token_id = t.id) AS zones,
              (SELECT f.enabled FROM feature_setting f WHERE f.feature = $2) AS "patFeatureEnabled"
         FROM access_token t JOIN app_user u ON u.id = t.owner_id
        WHERE t.id = $1`,
      [id, Feature.PERSONAL_ACCESS_TOKENS],
    );
    if (!row) return undefined;
    const { ownerJson, scopes, zones, patFeatureEnabled, ...token } = row;
    return { token: tokenOf(token), owner: userFromJson(ownerJson), scopes, zoneIds: zones, patFeatureEnabled: patFeatureEnabled === true };
  }

  /** Whether `secretHash` is one a rotation retired from the token: presented again, it is reuse. */
  async isRetiredSecret(tokenId: string, secretHash: Buffer): Promise<boolean> {
    const found = await rows(this.dataSource, 'SELECT 1 FROM access_token_retired_secret WHERE token_id = $1 AND secret_hash = $2', [
      tokenId,
      secretHash,
    ]);
    return found.length > 0;
  }

  /** The zones of `zoneIds` that exist; an id that is no UUID names none. */
  async existingZones(zoneIds: readonly string[]): Promise<Set<string>> {
    const found = await rows<{ id: string }>(this.dataSource, 'SELECT id FROM management_zone WHERE id = ANY($1::uuid[])', [
      zoneIds.filter(isUuid),
    ]);
    return new Set(found.map((zone) => zone.id));
  }

  /** The WHERE clause of a filter over the alias `t`, and how many of its criteria constrain anything (an empty name search does not). */
  async filterSql(
    visibility: Visibility,
    filter: TokenFilter,
    patFeatureEnabled: () => Promise<boolean>,
  ): Promise<{ where: string; parameters: unknown[]; criteria: number }> {
    const conditions: string[] = [];
    const parameters = new SqlParameters();
    const { bind } = parameters;
    const visible = visibility.everything ? [] : [`t.owner_id = ${bind(visibility.ownerId)} AND t.personal`];
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
      conditions.push(`(${statusSql(`${bind(await patFeatureEnabled())}::boolean`)}) = ANY(${bind(filter.status)}::text[])`);
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
    const all = [...visible, ...conditions];
    return { where: all.length > 0 ? all.join(' AND ') : 'true', parameters: parameters.values, criteria: conditions.length };
  }
}
