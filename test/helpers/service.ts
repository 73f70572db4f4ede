import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { type RunningService, startService } from '../../src/app/service';
import { signSession } from '../../src/auth/sign-in';
import { type Config, loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { type TestDatabase, createTestDatabase } from './database';
import {
  ADD_MEMBER,
  AUDIT_EVENTS,
  AUTHORIZE,
  type AuditEventRow,
  CREATE_API_TOKEN,
  CREATE_GROUP,
  CREATE_PAT,
  CREATE_ZONE,
  DISABLE_PATS,
  type Decision,
  ENABLE_PATS,
  ME,
  REVOKE,
  ROTATE,
  TOKEN,
  UPDATE_TOKEN,
  unique,
  zoneIds,
} from './operations';

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions: { code: string; [key: string]: unknown };
}

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: GraphQLError[] | undefined;
}

/** Someone who calls the API: a user signed in, or a user's access token. */
export interface Actor {
  authorization: string;
  userId: string;
  subject: string;
}

export interface CreatedToken {
  token: string;
  id: string;
  authorization: string;
}

interface TokenOptions {
  name?: string;
  expirationDate?: string | null;
}

/** The data of an answer that must have worked; fails the test on any GraphQL error. */
function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

/** The configuration every test service runs with, `env` over it. */
export function testConfig(env: Record<string, string>): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    TOKEN_PEPPER: randomBytes(32).toString('hex'),
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    BOOTSTRAP_ADMIN_SUBJECT: 'admin',
    LOG_LEVEL: 'silent',
    // Every test file calls from 127.0.0.1: budgets no suite reaches; test/http/rate-limits sets small ones.
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_PER_CALLER: '1000000',
    RATE_LIMIT_AUTH_FAILURES: '1000000',
    RATE_LIMIT_LEAK_REPORTS: '1000000',
    ...env,
  });
}

/**
 * One running service on a database of its own, reached over real HTTP, with the operations the
 * tests build their world from: users, admins, groups, zones and tokens.
 */
export class TestService {
  private constructor(
    readonly service: RunningService,
    readonly database: TestDatabase,
    readonly config: Config,
    private readonly ownsDatabase: boolean,
  ) {}

  static async start(env: Record<string, string> = {}, logger?: Logger): Promise<TestService> {
    const database = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: database.url, ...env });
    try {
      const service = await startService(config, logger ?? createLogger({ level: 'silent' }));
      return new TestService(service, database, config, true);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  /** Another instance on the same database, with the same configuration; stopping it leaves the database. */
  async another(): Promise<TestService> {
    const service = await startService(this.config, createLogger({ level: 'silent' }));
    return new TestService(service, this.database, this.config, false);
  }

  get url(): string {
    return this.service.url;
  }

  async stop(): Promise<void> {
    await this.service.stop();
    if (this.ownsDatabase) await this.database.drop();
  }

  async request<T = any>(query: string, variables?: Record<string, unknown>, authorization?: string): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: T; errors?: GraphQLError[] };
    return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
  }

  /** Like `request`, but fails the test on any GraphQL error. */
  async ok<T = any>(query: string, variables?: Record<string, unknown>, authorization?: string): Promise<T> {
    return dataOf(await this.request<T>(query, variables, authorization));
  }

  /** The SQL statements the service sent while `action` ran. */
  async statements(action: () => Promise<unknown>): Promise<number> {
    const before = this.service.queryCounter.count;
    await action();
    return this.service.queryCounter.count - before;
  }

  /** The data of the second of two identical requests, and the SQL statements it cost (the first warms the caches). */
  async warmStatements(query: string, variables: Record<string, unknown>, authorization: string): Promise<{ data: any; statements: number }> {
    await this.ok(query, variables, authorization);
    let data: any;
    const statements = await this.statements(async () => (data = await this.ok(query, variables, authorization)));
    return { data, statements };
  }

  async sessionHeader(subject: string, claims: { email?: string; name?: string } = {}, options = {}): Promise<string> {
    return `Bearer ${await signSession(this.service.jwtSecret!, { sub: subject, ...claims }, options)}`;
  }

  /** A user signed in for the first time (which creates it). */
  async user(subject = unique('user'), claims: { email?: string; name?: string } = {}): Promise<Actor> {
    const authorization = await this.sessionHeader(subject, claims);
    const { me } = await this.ok(ME, {}, authorization);
    return { authorization, userId: me.id, subject };
  }

  async admin(): Promise<Actor> {
    return this.user('admin');
  }

  async setFeature(enabled: boolean): Promise<void> {
    const admin = await this.admin();
    await this.ok(enabled ? ENABLE_PATS : DISABLE_PATS, {}, admin.authorization);
  }

  /** Asks for a PAT, by default named "test token" with metrics.read; answers whatever came back. */
  async tryCreatePat(actor: Pick<Actor, 'authorization'>, input: Record<string, unknown> = {}): Promise<GraphQLResponse> {
    return this.request(CREATE_PAT, { input: { name: 'test token', scopes: ['metrics.read'], ...input } }, actor.authorization);
  }

  async createPat(actor: Pick<Actor, 'authorization'>, scopes: string[], options: TokenOptions & { managementZoneIds?: string[] } = {}): Promise<CreatedToken> {
    const { token, accessToken } = dataOf(await this.tryCreatePat(actor, { scopes, ...options })).createPersonalAccessToken;
    return { token, id: accessToken.id, authorization: `Api-Token ${token}` };
  }

  /** Asks for a classic API token, by default as the bootstrap admin, named "api token" with metrics.read. */
  async tryCreateApiToken(input: Record<string, unknown> = {}, by?: Pick<Actor, 'authorization'>): Promise<GraphQLResponse> {
    const creator = by ?? (await this.admin());
    return this.request(CREATE_API_TOKEN, { input: { name: 'api token', scopes: ['metrics.read'], ...input } }, creator.authorization);
  }

  /** A classic API token, created by the bootstrap admin unless `by` says who. */
  async createApiToken(scopes: string[], { by, ...options }: TokenOptions & { by?: Pick<Actor, 'authorization'> } = {}): Promise<CreatedToken> {
    const { token, accessToken } = dataOf(await this.tryCreateApiToken({ scopes, ...options }, by)).createApiToken;
    return { token, id: accessToken.id, authorization: `Api-Token ${token}` };
  }

  async createZone(name = unique('zone')): Promise<string> {
    const admin = await this.admin();
    return (await this.ok(CREATE_ZONE, { name }, admin.authorization)).createManagementZone.id;
  }

  /** Puts the user in a new group holding these grants; returns the group's id. */
  async grant(actor: Actor, ...grants: { permission: string; managementZoneId?: string }[]): Promise<string> {
    const admin = await this.admin();
    const { createGroup } = await this.ok(CREATE_GROUP, { input: { name: unique('group'), permissions: grants } }, admin.authorization);
    await this.ok(ADD_MEMBER, { g: createGroup.id, u: actor.userId }, admin.authorization);
    return createGroup.id;
  }

  /** The token as `authorization` reads it (by default, as the bootstrap admin). */
  async token(id: string, authorization?: string): Promise<any> {
    return (await this.ok(TOKEN, { id }, authorization ?? (await this.admin()).authorization)).accessToken;
  }

  /** How many tokens the user owns, straight from the database. */
  async tokensOwnedBy(userId: string): Promise<number> {
    const [{ count }] = await this.service.dataSource.query('SELECT count(*)::int AS count FROM access_token WHERE owner_id = $1', [userId]);
    return count;
  }

  /** The token's status as the bootstrap admin sees it. */
  async statusOf(id: string): Promise<string> {
    return (await this.token(id)).status;
  }

  async update(id: string, input: Record<string, unknown>, authorization: string): Promise<any> {
    return (await this.ok(UPDATE_TOKEN, { id, input }, authorization)).updateAccessToken;
  }

  async disable(id: string, authorization: string): Promise<void> {
    await this.update(id, { enabled: false }, authorization);
  }

  async revoke(id: string, authorization: string): Promise<void> {
    await this.ok(REVOKE, { id }, authorization);
  }

  /** Rotates the token; answers its new secret. */
  async rotate(id: string, authorization: string, input?: { gracePeriodSeconds?: number; expirationDate?: string }): Promise<CreatedToken & { accessToken: any }> {
    const data = await this.ok(ROTATE, { id, input: input ?? null }, authorization);
    const { token, accessToken } = data.rotateAccessToken;
    return { token, id: accessToken.id, authorization: `Api-Token ${token}`, accessToken };
  }

  /** What `authorize` answers `authorization` for the scope (in the zone). */
  async decide(authorization: string, scope: string, zone?: string): Promise<Decision> {
    const { authorize } = await this.ok(AUTHORIZE, { scope, zone: zone ?? null }, authorization);
    expect(authorize.scope.value).toBe(scope);
    return { allowed: authorize.allowed, reason: authorize.reason, zones: zoneIds(authorize.managementZones) };
  }

  /** Every audit event matching `filter` visible to `authorization`, newest first (all pages). */
  async auditEvents(authorization: string, filter: Record<string, unknown> = {}): Promise<AuditEventRow[]> {
    const all: AuditEventRow[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page += 1) {
      const data: any = await this.ok(AUDIT_EVENTS, { filter, first: 100, after }, authorization);
      all.push(...data.auditEvents.nodes);
      if (!data.auditEvents.pageInfo.hasNextPage) return all;
      after = data.auditEvents.pageInfo.endCursor;
    }
    throw new Error('more than 100 pages of audit events');
  }

  /** The events about one target, as the bootstrap admin sees them, newest first. */
  async eventsAbout(targetId: string, actions?: string[]): Promise<AuditEventRow[]> {
    const admin = await this.admin();
    return this.auditEvents(admin.authorization, { targetId, ...(actions && { actions }) });
  }
}
