import type { Actors } from './fixture';
import type { GraphQLRequest } from './graphql-client';

export const SCOPES_QUERY = '{ scopes { value name description } }';

export const AUTHORIZE_QUERY = '{ authorize(scope: "metrics.read") { allowed reason managementZones { name } } }';

export const LIST_QUERY = `query($first: Int, $after: String) {
  accessTokens(first: $first, after: $after) {
    edges { cursor node { id name status personalAccessToken creationDate expirationDate owner { id subject email } scopes { value name } } }
    pageInfo { endCursor hasNextPage }
  }
}`;

export const CREATE_QUERY = `mutation($input: CreatePersonalAccessTokenInput!) {
  createPersonalAccessToken(input: $input) { token accessToken { id name status creationDate scopes { value } } }
}`;

export const ME_QUERY = '{ me { id } }';

export type CaseKey = 'a' | 'b' | 'c' | 'd' | 'e';

export interface ServiceCase {
  key: CaseKey;
  title: string;
  request: GraphQLRequest;
  /** Throws when an answer is not what the case is meant to measure. */
  check(data: any): void;
}

export const LIST_PAGE_SIZE = 50;

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`unexpected answer: ${what}`);
}

export function serviceCases(url: string, actors: Actors): ServiceCase[] {
  return [
    {
      key: 'a',
      title: 'scopes, sign-in (Bearer JWT)',
      request: { url, query: SCOPES_QUERY, authorization: actors.user },
      check: (data) => expect(data.scopes.length > 0, 'no scopes'),
    },
    {
      key: 'b',
      title: 'scopes, PAT',
      request: { url, query: SCOPES_QUERY, authorization: actors.pat },
      check: (data) => expect(data.scopes.length > 0, 'no scopes'),
    },
    {
      key: 'c',
      title: 'authorize(scope:), PAT',
      request: { url, query: AUTHORIZE_QUERY, authorization: actors.pat },
      check: (data) => expect(data.authorize.allowed === true, 'authorize did not allow'),
    },
    {
      key: 'd',
      title: `accessTokens(first: ${LIST_PAGE_SIZE}) +owners +scopes, admin`,
      request: { url, query: LIST_QUERY, variables: { first: LIST_PAGE_SIZE }, authorization: actors.admin },
      check: (data) => expect(data.accessTokens.edges.length === LIST_PAGE_SIZE, `a page of ${data.accessTokens.edges.length}`),
    },
    {
      key: 'e',
      title: 'createPersonalAccessToken, sign-in',
      request: {
        url,
        query: CREATE_QUERY,
        variables: { input: { name: 'bench created', scopes: ['metrics.read', 'entities.read'] } },
        authorization: actors.user,
      },
      check: (data) => expect(typeof data.createPersonalAccessToken.token === 'string', 'no token'),
    },
  ];
}
