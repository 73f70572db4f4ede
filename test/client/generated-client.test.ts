import { print } from 'graphql';
import { GraphQLRequestError, createClient, patWalkthrough } from '../../client/example';
import { AuthorizeDocument, CreatePersonalAccessTokenDocument, MyPersonalAccessTokensDocument } from '../../client/generated/graphql';
import { TestService } from '../helpers/service';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
});
afterAll(() => service?.stop());

describe('the generated client, used as a frontend would', () => {
  it('sends each typed document as its printed operation, named as in client/operations', () => {
    expect(print(CreatePersonalAccessTokenDocument)).toMatch(/^mutation CreatePersonalAccessToken\(\$input: CreatePersonalAccessTokenInput!\)/);
    // The fragment travels with the operation that spreads it.
    expect(print(MyPersonalAccessTokensDocument)).toMatch(/fragment AccessTokenSummary on AccessToken/);
  });

  it('walks through a PAT\'s life: enable the feature, create, list, authorize, revoke', async () => {
    const admin = await service.admin();
    const alice = await service.user();
    const result = await patWalkthrough(
      createClient(service.url, admin.authorization),
      createClient(service.url, alice.authorization),
      (token) => createClient(service.url, `Api-Token ${token}`),
    );
    expect(result.tokenId).toMatch(/^dt0c01\.[A-Z2-7]{24}$/);
    expect(result.listed).toContain(result.tokenId);
    // Alice holds no permission yet: the token carries the scope, its owner lacks what the scope requires.
    expect(result.allowed).toBe(false);
    expect(result.statusAfterRevoke).toBe('REVOKED');
  });

  it('answers with the typed result of the document', async () => {
    const admin = await service.admin();
    const { authorize } = await createClient(service.url, admin.authorization).request(AuthorizeDocument, { scope: 'metrics.read' });
    expect(authorize.scope.value).toBe('metrics.read');
    expect(typeof authorize.allowed).toBe('boolean');
  });

  it('raises the service\'s error codes', async () => {
    const anonymous = createClient(service.url);
    const failure = await anonymous.request(MyPersonalAccessTokensDocument, {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphQLRequestError);
    expect((failure as GraphQLRequestError).codes).toEqual(['UNAUTHENTICATED']);
  });
});
