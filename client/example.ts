// A frontend's use of the generated client: each operation in client/operations/ is a typed
// document, so variables and results are checked by the compiler against schema.graphql.
// Run it against a running service (TESSERA_URL when it is not at http://127.0.0.1:4000/graphql):
//   ADMIN_AUTHORIZATION="$(npm run --silent session -- --sub admin)" USER_AUTHORIZATION="$(npm run --silent session -- --sub alice)" npx ts-node client/example.ts
import { type Client, GraphQLRequestError, createClient } from './client';
import {
  AuthorizeDocument,
  CreatePersonalAccessTokenDocument,
  EnableFeatureDocument,
  MyPersonalAccessTokensDocument,
  RevokeAccessTokenDocument,
} from './generated/graphql';

export { type Client, GraphQLRequestError, createClient };

export interface WalkthroughResult {
  tokenId: string;
  listed: string[];
  allowed: boolean;
  statusAfterRevoke: string;
}

/**
 * The PAT life of one user, as a settings page would drive it: the admin turns the feature on,
 * the user creates a token, sees it in the list, another API asks whether it may use a scope,
 * and the user revokes it.
 */
export async function patWalkthrough(admin: Client, user: Client, asToken: (token: string) => Client): Promise<WalkthroughResult> {
  await admin.request(EnableFeatureDocument, { feature: 'PERSONAL_ACCESS_TOKENS' });
  const { createPersonalAccessToken: created } = await user.request(CreatePersonalAccessTokenDocument, {
    input: { name: 'example', scopes: ['metrics.read'] },
  });
  const { me } = await user.request(MyPersonalAccessTokensDocument, { first: 20 });
  const { authorize } = await asToken(created.token).request(AuthorizeDocument, { scope: 'metrics.read' });
  const { revokeAccessToken } = await user.request(RevokeAccessTokenDocument, { id: created.accessToken.id });
  return {
    tokenId: created.accessToken.id,
    listed: me.personalAccessTokens.nodes.map((token) => token.id),
    allowed: authorize.allowed,
    statusAfterRevoke: revokeAccessToken.status,
  };
}

if (require.main === module) {
  const url = process.env.TESSERA_URL ?? 'http://127.0.0.1:4000/graphql';
  // Takes the header value, or the whole line `npm run session` prints.
  const header = (line: string | undefined) => line?.replace(/^Authorization:\s*/i, '').trim();
  const adminAuthorization = header(process.env.ADMIN_AUTHORIZATION);
  const userAuthorization = header(process.env.USER_AUTHORIZATION);
  if (!adminAuthorization || !userAuthorization) {
    process.stderr.write('Set ADMIN_AUTHORIZATION and USER_AUTHORIZATION (e.g. from `npm run session -- --sub alice`)\n');
    process.exit(2);
  }
  patWalkthrough(createClient(url, adminAuthorization), createClient(url, userAuthorization), (token) => createClient(url, `Api-Token ${token}`))
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    });
}
