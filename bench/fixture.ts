import { signSession } from '../src/auth/sign-in';
import { send } from './graphql-client';

/** The callers the cases use: the bootstrap admin and a user, signed in, and the user's PAT. */
export interface Actors {
  admin: string;
  user: string;
  userId: string;
  /** `Api-Token …` of a PAT of the user, with metrics.read and apiTokens.read; its owner holds VIEWER environment-wide. */
  pat: string;
}

export const BENCH_USER = 'bench-user';
export const PAT_SCOPES = ['metrics.read', 'apiTokens.read'];

export async function session(jwtSecret: string, subject: string): Promise<string> {
  return `Bearer ${await signSession(jwtSecret, { sub: subject, email: `${subject}@bench.invalid` })}`;
}

const CREATE_PAT = `mutation($input: CreatePersonalAccessTokenInput!) {
  createPersonalAccessToken(input: $input) { token accessToken { id } }
}`;

export async function createPat(url: string, authorization: string, name: string, scopes: string[]): Promise<string> {
  const { data } = await send<{ createPersonalAccessToken: { token: string } }>({
    url,
    authorization,
    query: CREATE_PAT,
    variables: { input: { name, scopes } },
  });
  return `Api-Token ${data.createPersonalAccessToken.token}`;
}

async function signIn(url: string, authorization: string): Promise<string> {
  const { data } = await send<{ me: { id: string } }>({ url, authorization, query: '{ me { id } }' });
  return data.me.id;
}

/** Through the API, as a client would: PATs on, a VIEWER group with the bench user in it, the user's PAT. */
export async function prepareActors(url: string, jwtSecret: string): Promise<Actors> {
  const admin = await session(jwtSecret, 'admin');
  const user = await session(jwtSecret, BENCH_USER);
  await send({ url, authorization: admin, query: 'mutation { enableFeature(feature: PERSONAL_ACCESS_TOKENS) { enabled } }' });
  const { data } = await send<{ createGroup: { id: string } }>({
    url,
    authorization: admin,
    query: 'mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }',
    variables: { input: { name: 'bench viewers', permissions: [{ permission: 'VIEWER' }] } },
  });
  const userId = await signIn(url, user);
  await send({
    url,
    authorization: admin,
    query: 'mutation($g: ID!, $u: ID!) { addGroupMember(groupId: $g, userId: $u) { id } }',
    variables: { g: data.createGroup.id, u: userId },
  });
  const pat = await createPat(url, user, 'bench PAT', PAT_SCOPES);
  return { admin, user, userId, pat };
}

/** `count` PATs spread over `owners` users, each with one to three scopes, created through the API. */
export async function seedTokensThroughApi(url: string, jwtSecret: string, count: number, owners: number): Promise<void> {
  const { data } = await send<{ scopes: { value: string }[] }>({
    url,
    authorization: await session(jwtSecret, 'admin'),
    query: '{ scopes { value } }',
  });
  const catalog = data.scopes.map((scope) => scope.value);
  const ownerSessions = await Promise.all(Array.from({ length: owners }, (_, i) => session(jwtSecret, `bench-owner-${i + 1}`)));
  // One worker per owner, so the owners' tokens interleave in time like real ones.
  await Promise.all(
    ownerSessions.map(async (authorization, owner) => {
      for (let i = owner; i < count; i += owners) {
        const scopes = [catalog[i % catalog.length], catalog[(i * 7 + 3) % catalog.length], catalog[(i * 13 + 5) % catalog.length]];
        await createPat(url, authorization, `seeded token ${i + 1}`, [...new Set(scopes.slice(0, 1 + (i % 3)))]);
      }
    }),
  );
}
