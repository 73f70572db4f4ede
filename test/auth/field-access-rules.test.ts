import { codes, expectForbidden } from '../helpers/expectations';
import { ADD_MEMBER, REMOVE_MEMBER, SET_PERMISSIONS, unique } from '../helpers/operations';
import { type Actor, type GraphQLResponse, TestService } from '../helpers/service';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
});
afterAll(() => service?.stop());

type Operation = 'groups' | 'createManagementZone' | 'accessTokens' | 'createPersonalAccessToken' | 'me.personalAccessTokens';

/** What a call came to: answered, or refused with this code and these extensions. */
type Outcome = 'ok' | { code: string; requiredScope: string | null; requiredPermission: string | null };

const OPERATIONS: Record<Operation, () => { query: string; variables: Record<string, unknown> }> = {
  groups: () => ({ query: '{ groups { id } }', variables: {} }),
  createManagementZone: () => ({
    query: 'mutation($name: String!) { createManagementZone(name: $name) { id name } }',
    variables: { name: unique('zone') },
  }),
  accessTokens: () => ({ query: '{ accessTokens { totalCount } }', variables: {} }),
  createPersonalAccessToken: () => ({
    query: `mutation($input: CreatePersonalAccessTokenInput!) {
      createPersonalAccessToken(input: $input) { token accessToken { id personalAccessToken } } }`,
    // A scope every PAT "carrying the scopes" holds: a token creates no token with scopes it lacks.
    variables: { input: { name: unique('pat'), scopes: ['apiTokens.read'] } },
  }),
  'me.personalAccessTokens': () => ({ query: '{ me { id personalAccessTokens { totalCount } } }', variables: {} }),
};

const ALL_SCOPES = ['settings.read', 'settings.write', 'apiTokens.read', 'apiTokens.write'];
const OTHER_SCOPES = ['metrics.read'];

function outcome(response: GraphQLResponse): Outcome {
  if (!response.errors?.length) {
    expect(response.data).toBeTruthy();
    return 'ok';
  }
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors;
  return {
    code: error.extensions.code,
    requiredScope: (error.extensions.requiredScope as string | undefined) ?? null,
    requiredPermission: (error.extensions.requiredPermission as string | undefined) ?? null,
  };
}

function forbidden(requiredScope: string | null, requiredPermission: string | null): Outcome {
  return { code: 'FORBIDDEN', requiredScope, requiredPermission };
}

async function run(operation: Operation, authorization: string): Promise<GraphQLResponse> {
  const { query, variables } = OPERATIONS[operation]();
  const response = await service.request(query, variables, authorization);
  expect(response.status).toBe(200);
  return response;
}

async function grantAdmin(actor: Actor): Promise<string> {
  return service.grant(actor, { permission: 'ADMIN' });
}

interface CallerKind {
  name: string;
  make(): Promise<string>;
  expected: Record<Operation, Outcome>;
}

const ANSWERS_ALL: Record<Operation, Outcome> = {
  groups: 'ok',
  createManagementZone: 'ok',
  accessTokens: 'ok',
  createPersonalAccessToken: 'ok',
  'me.personalAccessTokens': 'ok',
};

/** The admin fields need ADMIN; the rest answers. */
const ANSWERS_ALL_BUT_ADMIN_FIELDS: Record<Operation, Outcome> = {
  groups: forbidden(null, 'ADMIN'),
  createManagementZone: forbidden(null, 'ADMIN'),
  accessTokens: 'ok',
  createPersonalAccessToken: 'ok',
  'me.personalAccessTokens': 'ok',
};

/** Every field refused for want of its scope, the admin fields also naming `permission` when the caller lacks it. */
function refusedForScopes(permission: string | null): Record<Operation, Outcome> {
  return {
    groups: forbidden('settings.read', permission),
    createManagementZone: forbidden('settings.write', permission),
    accessTokens: forbidden('apiTokens.read', null),
    createPersonalAccessToken: forbidden('apiTokens.write', null),
    'me.personalAccessTokens': forbidden('apiTokens.read', null),
  };
}

const CALLERS: CallerKind[] = [
  {
    name: 'a signed-in user without groups',
    make: async () => (await service.user()).authorization,
    expected: ANSWERS_ALL_BUT_ADMIN_FIELDS,
  },
  {
    name: 'the signed-in admin',
    make: async () => (await service.admin()).authorization,
    expected: ANSWERS_ALL,
  },
  {
    name: 'a signed-in user granted ADMIN through a group',
    make: async () => {
      const user = await service.user();
      await grantAdmin(user);
      return user.authorization;
    },
    expected: ANSWERS_ALL,
  },
  {
    name: "the admin's PAT carrying the scopes",
    make: async () => (await service.createPat(await service.admin(), ALL_SCOPES)).authorization,
    expected: ANSWERS_ALL,
  },
  {
    name: "the admin's PAT without the scopes",
    make: async () => (await service.createPat(await service.admin(), OTHER_SCOPES)).authorization,
    expected: refusedForScopes(null),
  },
  {
    name: 'the PAT of an owner granted ADMIN, carrying the scopes',
    make: async () => {
      const user = await service.user();
      await grantAdmin(user);
      return (await service.createPat(user, ALL_SCOPES)).authorization;
    },
    expected: ANSWERS_ALL,
  },
  {
    name: 'the PAT of an owner without the permission, carrying the scopes',
    make: async () => (await service.createPat(await service.user(), ALL_SCOPES)).authorization,
    expected: ANSWERS_ALL_BUT_ADMIN_FIELDS,
  },
  {
    name: 'the PAT of an owner without the permission, without the scopes',
    make: async () => (await service.createPat(await service.user(), OTHER_SCOPES)).authorization,
    expected: refusedForScopes('ADMIN'),
  },
  {
    name: 'the PAT of an owner holding MANAGE_SETTINGS (not ADMIN), carrying the scopes',
    make: async () => {
      const user = await service.user();
      await service.grant(user, { permission: 'MANAGE_SETTINGS' }, { permission: 'MANAGE_SECURITY_PROBLEMS' }, { permission: 'VIEWER' });
      return (await service.createPat(user, ALL_SCOPES)).authorization;
    },
    expected: ANSWERS_ALL_BUT_ADMIN_FIELDS,
  },
  {
    name: 'a classic API token without the scopes',
    make: async () => (await service.createApiToken(OTHER_SCOPES)).authorization,
    expected: refusedForScopes(null),
  },
];

describe('field access rules, per kind of caller', () => {
  beforeEach(() => service.setFeature(true));

  it.each(CALLERS.map((caller) => [caller.name, caller] as const))('%s', async (_name, caller) => {
    const authorization = await caller.make();
    const actual: Partial<Record<Operation, Outcome>> = {};
    for (const operation of Object.keys(OPERATIONS) as Operation[]) {
      actual[operation] = outcome(await run(operation, authorization));
    }
    expect(actual).toEqual(caller.expected);
  });

  it('a classic API token carrying the scopes answers every admin field, but cannot create a PAT', async () => {
    const { authorization } = await service.createApiToken(ALL_SCOPES);
    for (const operation of ['groups', 'createManagementZone', 'accessTokens', 'me.personalAccessTokens'] as const) {
      expect([operation, outcome(await run(operation, authorization))]).toEqual([operation, 'ok']);
    }
    // A PAT is created by its owner; a classic token is nobody's session. It carries apiTokens.write,
    // so the refusal must not claim that scope is missing.
    const refused = await run('createPersonalAccessToken', authorization);
    expectForbidden(refused);
    expect(refused.errors![0].extensions.requiredScope).toBeUndefined();
    expect(refused.data?.createPersonalAccessToken ?? null).toBeNull();
  });

  it('a classic API token is checked on its scope alone: it keeps working after its creator loses ADMIN', async () => {
    const creator = await service.user();
    const groupId = await grantAdmin(creator);
    const classic = (await service.createApiToken(['settings.read', 'apiTokens.read'], { by: creator })).authorization;
    const pat = await service.createPat(creator, ['settings.read', 'apiTokens.read']);
    expect(outcome(await run('groups', classic))).toBe('ok');
    expect(outcome(await run('groups', pat.authorization))).toBe('ok');

    const admin = await service.admin();
    await service.ok(
      REMOVE_MEMBER,
      { g: groupId, u: creator.userId },
      admin.authorization,
    );
    expect(outcome(await run('groups', classic))).toBe('ok');
    expect(outcome(await run('groups', pat.authorization))).toEqual(forbidden(null, 'ADMIN'));
    expect(outcome(await run('groups', creator.authorization))).toEqual(forbidden(null, 'ADMIN'));
  });

  it('without credentials every rule-guarded field is UNAUTHENTICATED with HTTP 200', async () => {
    for (const operation of Object.keys(OPERATIONS) as Operation[]) {
      const { query, variables } = OPERATIONS[operation]();
      const response = await service.request(query, variables);
      expect([operation, response.status, codes(response)]).toEqual([operation, 200, ['UNAUTHENTICATED']]);
    }
  });
});

describe('permissions are checked at every use of a PAT', () => {
  beforeEach(() => service.setFeature(true));

  it('a PAT carrying settings.read reads groups from the very next request after its owner is granted ADMIN', async () => {
    const user = await service.user();
    const pat = await service.createPat(user, ['settings.read']);
    expect(outcome(await run('groups', pat.authorization))).toEqual(forbidden(null, 'ADMIN'));

    const groupId = await grantAdmin(user);
    const after = await run('groups', pat.authorization);
    expect(outcome(after)).toBe('ok');
    expect(after.data.groups.map((group: { id: string }) => group.id)).toContain(groupId);
  });

  it('removing the owner from the group takes effect on the next request, and adding it back too', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const pat = await service.createPat(user, ['settings.read']);
    const groupId = await grantAdmin(user);
    expect(outcome(await run('groups', pat.authorization))).toBe('ok');

    await service.ok(REMOVE_MEMBER, { g: groupId, u: user.userId }, admin.authorization);
    expect(outcome(await run('groups', pat.authorization))).toEqual(forbidden(null, 'ADMIN'));
    expect(outcome(await run('groups', user.authorization))).toEqual(forbidden(null, 'ADMIN'));

    await service.ok(ADD_MEMBER, { g: groupId, u: user.userId }, admin.authorization);
    expect(outcome(await run('groups', pat.authorization))).toBe('ok');
  });

  it('setGroupPermissions([]) takes effect on the next request', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const pat = await service.createPat(user, ['settings.read', 'settings.write']);
    const groupId = await grantAdmin(user);
    expect(outcome(await run('createManagementZone', pat.authorization))).toBe('ok');

    await service.ok(SET_PERMISSIONS, { g: groupId, p: [] }, admin.authorization);
    expect(outcome(await run('groups', pat.authorization))).toEqual(forbidden(null, 'ADMIN'));
    expect(outcome(await run('createManagementZone', pat.authorization))).toEqual(forbidden(null, 'ADMIN'));

    await service.ok(SET_PERMISSIONS, { g: groupId, p: [{ permission: 'ADMIN' }] }, admin.authorization);
    expect(outcome(await run('groups', pat.authorization))).toBe('ok');
  });

  it('ADMIN held in one management zone only does not satisfy an environment-wide rule', async () => {
    const user = await service.user();
    const zoneId = await service.createZone();
    await service.grant(user, { permission: 'ADMIN', managementZoneId: zoneId });
    const pat = await service.createPat(user, ['settings.read']);
    expect(outcome(await run('groups', pat.authorization))).toEqual(forbidden(null, 'ADMIN'));
    expect(outcome(await run('groups', user.authorization))).toEqual(forbidden(null, 'ADMIN'));
  });

  it('scopes are not filtered at creation: a PAT with hub.install is created for an owner without ADMIN', async () => {
    const user = await service.user();
    const { me } = await service.ok('{ me { permissions { permission } } }', {}, user.authorization);
    expect(me.permissions).toEqual([]);

    const pat = await service.createPat(user, ['hub.install', 'settings.write', 'attacks.write', 'apiTokens.read']);
    const token = await service.token(pat.id, user.authorization);
    expect(token.personalAccessToken).toBe(true);
    expect(token.owner.id).toBe(user.userId);
    expect(token.scopes.map((scope: { value: string }) => scope.value).sort()).toEqual(
      ['apiTokens.read', 'attacks.write', 'hub.install', 'settings.write'].sort(),
    );
    // ... but using it is checked against the owner's permission.
    const decision = await service.ok('{ authorize(scope: "hub.install") { allowed reason } }', {}, pat.authorization);
    expect(decision.authorize).toEqual({ allowed: false, reason: 'MISSING_PERMISSION' });
  });

  it('scopes are not filtered at creation: a user without groups may create a PAT with every scope', async () => {
    const user = await service.user();
    const { scopes } = await service.ok('{ scopes { value } }', {}, user.authorization);
    const values = scopes.map((scope: { value: string }) => scope.value);
    expect(values.length).toBeGreaterThan(0);
    const pat = await service.createPat(user, values);
    const token = await service.token(pat.id, user.authorization);
    expect(token.scopes.map((scope: { value: string }) => scope.value).sort()).toEqual([...values].sort());
  });
});
