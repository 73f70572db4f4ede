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
    "query Authorize($scope: ID!, $managementZoneId: ID) {\n  authorize(scope: $scope, managementZoneId: $managementZoneId) {\n    allowed\n    reason\n    scope {\n      value\n    }\n    managementZones {\n      id\n      name\n    }\n  }\n}": typeof types.AuthorizeDocument,
    "mutation CreatePersonalAccessToken($input: CreatePersonalAccessTokenInput!) {\n  createPersonalAccessToken(input: $input) {\n    token\n    accessToken {\n      ...AccessTokenSummary\n    }\n  }\n}": typeof types.CreatePersonalAccessTokenDocument,
    "mutation EnableFeature($feature: Feature!) {\n  enableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}": typeof types.EnableFeatureDocument,
    "query MyPersonalAccessTokens($first: Int, $after: String) {\n  me {\n    id\n    subject\n    personalAccessTokens(first: $first, after: $after) {\n      nodes {\n        ...AccessTokenSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.MyPersonalAccessTokensDocument,
    "mutation RevokeAccessToken($id: ID!) {\n  revokeAccessToken(id: $id) {\n    ...AccessTokenSummary\n  }\n}": typeof types.RevokeAccessTokenDocument,
};
const documents: Documents = {
    "fragment AccessTokenSummary on AccessToken {\n  id\n  name\n  status\n  personalAccessToken\n  creationDate\n  expirationDate\n  lastUsedDate\n  scopes {\n    value\n  }\n}": types.AccessTokenSummaryFragmentDoc,
    "query Authorize($scope: ID!, $managementZoneId: ID) {\n  authorize(scope: $scope, managementZoneId: $managementZoneId) {\n    allowed\n    reason\n    scope {\n      value\n    }\n    managementZones {\n      id\n      name\n    }\n  }\n}": types.AuthorizeDocument,
    "mutation CreatePersonalAccessToken($input: CreatePersonalAccessTokenInput!) {\n  createPersonalAccessToken(input: $input) {\n    token\n    accessToken {\n      ...AccessTokenSummary\n    }\n  }\n}": types.CreatePersonalAccessTokenDocument,
    "mutation EnableFeature($feature: Feature!) {\n  enableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}": types.EnableFeatureDocument,
    "query MyPersonalAccessTokens($first: Int, $after: String) {\n  me {\n    id\n    subject\n    personalAccessTokens(first: $first, after: $after) {\n      nodes {\n        ...AccessTokenSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.MyPersonalAccessTokensDocument,
    "mutation RevokeAccessToken($id: ID!) {\n  revokeAccessToken(id: $id) {\n    ...AccessTokenSummary\n  }\n}": types.RevokeAccessTokenDocument,
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
export function graphql(source: "query Authorize($scope: ID!, $managementZoneId: ID) {\n  authorize(scope: $scope, managementZoneId: $managementZoneId) {\n    allowed\n    reason\n    scope {\n      value\n    }\n    managementZones {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query Authorize($scope: ID!, $managementZoneId: ID) {\n  authorize(scope: $scope, managementZoneId: $managementZoneId) {\n    allowed\n    reason\n    scope {\n      value\n    }\n    managementZones {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreatePersonalAccessToken($input: CreatePersonalAccessTokenInput!) {\n  createPersonalAccessToken(input: $input) {\n    token\n    accessToken {\n      ...AccessTokenSummary\n    }\n  }\n}"): (typeof documents)["mutation CreatePersonalAccessToken($input: CreatePersonalAccessTokenInput!) {\n  createPersonalAccessToken(input: $input) {\n    token\n    accessToken {\n      ...AccessTokenSummary\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation EnableFeature($feature: Feature!) {\n  enableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}"): (typeof documents)["mutation EnableFeature($feature: Feature!) {\n  enableFeature(feature: $feature) {\n    feature\n    enabled\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyPersonalAccessTokens($first: Int, $after: String) {\n  me {\n    id\n    subject\n    personalAccessTokens(first: $first, after: $after) {\n      nodes {\n        ...AccessTokenSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query MyPersonalAccessTokens($first: Int, $after: String) {\n  me {\n    id\n    subject\n    personalAccessTokens(first: $first, after: $after) {\n      nodes {\n        ...AccessTokenSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RevokeAccessToken($id: ID!) {\n  revokeAccessToken(id: $id) {\n    ...AccessTokenSummary\n  }\n}"): (typeof documents)["mutation RevokeAccessToken($id: ID!) {\n  revokeAccessToken(id: $id) {\n    ...AccessTokenSummary\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;