import { randomBytes } from 'node:crypto';
import { type Actor, type CreatedToken, type GraphQLResponse, type TestService, codes } from '../helpers/service';

/** Small helpers shared by the token-lifecycle suites (test/lifecycle/*.test.ts). */

export const DAY_MS = 86_400_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An ISO date `days` from now (fractions allowed). */
export function inDays(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString();
}

export function suffix(): string {
  return randomBytes(4).toString('hex');
}

/** The whole request fails with 401, UNAUTHENTICATED and a WWW-Authenticate challenge. */
export async function expectRefused(service: TestService, authorization: string): Promise<void> {
  const response = await service.request('{ me { id } }', {}, authorization);
  expect(response.status).toBe(401);
  expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  expect(response.headers.get('www-authenticate')).toBeTruthy();
}

/** The credential works and acts for `userId`. */
export async function expectAccepted(service: TestService, authorization: string, userId: string): Promise<void> {
  const response = await service.request('{ me { id } }', {}, authorization);
  expect({ status: response.status, codes: codes(response) }).toEqual({ status: 200, codes: [] });
  expect(response.data.me.id).toBe(userId);
}

export function expectBadInput(response: GraphQLResponse, field?: string): void {
  expect(response.status).toBe(200);
  expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  if (field !== undefined) expect(response.errors![0].extensions.field).toBe(field);
}

export const CREATE_PAT = `mutation($input: CreatePersonalAccessTokenInput!) {
  createPersonalAccessToken(input: $input) { token accessToken { id name expirationDate status managementZones { id name } } }
}`;

export const CREATE_API_TOKEN = `mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { token accessToken { id name expirationDate status personalAccessToken } }
}`;

export const ROTATE = `mutation($id: ID!, $input: RotateAccessTokenInput) {
  rotateAccessToken(id: $id, input: $input) { token accessToken { id status expirationDate } }
}`;

export const STATUS = `query($id: ID!) { accessToken(id: $id) { id status enabled expirationDate } }`;

/** A PAT with more options than the shared helper offers (zones); fails the test on any error. */
export async function createPat(
  service: TestService,
  actor: Actor,
  scopes: string[],
  extra: { name?: string; expirationDate?: string | null; managementZoneIds?: string[] } = {},
): Promise<CreatedToken> {
  const data = await service.ok(CREATE_PAT, { input: { name: extra.name ?? 'lifecycle token', scopes, ...extra } }, actor.authorization);
  const { token, accessToken } = data.createPersonalAccessToken;
  return { token, id: accessToken.id, authorization: `Api-Token ${token}` };
}

/** A classic API token created by `actor` (who must be an admin). */
export async function createApiTokenAs(
  service: TestService,
  actor: Actor,
  scopes: string[],
  extra: { name?: string; expirationDate?: string | null } = {},
): Promise<CreatedToken> {
  const data = await service.ok(CREATE_API_TOKEN, { input: { name: extra.name ?? 'lifecycle api token', scopes, ...extra } }, actor.authorization);
  const { token, accessToken } = data.createApiToken;
  return { token, id: accessToken.id, authorization: `Api-Token ${token}` };
}

/** The token's status as the admin sees it. */
export async function statusOf(service: TestService, id: string): Promise<string> {
  const admin = await service.admin();
  const data = await service.ok(STATUS, { id }, admin.authorization);
  return data.accessToken.status;
}

export interface AuditEventRow {
  id: string;
  action: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  clientIp: string | null;
  occurredAt: string;
  targetType: string;
  targetId: string;
  details: string;
}

export const AUDIT_FIELDS = 'id action actorUserId actorTokenId clientIp occurredAt targetType targetId details';

export const AUDIT_EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    nodes { ${AUDIT_FIELDS} }
    pageInfo { endCursor hasNextPage }
  }
}`;

/** Every audit event matching `filter` visible to `authorization`, newest first (all pages). */
export async function auditEvents(
  service: TestService,
  authorization: string,
  filter: Record<string, unknown> = {},
): Promise<AuditEventRow[]> {
  const all: AuditEventRow[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const data: any = await service.ok(AUDIT_EVENTS, { filter, first: 100, after }, authorization);
    all.push(...data.auditEvents.nodes);
    if (!data.auditEvents.pageInfo.hasNextPage) return all;
    after = data.auditEvents.pageInfo.endCursor;
  }
  throw new Error('more than 100 pages of audit events');
}

/** The events about one target, as the admin sees them, newest first. */
export async function eventsAbout(service: TestService, targetId: string, actions?: string[]): Promise<AuditEventRow[]> {
  const admin = await service.admin();
  return auditEvents(service, admin.authorization, { targetId, ...(actions && { actions }) });
}

/** Polls `check` until it returns true, up to `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000, everyMs = 100): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await sleep(everyMs);
  }
}
