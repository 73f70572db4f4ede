import { randomBytes } from 'node:crypto';

/**
 * The GraphQL documents the tests send, written once. A document selects what any test reads of
 * its answer; a caller that may not read a token's owner's identity (a classic token acting on
 * another classic token) can still send every mutation here.
 */

/** What the owner and admins read of a token. */
export const TOKEN_FIELDS = `id name enabled personalAccessToken status creationDate expirationDate modifiedDate
  lastUsedDate lastUsedIpAddress owner { id subject } scopes { value }`;

/** What a mutation answers about the token it changed: no owner, whom some callers may not see. */
const CHANGED_TOKEN_FIELDS = 'id name enabled personalAccessToken status disabledByAdministrator creationDate expirationDate modifiedDate scopes { value }';

export const ME = '{ me { id } }';

export const ENABLE_PATS = 'mutation { enableFeature(feature: PERSONAL_ACCESS_TOKENS) { enabled } }';
export const DISABLE_PATS = 'mutation { disableFeature(feature: PERSONAL_ACCESS_TOKENS) { enabled } }';

export const TOKEN = `query($id: ID!) { accessToken(id: $id) { ${TOKEN_FIELDS} disabledByAdministrator managementZones { id name } } }`;

export const CREATE_PAT = `mutation($input: CreatePersonalAccessTokenInput!) {
  createPersonalAccessToken(input: $input) { token accessToken { ${TOKEN_FIELDS} managementZones { id name } } }
}`;

export const CREATE_API_TOKEN = `mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { token accessToken { ${CHANGED_TOKEN_FIELDS} owner { id } } }
}`;

export const UPDATE_TOKEN = `mutation($id: ID!, $input: UpdateAccessTokenInput!) {
  updateAccessToken(id: $id, input: $input) { ${CHANGED_TOKEN_FIELDS} }
}`;

export const ROTATE = `mutation($id: ID!, $input: RotateAccessTokenInput) {
  rotateAccessToken(id: $id, input: $input) { token accessToken { ${CHANGED_TOKEN_FIELDS} } }
}`;

export const REVOKE = `mutation($id: ID!) { revokeAccessToken(id: $id) { ${CHANGED_TOKEN_FIELDS} } }`;

export const DELETE_TOKEN = 'mutation($id: ID!) { deleteAccessToken(id: $id) }';

export const REVOKE_TOKENS = 'mutation($filter: AccessTokenFilter!) { revokeAccessTokens(filter: $filter) }';

export const LOOKUP = `query($token: String!) { lookupAccessToken(token: $token) { ${TOKEN_FIELDS} } }`;

export const REPORT_LEAK = 'mutation($token: String!) { reportLeakedToken(token: $token) }';

export const AUTHORIZE = `query($scope: ID!, $zone: ID) {
  authorize(scope: $scope, managementZoneId: $zone) {
    allowed reason scope { value requiredPermission managementZoneScoped } managementZones { id name }
  }
}`;

export const EFFECTIVE_ACCESS = `query($id: ID!) {
  accessToken(id: $id) { effectiveAccess { allowed reason scope { value } managementZones { id } } }
}`;

export const CREATE_ZONE = 'mutation($name: String!) { createManagementZone(name: $name) { id name } }';

export const GROUP_FIELDS = 'id name permissions { permission managementZone { id name } } members { id subject }';
export const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { ${GROUP_FIELDS} } }`;
export const SET_PERMISSIONS = `mutation($g: ID!, $p: [PermissionGrantInput!]!) { setGroupPermissions(groupId: $g, permissions: $p) { ${GROUP_FIELDS} } }`;
export const ADD_MEMBER = `mutation($g: ID!, $u: ID!) { addGroupMember(groupId: $g, userId: $u) { ${GROUP_FIELDS} } }`;
export const REMOVE_MEMBER = `mutation($g: ID!, $u: ID!) { removeGroupMember(groupId: $g, userId: $u) { ${GROUP_FIELDS} } }`;

export const DEACTIVATE_USER = 'mutation($id: ID!) { deactivateUser(id: $id) { id active } }';
export const REACTIVATE_USER = 'mutation($id: ID!) { reactivateUser(id: $id) { id active } }';

const AUDIT_FIELDS = 'id action actorUserId actorTokenId clientIp occurredAt targetType targetId details';
export const AUDIT_EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    nodes { ${AUDIT_FIELDS} }
    pageInfo { endCursor hasNextPage }
  }
}`;

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

/** What an authorization decision comes to for a delegating API: allowed, why not, and the zone ids (null: everywhere). */
export interface Decision {
  allowed: boolean;
  reason: string | null;
  zones: string[] | null;
}

export const allowedIn = (zones: string[] | null): Decision => ({ allowed: true, reason: null, zones: zones === null ? null : [...zones].sort() });
export const denied = (reason: string): Decision => ({ allowed: false, reason, zones: [] });

/** Zone ids as a decision lists them: sorted, or null for everywhere. */
export function zoneIds(zones: { id: string }[] | null): string[] | null {
  return zones === null ? null : zones.map((zone) => zone.id).sort();
}

/** A name no other test's names contain, to keep a shared database's answers to one test's data. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** The token with the last character of its checksum changed: the right format, the wrong checksum. */
export function mistyped(token: string): string {
  return `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
}

/** The secret part of a token: what must never leave the service after creation. */
export function secretOf(token: string): string {
  return token.split('.')[2];
}
