/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment AccessTokenSummary on AccessToken {\n  id\n  name\n  status\n  personalAccessToken\n  creationDate\n  expirationDate\n  lastUsedDate\n  scopes {\n    value\n  }\n}": typeof types.AccessTokenSummaryFragmentDoc,
    "query AdminSettings {\n  features {\n    feature\n    enabled\n    updatedAt\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n    updatedAt\n  }\n  personalAccessTokens: accessTokens(\n    filter: {personalAccessToken: true, status: [ACTIVE, DISABLED, SUSPENDED]}\n    first: 1\n  ) {\n    totalCount\n  }\n}": typeof types.AdminSettingsDocument,
    "query Authorize($scope: ID!, $managementZoneId: ID) {\n  authorize(scope: $scope, managementZoneId: $managementZoneId) {\n    allowed\n    reason\n    scope {\n      value\n    }\n    managementZones {\n      id\n      name\n    }\n  }\n}": typeof types.AuthorizeDocument,
    "query CountAccessTokens($filter: AccessTokenFilter) {\n  accessTokens(filter: $filter, first: 1) {\n    totalCount\n  }\n}": typeof types.CountAccessTokensDocument,
    "mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    token\n    accessToken {\n      ...TokenDetails\n    }\n  }\n}": typeof types.CreateApiTokenDocument,
    "mutation CreatePersonalAccessToken($input: CreatePersonalAccessTokenInput!) {\n  createPersonalAccessToken(input: $input) {\n    token\n    accessToken {\n      ...AccessTokenSummary\n    }\n  }\n}": typeof types.CreatePersonalAccessTokenDocument,
    "mutation DeleteAccessToken($id: ID!) {\n  deleteAccessToken(id: $id)\n}": typeof types.DeleteAccessTokenDocument,
    "query Directory {\n  users {\n    id\n    subject\n    name\n    email\n    active\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  groups {\n    id\n    name\n    members {\n      id\n      subject\n      name\n    }\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  managementZones {\n    id\n    name\n  }\n}": typeof types.DirectoryDocument,
    "mutation DisableFeature($feature: Feature!) {\n  disableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}": typeof types.DisableFeatureDocument,
    "mutation EnableFeature($feature: Feature!) {\n  enableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}": typeof types.EnableFeatureDocument,
    "mutation CreateGroup($input: CreateGroupInput!) {\n  createGroup(input: $input) {\n    id\n  }\n}\n\nmutation AddGroupMember($groupId: ID!, $userId: ID!) {\n  addGroupMember(groupId: $groupId, userId: $userId) {\n    id\n  }\n}\n\nmutation RemoveGroupMember($groupId: ID!, $userId: ID!) {\n  removeGroupMember(groupId: $groupId, userId: $userId) {\n    id\n  }\n}\n\nmutation SetGroupPermissions($groupId: ID!, $permissions: [PermissionGrantInput!]!) {\n  setGroupPermissions(groupId: $groupId, permissions: $permissions) {\n    id\n  }\n}\n\nmutation CreateManagementZone($name: String!) {\n  createManagementZone(name: $name) {\n    id\n    name\n  }\n}": typeof types.CreateGroupDocument,
    "query MyPersonalAccessTokens($first: Int, $after: String) {\n  me {\n    id\n    subject\n    personalAccessTokens(first: $first, after: $after) {\n      nodes {\n        ...AccessTokenSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.MyPersonalAccessTokensDocument,
    "query MyTokens($first: Int, $after: String) {\n  me {\n    id\n    personalAccessTokens(first: $first, after: $after) {\n      totalCount\n      nodes {\n        ...TokenDetails\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.MyTokensDocument,
    "mutation RevokeAccessToken($id: ID!) {\n  revokeAccessToken(id: $id) {\n    ...AccessTokenSummary\n  }\n}": typeof types.RevokeAccessTokenDocument,
    "mutation RevokeAccessTokens($filter: AccessTokenFilter!) {\n  revokeAccessTokens(filter: $filter)\n}": typeof types.RevokeAccessTokensDocument,
    "mutation RotateAccessToken($id: ID!, $input: RotateAccessTokenInput) {\n  rotateAccessToken(id: $id, input: $input) {\n    token\n    accessToken {\n      ...TokenDetails\n    }\n  }\n}": typeof types.RotateAccessTokenDocument,
    "mutation SetAccessTokenEnabled($id: ID!, $enabled: Boolean!) {\n  updateAccessToken(id: $id, input: {enabled: $enabled}) {\n    ...TokenDetails\n  }\n}": typeof types.SetAccessTokenEnabledDocument,
    "fragment TokenDetails on AccessToken {\n  id\n  name\n  status\n  enabled\n  disabledByAdministrator\n  personalAccessToken\n  creationDate\n  expirationDate\n  lastUsedDate\n  lastUsedIpAddress\n  recentIpAddresses {\n    ipAddress\n    lastUsedDate\n  }\n  scopes {\n    value\n    name\n  }\n  managementZones {\n    id\n    name\n  }\n  owner {\n    id\n    name\n  }\n}": typeof types.TokenDetailsFragmentDoc,
    "query TokenEffectiveAccess($id: ID!) {\n  accessToken(id: $id) {\n    id\n    effectiveAccess {\n      allowed\n      reason\n      scope {\n        value\n        name\n        requiredPermission\n      }\n      managementZones {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.TokenEffectiveAccessDocument,
    "query TokenFormOptions {\n  scopes {\n    value\n    name\n    description\n    requiredPermission\n    managementZoneScoped\n    usableByMe\n  }\n  managementZones {\n    id\n    name\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n  }\n}": typeof types.TokenFormOptionsDocument,
    "query TokenInventory($filter: AccessTokenFilter, $orderBy: AccessTokenOrder, $first: Int, $after: String) {\n  accessTokens(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n    totalCount\n    nodes {\n      ...TokenDetails\n      owner {\n        id\n        name\n        subject\n        email\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.TokenInventoryDocument,
    "mutation UpdateTokenPolicy($input: TokenPolicyInput!) {\n  updateTokenPolicy(input: $input) {\n    requireExpiration\n    maxLifetimeDays\n    updatedAt\n  }\n}": typeof types.UpdateTokenPolicyDocument,
    "mutation DeactivateUser($id: ID!) {\n  deactivateUser(id: $id) {\n    id\n    active\n  }\n}\n\nmutation ReactivateUser($id: ID!) {\n  reactivateUser(id: $id) {\n    id\n    active\n  }\n}": typeof types.DeactivateUserDocument,
    "query Viewer {\n  me {\n    id\n    subject\n    name\n    email\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  features {\n    feature\n    enabled\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n  }\n}": typeof types.ViewerDocument,
};
const documents: Documents = {
    "fragment AccessTokenSummary on AccessToken {\n  id\n  name\n  status\n  personalAccessToken\n  creationDate\n  expirationDate\n  lastUsedDate\n  scopes {\n    value\n  }\n}": types.AccessTokenSummaryFragmentDoc,
    "query AdminSettings {\n  features {\n    feature\n    enabled\n    updatedAt\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n    updatedAt\n  }\n  personalAccessTokens: accessTokens(\n    filter: {personalAccessToken: true, status: [ACTIVE, DISABLED, SUSPENDED]}\n    first: 1\n  ) {\n    totalCount\n  }\n}": types.AdminSettingsDocument,
    "query Authorize($scope: ID!, $managementZoneId: ID) {\n  authorize(scope: $scope, managementZoneId: $managementZoneId) {\n    allowed\n    reason\n    scope {\n      value\n    }\n    managementZones {\n      id\n      name\n    }\n  }\n}": types.AuthorizeDocument,
    "query CountAccessTokens($filter: AccessTokenFilter) {\n  accessTokens(filter: $filter, first: 1) {\n    totalCount\n  }\n}": types.CountAccessTokensDocument,
    "mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    token\n    accessToken {\n      ...TokenDetails\n    }\n  }\n}": types.CreateApiTokenDocument,
    "mutation CreatePersonalAccessToken($input: CreatePersonalAccessTokenInput!) {\n  createPersonalAccessToken(input: $input) {\n    token\n    accessToken {\n      ...AccessTokenSummary\n    }\n  }\n}": types.CreatePersonalAccessTokenDocument,
    "mutation DeleteAccessToken($id: ID!) {\n  deleteAccessToken(id: $id)\n}": types.DeleteAccessTokenDocument,
    "query Directory {\n  users {\n    id\n    subject\n    name\n    email\n    active\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  groups {\n    id\n    name\n    members {\n      id\n      subject\n      name\n    }\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  managementZones {\n    id\n    name\n  }\n}": types.DirectoryDocument,
    "mutation DisableFeature($feature: Feature!) {\n  disableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}": types.DisableFeatureDocument,
    "mutation EnableFeature($feature: Feature!) {\n  enableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}": types.EnableFeatureDocument,
    "mutation CreateGroup($input: CreateGroupInput!) {\n  createGroup(input: $input) {\n    id\n  }\n}\n\nmutation AddGroupMember($groupId: ID!, $userId: ID!) {\n  addGroupMember(groupId: $groupId, userId: $userId) {\n    id\n  }\n}\n\nmutation RemoveGroupMember($groupId: ID!, $userId: ID!) {\n  removeGroupMember(groupId: $groupId, userId: $userId) {\n    id\n  }\n}\n\nmutation SetGroupPermissions($groupId: ID!, $permissions: [PermissionGrantInput!]!) {\n  setGroupPermissions(groupId: $groupId, permissions: $permissions) {\n    id\n  }\n}\n\nmutation CreateManagementZone($name: String!) {\n  createManagementZone(name: $name) {\n    id\n    name\n  }\n}": types.CreateGroupDocument,
    "query MyPersonalAccessTokens($first: Int, $after: String) {\n  me {\n    id\n    subject\n    personalAccessTokens(first: $first, after: $after) {\n      nodes {\n        ...AccessTokenSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.MyPersonalAccessTokensDocument,
    "query MyTokens($first: Int, $after: String) {\n  me {\n    id\n    personalAccessTokens(first: $first, after: $after) {\n      totalCount\n      nodes {\n        ...TokenDetails\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.MyTokensDocument,
    "mutation RevokeAccessToken($id: ID!) {\n  revokeAccessToken(id: $id) {\n    ...AccessTokenSummary\n  }\n}": types.RevokeAccessTokenDocument,
    "mutation RevokeAccessTokens($filter: AccessTokenFilter!) {\n  revokeAccessTokens(filter: $filter)\n}": types.RevokeAccessTokensDocument,
    "mutation RotateAccessToken($id: ID!, $input: RotateAccessTokenInput) {\n  rotateAccessToken(id: $id, input: $input) {\n    token\n    accessToken {\n      ...TokenDetails\n    }\n  }\n}": types.RotateAccessTokenDocument,
    "mutation SetAccessTokenEnabled($id: ID!, $enabled: Boolean!) {\n  updateAccessToken(id: $id, input: {enabled: $enabled}) {\n    ...TokenDetails\n  }\n}": types.SetAccessTokenEnabledDocument,
    "fragment TokenDetails on AccessToken {\n  id\n  name\n  status\n  enabled\n  disabledByAdministrator\n  personalAccessToken\n  creationDate\n  expirationDate\n  lastUsedDate\n  lastUsedIpAddress\n  recentIpAddresses {\n    ipAddress\n    lastUsedDate\n  }\n  scopes {\n    value\n    name\n  }\n  managementZones {\n    id\n    name\n  }\n  owner {\n    id\n    name\n  }\n}": types.TokenDetailsFragmentDoc,
    "query TokenEffectiveAccess($id: ID!) {\n  accessToken(id: $id) {\n    id\n    effectiveAccess {\n      allowed\n      reason\n      scope {\n        value\n        name\n        requiredPermission\n      }\n      managementZones {\n        id\n        name\n      }\n    }\n  }\n}": types.TokenEffectiveAccessDocument,
    "query TokenFormOptions {\n  scopes {\n    value\n    name\n    description\n    requiredPermission\n    managementZoneScoped\n    usableByMe\n  }\n  managementZones {\n    id\n    name\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n  }\n}": types.TokenFormOptionsDocument,
    "query TokenInventory($filter: AccessTokenFilter, $orderBy: AccessTokenOrder, $first: Int, $after: String) {\n  accessTokens(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n    totalCount\n    nodes {\n      ...TokenDetails\n      owner {\n        id\n        name\n        subject\n        email\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.TokenInventoryDocument,
    "mutation UpdateTokenPolicy($input: TokenPolicyInput!) {\n  updateTokenPolicy(input: $input) {\n    requireExpiration\n    maxLifetimeDays\n    updatedAt\n  }\n}": types.UpdateTokenPolicyDocument,
    "mutation DeactivateUser($id: ID!) {\n  deactivateUser(id: $id) {\n    id\n    active\n  }\n}\n\nmutation ReactivateUser($id: ID!) {\n  reactivateUser(id: $id) {\n    id\n    active\n  }\n}": types.DeactivateUserDocument,
    "query Viewer {\n  me {\n    id\n    subject\n    name\n    email\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  features {\n    feature\n    enabled\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n  }\n}": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment AccessTokenSummary on AccessToken {\n  id\n  name\n  status\n  personalAccessToken\n  creationDate\n  expirationDate\n  lastUsedDate\n  scopes {\n    value\n  }\n}"): (typeof documents)["fragment AccessTokenSummary on AccessToken {\n  id\n  name\n  status\n  personalAccessToken\n  creationDate\n  expirationDate\n  lastUsedDate\n  scopes {\n    value\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AdminSettings {\n  features {\n    feature\n    enabled\n    updatedAt\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n    updatedAt\n  }\n  personalAccessTokens: accessTokens(\n    filter: {personalAccessToken: true, status: [ACTIVE, DISABLED, SUSPENDED]}\n    first: 1\n  ) {\n    totalCount\n  }\n}"): (typeof documents)["query AdminSettings {\n  features {\n    feature\n    enabled\n    updatedAt\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n    updatedAt\n  }\n  personalAccessTokens: accessTokens(\n    filter: {personalAccessToken: true, status: [ACTIVE, DISABLED, SUSPENDED]}\n    first: 1\n  ) {\n    totalCount\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Authorize($scope: ID!, $managementZoneId: ID) {\n  authorize(scope: $scope, managementZoneId: $managementZoneId) {\n    allowed\n    reason\n    scope {\n      value\n    }\n    managementZones {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query Authorize($scope: ID!, $managementZoneId: ID) {\n  authorize(scope: $scope, managementZoneId: $managementZoneId) {\n    allowed\n    reason\n    scope {\n      value\n    }\n    managementZones {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CountAccessTokens($filter: AccessTokenFilter) {\n  accessTokens(filter: $filter, first: 1) {\n    totalCount\n  }\n}"): (typeof documents)["query CountAccessTokens($filter: AccessTokenFilter) {\n  accessTokens(filter: $filter, first: 1) {\n    totalCount\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    token\n    accessToken {\n      ...TokenDetails\n    }\n  }\n}"): (typeof documents)["mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    token\n    accessToken {\n      ...TokenDetails\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreatePersonalAccessToken($input: CreatePersonalAccessTokenInput!) {\n  createPersonalAccessToken(input: $input) {\n    token\n    accessToken {\n      ...AccessTokenSummary\n    }\n  }\n}"): (typeof documents)["mutation CreatePersonalAccessToken($input: CreatePersonalAccessTokenInput!) {\n  createPersonalAccessToken(input: $input) {\n    token\n    accessToken {\n      ...AccessTokenSummary\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteAccessToken($id: ID!) {\n  deleteAccessToken(id: $id)\n}"): (typeof documents)["mutation DeleteAccessToken($id: ID!) {\n  deleteAccessToken(id: $id)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Directory {\n  users {\n    id\n    subject\n    name\n    email\n    active\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  groups {\n    id\n    name\n    members {\n      id\n      subject\n      name\n    }\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  managementZones {\n    id\n    name\n  }\n}"): (typeof documents)["query Directory {\n  users {\n    id\n    subject\n    name\n    email\n    active\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  groups {\n    id\n    name\n    members {\n      id\n      subject\n      name\n    }\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  managementZones {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DisableFeature($feature: Feature!) {\n  disableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}"): (typeof documents)["mutation DisableFeature($feature: Feature!) {\n  disableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation EnableFeature($feature: Feature!) {\n  enableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}"): (typeof documents)["mutation EnableFeature($feature: Feature!) {\n  enableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateGroup($input: CreateGroupInput!) {\n  createGroup(input: $input) {\n    id\n  }\n}\n\nmutation AddGroupMember($groupId: ID!, $userId: ID!) {\n  addGroupMember(groupId: $groupId, userId: $userId) {\n    id\n  }\n}\n\nmutation RemoveGroupMember($groupId: ID!, $userId: ID!) {\n  removeGroupMember(groupId: $groupId, userId: $userId) {\n    id\n  }\n}\n\nmutation SetGroupPermissions($groupId: ID!, $permissions: [PermissionGrantInput!]!) {\n  setGroupPermissions(groupId: $groupId, permissions: $permissions) {\n    id\n  }\n}\n\nmutation CreateManagementZone($name: String!) {\n  createManagementZone(name: $name) {\n    id\n    name\n  }\n}"): (typeof documents)["mutation CreateGroup($input: CreateGroupInput!) {\n  createGroup(input: $input) {\n    id\n  }\n}\n\nmutation AddGroupMember($groupId: ID!, $userId: ID!) {\n  addGroupMember(groupId: $groupId, userId: $userId) {\n    id\n  }\n}\n\nmutation RemoveGroupMember($groupId: ID!, $userId: ID!) {\n  removeGroupMember(groupId: $groupId, userId: $userId) {\n    id\n  }\n}\n\nmutation SetGroupPermissions($groupId: ID!, $permissions: [PermissionGrantInput!]!) {\n  setGroupPermissions(groupId: $groupId, permissions: $permissions) {\n    id\n  }\n}\n\nmutation CreateManagementZone($name: String!) {\n  createManagementZone(name: $name) {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyPersonalAccessTokens($first: Int, $after: String) {\n  me {\n    id\n    subject\n    personalAccessTokens(first: $first, after: $after) {\n      nodes {\n        ...AccessTokenSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query MyPersonalAccessTokens($first: Int, $after: String) {\n  me {\n    id\n    subject\n    personalAccessTokens(first: $first, after: $after) {\n      nodes {\n        ...AccessTokenSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyTokens($first: Int, $after: String) {\n  me {\n    id\n    personalAccessTokens(first: $first, after: $after) {\n      totalCount\n      nodes {\n        ...TokenDetails\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query MyTokens($first: Int, $after: String) {\n  me {\n    id\n    personalAccessTokens(first: $first, after: $after) {\n      totalCount\n      nodes {\n        ...TokenDetails\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RevokeAccessToken($id: ID!) {\n  revokeAccessToken(id: $id) {\n    ...AccessTokenSummary\n  }\n}"): (typeof documents)["mutation RevokeAccessToken($id: ID!) {\n  revokeAccessToken(id: $id) {\n    ...AccessTokenSummary\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RevokeAccessTokens($filter: AccessTokenFilter!) {\n  revokeAccessTokens(filter: $filter)\n}"): (typeof documents)["mutation RevokeAccessTokens($filter: AccessTokenFilter!) {\n  revokeAccessTokens(filter: $filter)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RotateAccessToken($id: ID!, $input: RotateAccessTokenInput) {\n  rotateAccessToken(id: $id, input: $input) {\n    token\n    accessToken {\n      ...TokenDetails\n    }\n  }\n}"): (typeof documents)["mutation RotateAccessToken($id: ID!, $input: RotateAccessTokenInput) {\n  rotateAccessToken(id: $id, input: $input) {\n    token\n    accessToken {\n      ...TokenDetails\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetAccessTokenEnabled($id: ID!, $enabled: Boolean!) {\n  updateAccessToken(id: $id, input: {enabled: $enabled}) {\n    ...TokenDetails\n  }\n}"): (typeof documents)["mutation SetAccessTokenEnabled($id: ID!, $enabled: Boolean!) {\n  updateAccessToken(id: $id, input: {enabled: $enabled}) {\n    ...TokenDetails\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TokenDetails on AccessToken {\n  id\n  name\n  status\n  enabled\n  disabledByAdministrator\n  personalAccessToken\n  creationDate\n  expirationDate\n  lastUsedDate\n  lastUsedIpAddress\n  recentIpAddresses {\n    ipAddress\n    lastUsedDate\n  }\n  scopes {\n    value\n    name\n  }\n  managementZones {\n    id\n    name\n  }\n  owner {\n    id\n    name\n  }\n}"): (typeof documents)["fragment TokenDetails on AccessToken {\n  id\n  name\n  status\n  enabled\n  disabledByAdministrator\n  personalAccessToken\n  creationDate\n  expirationDate\n  lastUsedDate\n  lastUsedIpAddress\n  recentIpAddresses {\n    ipAddress\n    lastUsedDate\n  }\n  scopes {\n    value\n    name\n  }\n  managementZones {\n    id\n    name\n  }\n  owner {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TokenEffectiveAccess($id: ID!) {\n  accessToken(id: $id) {\n    id\n    effectiveAccess {\n      allowed\n      reason\n      scope {\n        value\n        name\n        requiredPermission\n      }\n      managementZones {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query TokenEffectiveAccess($id: ID!) {\n  accessToken(id: $id) {\n    id\n    effectiveAccess {\n      allowed\n      reason\n      scope {\n        value\n        name\n        requiredPermission\n      }\n      managementZones {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TokenFormOptions {\n  scopes {\n    value\n    name\n    description\n    requiredPermission\n    managementZoneScoped\n    usableByMe\n  }\n  managementZones {\n    id\n    name\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n  }\n}"): (typeof documents)["query TokenFormOptions {\n  scopes {\n    value\n    name\n    description\n    requiredPermission\n    managementZoneScoped\n    usableByMe\n  }\n  managementZones {\n    id\n    name\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TokenInventory($filter: AccessTokenFilter, $orderBy: AccessTokenOrder, $first: Int, $after: String) {\n  accessTokens(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n    totalCount\n    nodes {\n      ...TokenDetails\n      owner {\n        id\n        name\n        subject\n        email\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query TokenInventory($filter: AccessTokenFilter, $orderBy: AccessTokenOrder, $first: Int, $after: String) {\n  accessTokens(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n    totalCount\n    nodes {\n      ...TokenDetails\n      owner {\n        id\n        name\n        subject\n        email\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateTokenPolicy($input: TokenPolicyInput!) {\n  updateTokenPolicy(input: $input) {\n    requireExpiration\n    maxLifetimeDays\n    updatedAt\n  }\n}"): (typeof documents)["mutation UpdateTokenPolicy($input: TokenPolicyInput!) {\n  updateTokenPolicy(input: $input) {\n    requireExpiration\n    maxLifetimeDays\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeactivateUser($id: ID!) {\n  deactivateUser(id: $id) {\n    id\n    active\n  }\n}\n\nmutation ReactivateUser($id: ID!) {\n  reactivateUser(id: $id) {\n    id\n    active\n  }\n}"): (typeof documents)["mutation DeactivateUser($id: ID!) {\n  deactivateUser(id: $id) {\n    id\n    active\n  }\n}\n\nmutation ReactivateUser($id: ID!) {\n  reactivateUser(id: $id) {\n    id\n    active\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  me {\n    id\n    subject\n    name\n    email\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  features {\n    feature\n    enabled\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n  }\n}"): (typeof documents)["query Viewer {\n  me {\n    id\n    subject\n    name\n    email\n    permissions {\n      permission\n      managementZone {\n        id\n        name\n      }\n    }\n  }\n  features {\n    feature\n    enabled\n  }\n  tokenPolicy {\n    requireExpiration\n    maxLifetimeDays\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;