import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { type RunningService, startService } from '../../src/app/service';
import { signSession } from '../../src/auth/sign-in';
import { type Config, loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { type TestDatabase, createTestDatabase } from './database';

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

const TOKEN_FIELDS = `id name enabled personalAccessToken status creationDate expirationDate modifiedDate
  lastUsedDate lastUsedIpAddress owner { id subject } scopes { value }`;

/** One running service on a database of its own, reached over real HTTP. */
export class TestService {
  private constructor(
    readonly service: RunningService,
    readonly database: TestDatabase,
    readonly config: Config,
  ) {}

  static async start(env: Record<string, string> = {}, logger?: Logger): Promise<TestService> {
    const database = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: database.url,
      TOKEN_PEPPER: randomBytes(32).toString('hex'),
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
      BOOTSTRAP_ADMIN_SUBJECT: 'admin',
      LOG_LEVEL: 'silent',
      // Every test file calls from 127.0.0.1: budgets no suite reaches; test/hardening sets small ones.
      RATE_LIMIT_PER_IP: '1000000',
      RATE_LIMIT_PER_CALLER: '1000000',
      RATE_LIMIT_AUTH_FAILURES: '1000000',
      RATE_LIMIT_LEAK_REPORTS: '1000000',
      ...env,
    });
    try {
      const service = await startService(config, logger ?? createLogger({ level: 'silent' }));
      return new TestService(service, database, config);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  get url(): string {
    return this.service.url;
  }

  async stop(): Promise<void> {
    await this.service.stop();
    await this.database.drop();
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
    const response = await this.request<T>(query, variables, authorization);
    if (response.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
    return response.data as T;
  }

  async sessionHeader(subject: string, claims: { email?: string; name?: string } = {}, options = {}): Promise<string> {
    return `Bearer ${await signSession(this.service.jwtSecret!, { sub: subject, ...claims }, options)}`;
  }

  /** A user signed in for the first time (which creates it). */
  async user(subject = `user-${randomBytes(4).toString('hex')}`, claims: { email?: string; name?: string } = {}): Promise<Actor> {
    const authorization = await this.sessionHeader(subject, claims);
    const { me } = await this.ok('{ me { id } }', {}, authorization);
    return { authorization, userId: me.id, subject };
  }

  async admin(): Promise<Actor> {
    return this.user('admin');
  }

  async setFeature(enabled: boolean): Promise<void> {
    const admin = await this.admin();
    await this.ok(`mutation { ${enabled ? 'enableFeature' : 'disableFeature'}(feature: PERSONAL_ACCESS_TOKENS) { enabled } }`, {}, admin.authorization);
  }

  async createPat(actor: Actor, scopes: string[], extra: { name?: string; expirationDate?: string } = {}): Promise<CreatedToken> {
    const data = await this.ok(
      `mutation($input: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $input) { token accessToken { id } } }`,
      { input: { name: extra.name ?? 'test token', scopes, expirationDate: extra.expirationDate } },
      actor.authorization,
    );
    const { token, accessToken } = data.createPersonalAccessToken;
    return { token, id: accessToken.id, authorization: `Api-Token ${token}` };
  }

  async createApiToken(scopes: string[], extra: { name?: string; expirationDate?: string } = {}): Promise<CreatedToken> {
    const admin = await this.admin();
    const data = await this.ok(
      `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token accessToken { id } } }`,
      { input: { name: extra.name ?? 'api token', scopes, expirationDate: extra.expirationDate } },
      admin.authorization,
    );
    const { token, accessToken } = data.createApiToken;
    return { token, id: accessToken.id, authorization: `Api-Token ${token}` };
  }

  async createZone(name = `zone-${randomBytes(4).toString('hex')}`): Promise<string> {
    const admin = await this.admin();
    const data = await this.ok(`mutation($name: String!) { createManagementZone(name: $name) { id } }`, { name }, admin.authorization);
    return data.createManagementZone.id;
  }

  /** Puts the user in a new group holding these grants; returns the group's id. */
  async grant(actor: Actor, ...grants: { permission: string; managementZoneId?: string }[]): Promise<string> {
    const admin = await this.admin();
    const data = await this.ok(
      `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`,
      { input: { name: `group-${randomBytes(4).toString('hex')}`, permissions: grants } },
      admin.authorization,
    );
    const groupId = data.createGroup.id;
    await this.ok(
      `mutation($g: ID!, $u: ID!) { addGroupMember(groupId: $g, userId: $u) { id } }`,
      { g: groupId, u: actor.userId },
      admin.authorization,
    );
    return groupId;
  }

  async token(id: string, authorization: string): Promise<any> {
    return (await this.ok(`query($id: ID!) { accessToken(id: $id) { ${TOKEN_FIELDS} } }`, { id }, authorization)).accessToken;
  }
}

export { TOKEN_FIELDS };

/** The codes of a response's errors, in order. */
export function codes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((error) => error.extensions.code);
}
