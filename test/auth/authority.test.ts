import { codes, expectAccepted, expectBadInput, expectForbidden, expectRefused } from '../helpers/expectations';
import { CREATE_API_TOKEN, CREATE_PAT, DELETE_TOKEN, REMOVE_MEMBER, REVOKE, ROTATE, TOKEN, UPDATE_TOKEN } from '../helpers/operations';
import { type Actor, type CreatedToken, type GraphQLResponse, TestService } from '../helpers/service';
import { inDays, untilPast } from '../helpers/time';

/**
 * Issue 10: no caller ever gains what it was not given. Each block is an attack that worked
 * before; every mutation is tried as another user, as an admin, as a narrower token and as a
 * secret in its grace period.
 */
let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

async function scopesOf(id: string): Promise<string[]> {
  return (await service.token(id)).scopes.map((scope: { value: string }) => scope.value);
}

/** A user holding ADMIN through a group of its own; returns the group, so the test can take ADMIN away. */
async function adminUser(): Promise<{ actor: Actor; groupId: string }> {
  const actor = await service.user();
  const groupId = await service.grant(actor, { permission: 'ADMIN' });
  return { actor, groupId };
}

describe('classic API tokens belong to the environment, not to whoever created them', () => {
  it('a former admin can no longer see, change, rotate, disable, revoke or delete the classic token it created', async () => {
    const { actor: former, groupId } = await adminUser();
    const classic = await service.createApiToken(['metrics.read'], { by: former });
    const formerPat = await service.createPat(former, ['apiTokens.read', 'apiTokens.write']);
    const admin = await service.admin();
    await service.ok(REMOVE_MEMBER, { g: groupId, u: former.userId }, admin.authorization);

    for (const authorization of [former.authorization, formerPat.authorization]) {
      const attempts = [
        service.request(UPDATE_TOKEN, { id: classic.id, input: { scopes: ['metrics.read', 'settings.write'] } }, authorization),
        service.request(UPDATE_TOKEN, { id: classic.id, input: { enabled: false } }, authorization),
        service.request(ROTATE, { id: classic.id }, authorization),
        service.request(REVOKE, { id: classic.id }, authorization),
        service.request(DELETE_TOKEN, { id: classic.id }, authorization),
        service.request(TOKEN, { id: classic.id }, authorization),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(codes(response)).toEqual(['NOT_FOUND']);
      }
      const listed = await service.ok('{ accessTokens(first: 100) { nodes { id } } }', {}, authorization);
      expect(listed.accessTokens.nodes.map((node: { id: string }) => node.id)).not.toContain(classic.id);
    }
    // Nor its audit entries: they are the environment's, for administrators.
    expect(await service.auditEvents(former.authorization, { targetId: classic.id })).toEqual([]);
    expect((await service.auditEvents((await service.admin()).authorization, { targetId: classic.id })).map((event) => event.action)).toEqual(['TOKEN_CREATED']);
    // Nothing changed: the token still works with its one scope, and the former admin is not back in the group.
    expect(await scopesOf(classic.id)).toEqual(['metrics.read']);
    expect((await service.token(classic.id)).status).toBe('ACTIVE');
    const stillAdmin = await service.request('{ users { id } }', {}, former.authorization);
    expectForbidden(stillAdmin);
  });

  it('an admin session, an admin\'s PAT and a classic token with apiTokens.write manage classic tokens', async () => {
    const { actor: otherAdmin } = await adminUser();
    const classic = await service.createApiToken(['metrics.read'], { by: otherAdmin });
    const admin = await service.admin();
    const adminPat = await service.createPat(admin, ['apiTokens.write', 'metrics.read', 'metrics.write']);
    const manager = await service.createApiToken(['apiTokens.write', 'metrics.read', 'metrics.write']);

    await service.ok(UPDATE_TOKEN, { id: classic.id, input: { scopes: ['metrics.read', 'metrics.write'] } }, adminPat.authorization);
    await service.ok(UPDATE_TOKEN, { id: classic.id, input: { name: 'renamed by a classic token' } }, manager.authorization);
    const rotated = await service.ok(ROTATE, { id: classic.id }, manager.authorization);
    expect(rotated.rotateAccessToken.accessToken.status).toBe('ACTIVE');
    await service.ok('{ me { id } }', {}, `Api-Token ${rotated.rotateAccessToken.token}`);
    await service.ok(UPDATE_TOKEN, { id: classic.id, input: { enabled: false } }, admin.authorization);
    await service.ok(REVOKE, { id: classic.id }, adminPat.authorization);
    expect(await service.ok(DELETE_TOKEN, { id: classic.id }, manager.authorization)).toEqual({ deleteAccessToken: classic.id });
  });
});

describe('nobody but its owner obtains a secret of a PAT', () => {
  it('an admin session cannot rotate another user\'s PAT, and is told to revoke it instead', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['metrics.read']);
    const admin = await service.admin();
    const response = expectForbidden(await service.request(ROTATE, { id: pat.id }, admin.authorization));
    expect(response.errors![0].message).toMatch(/revoke/i);
    expect(response.data).toBeNull();
    await expectAccepted(service, pat.authorization, owner.userId);
  });

  it('a classic token with apiTokens.write cannot rotate a PAT, even the bootstrap admin\'s', async () => {
    const admin = await service.admin();
    const adminPat = await service.createPat(admin, ['settings.write', 'apiTokens.write']);
    const classic = await service.createApiToken(['apiTokens.write', 'apiTokens.read', 'settings.write']);
    expectForbidden(await service.request(ROTATE, { id: adminPat.id }, classic.authorization));
    const { actor: otherAdmin } = await adminUser();
    expectForbidden(await service.request(ROTATE, { id: adminPat.id }, otherAdmin.authorization));
    await expectAccepted(service, adminPat.authorization, admin.userId);
  });

  it('an admin cannot rename another user\'s PAT or change its scopes, but may disable, revoke and delete it', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['metrics.read'], { name: 'owner name' });
    const admin = await service.admin();
    expectForbidden(await service.request(UPDATE_TOKEN, { id: pat.id, input: { scopes: ['metrics.read', 'settings.write'] } }, admin.authorization));
    expectForbidden(await service.request(UPDATE_TOKEN, { id: pat.id, input: { name: 'admin name' } }, admin.authorization));
    expect(await service.token(pat.id)).toMatchObject({ name: 'owner name', scopes: [{ value: 'metrics.read' }] });

    const disabled = await service.ok(UPDATE_TOKEN, { id: pat.id, input: { enabled: false } }, admin.authorization);
    expect(disabled.updateAccessToken).toMatchObject({ status: 'DISABLED', disabledByAdministrator: true });
    expect((await service.ok(REVOKE, { id: pat.id }, admin.authorization)).revokeAccessToken.status).toBe('REVOKED');
    expect((await service.ok(DELETE_TOKEN, { id: pat.id }, admin.authorization)).deleteAccessToken).toBe(pat.id);
  });

  it('the owner rotates its PAT signed in, or with one of its own tokens that holds at least as much', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['metrics.read']);
    const rotated = await service.ok(ROTATE, { id: pat.id }, owner.authorization);
    const manager = await service.createPat(owner, ['apiTokens.write', 'metrics.read']);
    const again = await service.ok(ROTATE, { id: pat.id }, manager.authorization);
    await expectAccepted(service, `Api-Token ${again.rotateAccessToken.token}`, owner.userId);
    await expectRefused(service, `Api-Token ${rotated.rotateAccessToken.token}`);
  });
});

describe('a token produces nothing beyond what it holds', () => {
  it('a PAT cannot add scopes to itself', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['apiTokens.write', 'metrics.read']);
    const response = expectForbidden(await service.request(UPDATE_TOKEN, { id: pat.id, input: { scopes: ['apiTokens.write', 'metrics.read', 'settings.write'] } }, pat.authorization));
    expect(response.errors![0].extensions).toMatchObject({ requiredScope: 'settings.write' });
    expect(response.errors![0].message).toContain('settings.write');
    expect(await scopesOf(pat.id)).toEqual(['apiTokens.write', 'metrics.read']);
    // Narrowing itself is fine.
    await service.ok(UPDATE_TOKEN, { id: pat.id, input: { scopes: ['apiTokens.write'] } }, pat.authorization);
  });

  it('a PAT cannot create a PAT with a scope it lacks', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['apiTokens.write', 'metrics.read']);
    const response = expectForbidden(await service.request(CREATE_PAT, { input: { name: 'wider', scopes: ['metrics.read', 'events.read'] } }, pat.authorization));
    expect(response.errors![0].extensions).toMatchObject({ requiredScope: 'events.read' });
    const created = await service.ok(CREATE_PAT, { input: { name: 'narrower', scopes: ['metrics.read'] } }, pat.authorization);
    expect(created.createPersonalAccessToken.accessToken.status).toBe('ACTIVE');
  });

  it('a PAT cannot widen, enable or rotate another PAT of its owner that reaches further', async () => {
    const owner = await service.user();
    const narrow = await service.createPat(owner, ['apiTokens.write', 'metrics.read']);
    const sibling = await service.createPat(owner, ['metrics.read']);
    const broader = await service.createPat(owner, ['apiTokens.write', 'metrics.read', 'settings.write']);

    expectForbidden(await service.request(UPDATE_TOKEN, { id: sibling.id, input: { scopes: ['metrics.read', 'settings.write'] } }, narrow.authorization));
    expect(await scopesOf(sibling.id)).toEqual(['metrics.read']);

    const rotation = expectForbidden(await service.request(ROTATE, { id: broader.id }, narrow.authorization));
    expect(rotation.errors![0].extensions).toMatchObject({ requiredScope: 'settings.write' });
    await expectAccepted(service, broader.authorization, owner.userId);

    await service.ok(UPDATE_TOKEN, { id: broader.id, input: { enabled: false } }, owner.authorization);
    expectForbidden(await service.request(UPDATE_TOKEN, { id: broader.id, input: { enabled: true } }, narrow.authorization));
    expect((await service.token(broader.id)).status).toBe('DISABLED');

    // Narrowing actions stay open to it: disabling, revoking, renaming a sibling it could not rotate.
    await service.ok(UPDATE_TOKEN, { id: broader.id, input: { name: 'renamed' } }, narrow.authorization);
    await service.ok(REVOKE, { id: broader.id }, narrow.authorization);
  });

  it('a zone-restricted PAT only creates PATs restricted to some of its zones', async () => {
    const owner = await service.user();
    const [east, west] = [await service.createZone(), await service.createZone()];
    const restricted = await service.createPat(owner, ['apiTokens.write', 'entities.read'], { managementZoneIds: [east] });

    const unrestricted = expectForbidden(await service.request(CREATE_PAT, { input: { name: 'everywhere', scopes: ['entities.read'] } }, restricted.authorization));
    expect(unrestricted.errors![0].extensions.field).toBe('managementZoneIds');
    expectForbidden(await service.request(CREATE_PAT, { input: { name: 'west', scopes: ['entities.read'], managementZoneIds: [east, west] } }, restricted.authorization));
    const inside = await service.ok(CREATE_PAT, { input: { name: 'east', scopes: ['entities.read'], managementZoneIds: [east] } }, restricted.authorization);
    expect(inside.createPersonalAccessToken.accessToken.managementZones.map((zone: { id: string }) => zone.id)).toEqual([east]);

    // Nor rotates an unrestricted sibling.
    const open = await service.createPat(owner, ['entities.read']);
    expectForbidden(await service.request(ROTATE, { id: open.id }, restricted.authorization));
  });

  it('a PAT expiring tomorrow creates nothing that outlives it, and cannot extend itself by rotating', async () => {
    const owner = await service.user();
    const expiresAt = inDays(1);
    const pat = await service.createPat(owner, ['apiTokens.write', 'metrics.read'], { expirationDate: expiresAt });

    const forever = expectForbidden(await service.request(CREATE_PAT, { input: { name: 'forever', scopes: ['metrics.read'] } }, pat.authorization));
    expect(forever.errors![0].extensions.field).toBe('expirationDate');
    expectForbidden(await service.request(CREATE_PAT, { input: { name: 'later', scopes: ['metrics.read'], expirationDate: inDays(2) } }, pat.authorization));
    await service.ok(CREATE_PAT, { input: { name: 'sooner', scopes: ['metrics.read'], expirationDate: inDays(0.5) } }, pat.authorization);

    const extended = expectForbidden(await service.request(ROTATE, { id: pat.id, input: { expirationDate: inDays(30) } }, pat.authorization));
    expect(extended.errors![0].extensions.field).toBe('expirationDate');
    // A rotation that keeps (or shortens) its life is fine.
    const rotated = await service.ok(ROTATE, { id: pat.id, input: { expirationDate: inDays(0.5) } }, pat.authorization);
    expect(rotated.rotateAccessToken.accessToken.status).toBe('ACTIVE');

    // Signed in, the owner is bound only by the expiry policy.
    await service.ok(ROTATE, { id: pat.id, input: { expirationDate: inDays(30) } }, owner.authorization);
  });

  it('a classic token cannot add scopes to itself nor create a classic token wider than itself', async () => {
    const classic = await service.createApiToken(['apiTokens.write', 'metrics.read']);
    expectForbidden(await service.request(UPDATE_TOKEN, { id: classic.id, input: { scopes: ['apiTokens.write', 'metrics.read', 'settings.write'] } }, classic.authorization));
    expect(await scopesOf(classic.id)).toEqual(['apiTokens.write', 'metrics.read']);
    expectForbidden(await service.request(CREATE_API_TOKEN, { input: { name: 'wider', scopes: ['settings.write'] } }, classic.authorization));
    const narrower = await service.ok(CREATE_API_TOKEN, { input: { name: 'narrower', scopes: ['metrics.read'] } }, classic.authorization);
    expect(narrower.createApiToken.accessToken.personalAccessToken).toBe(false);
  });

  it('an admin\'s narrow PAT cannot rotate a wider classic token', async () => {
    const admin = await service.admin();
    const narrow = await service.createPat(admin, ['apiTokens.write']);
    const wide = await service.createApiToken(['settings.write']);
    expectForbidden(await service.request(ROTATE, { id: wide.id }, narrow.authorization));
    await service.ok('{ me { id } }', {}, wide.authorization);
  });
});

describe('a secret in its grace period only reads', () => {
  it('authenticates queries, and no mutation: update, rotate, revoke, delete, create, bulk revoke', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['apiTokens.read', 'apiTokens.write', 'metrics.read']);
    const other = await service.createPat(owner, ['metrics.read']);
    const { rotateAccessToken } = await service.ok(ROTATE, { id: pat.id, input: { gracePeriodSeconds: 3600 } }, owner.authorization);
    const current = `Api-Token ${rotateAccessToken.token}`;
    const old = pat.authorization;

    expect((await service.ok(TOKEN, { id: pat.id }, old)).accessToken.status).toBe('ACTIVE');
    const attempts = await Promise.all([
      service.request(UPDATE_TOKEN, { id: pat.id, input: { name: 'renamed with the old secret' } }, old),
      service.request(ROTATE, { id: pat.id }, old),
      service.request(UPDATE_TOKEN, { id: other.id, input: { enabled: false } }, old),
      service.request(REVOKE, { id: other.id }, old),
      service.request(DELETE_TOKEN, { id: other.id }, old),
      service.request(CREATE_PAT, { input: { name: 'from the old secret', scopes: ['metrics.read'] } }, old),
      service.request('mutation { revokeAccessTokens(filter: { nameContains: "test" }) }', {}, old),
    ]);
    for (const attempt of attempts) {
      expectForbidden(attempt);
      expect(attempt.errors![0].message).toMatch(/grace/i);
    }

    // Nothing changed, and the owner's current secret still works: no false reuse detection.
    expect(await service.token(pat.id)).toMatchObject({ name: 'test token', status: 'ACTIVE' });
    expect((await service.token(other.id)).status).toBe('ACTIVE');
    await expectAccepted(service, current, owner.userId);
    await service.ok(UPDATE_TOKEN, { id: pat.id, input: { name: 'renamed with the new secret' } }, current);
  });
});

describe('EXPIRED and REVOKED are final', () => {
  async function expiredPat(owner: Actor): Promise<CreatedToken> {
    const expiresAt = new Date(Date.now() + 1500);
    const pat = await service.createPat(owner, ['metrics.read'], { expirationDate: expiresAt.toISOString() });
    await untilPast(expiresAt);
    expect((await service.token(pat.id)).status).toBe('EXPIRED');
    return pat;
  }

  it('an expired token is not brought back by a rotation with a new expirationDate, nor by an update', async () => {
    const owner = await service.user();
    const pat = await expiredPat(owner);
    const admin = await service.admin();
    for (const authorization of [owner.authorization, admin.authorization]) {
      const rotation = await service.request(ROTATE, { id: pat.id, input: { expirationDate: inDays(30) } }, authorization);
      expect(codes(rotation)).not.toEqual([]);
    }
    const rotation = await service.request(ROTATE, { id: pat.id, input: { expirationDate: inDays(30) } }, owner.authorization);
    expectBadInput(rotation, 'id');
    for (const input of [{ name: 'new name' }, { enabled: false }, { scopes: ['metrics.write'] }]) {
      expect(codes(await service.request(UPDATE_TOKEN, { id: pat.id, input }, owner.authorization))).toEqual(['BAD_USER_INPUT']);
    }
    expect(await service.token(pat.id)).toMatchObject({ status: 'EXPIRED', name: 'test token', scopes: [{ value: 'metrics.read' }] });
    await expectRefused(service, pat.authorization);
  });

  it('a revoked token is not changed, enabled or rotated by anyone', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['metrics.read']);
    await service.ok(REVOKE, { id: pat.id }, owner.authorization);
    const admin = await service.admin();
    for (const authorization of [owner.authorization, admin.authorization]) {
      expect(codes(await service.request(UPDATE_TOKEN, { id: pat.id, input: { enabled: true } }, authorization))).not.toEqual([]);
    }
    expect(codes(await service.request(ROTATE, { id: pat.id }, owner.authorization))).toEqual(['BAD_USER_INPUT']);
    expect((await service.token(pat.id)).status).toBe('REVOKED');
  });
});

describe('an administrator\'s disable is sticky', () => {
  it('the owner cannot enable a PAT an admin disabled; an admin can', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['metrics.read']);
    const admin = await service.admin();
    await service.ok(UPDATE_TOKEN, { id: pat.id, input: { enabled: false } }, admin.authorization);

    const ownerPat = await service.createPat(owner, ['apiTokens.write', 'metrics.read']);
    for (const authorization of [owner.authorization, ownerPat.authorization]) {
      const refused = expectForbidden(await service.request(UPDATE_TOKEN, { id: pat.id, input: { enabled: true } }, authorization));
      expect(refused.errors![0].message).toMatch(/administrator/i);
      expect(refused.errors![0].extensions.field).toBe('enabled');
    }
    expect(await service.token(pat.id)).toMatchObject({ status: 'DISABLED', disabledByAdministrator: true });
    // Renaming does not lift it either.
    await service.ok(UPDATE_TOKEN, { id: pat.id, input: { name: 'renamed', enabled: false } }, owner.authorization);
    expect((await service.token(pat.id)).disabledByAdministrator).toBe(true);

    const enabled = await service.ok(UPDATE_TOKEN, { id: pat.id, input: { enabled: true } }, admin.authorization);
    expect(enabled.updateAccessToken).toMatchObject({ status: 'ACTIVE', disabledByAdministrator: false });
  });

  it('the owner lifts its own disable, and an admin does not lift it for the owner', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['metrics.read']);
    const admin = await service.admin();
    await service.ok(UPDATE_TOKEN, { id: pat.id, input: { enabled: false } }, owner.authorization);
    expect((await service.token(pat.id)).disabledByAdministrator).toBe(false);
    expectForbidden(await service.request(UPDATE_TOKEN, { id: pat.id, input: { enabled: true } }, admin.authorization));
    const enabled = await service.ok(UPDATE_TOKEN, { id: pat.id, input: { enabled: true } }, owner.authorization);
    expect(enabled.updateAccessToken.status).toBe('ACTIVE');
  });

  it('an admin\'s disable that the owner then repeats stays the admin\'s', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['metrics.read']);
    const admin = await service.admin();
    await service.ok(UPDATE_TOKEN, { id: pat.id, input: { enabled: false } }, admin.authorization);
    await service.ok(UPDATE_TOKEN, { id: pat.id, input: { enabled: false } }, owner.authorization);
    expectForbidden(await service.request(UPDATE_TOKEN, { id: pat.id, input: { enabled: true } }, owner.authorization));
  });

  it('an admin who disables a token its owner had disabled takes the disable over, and the audit log says so', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['metrics.read']);
    const admin = await service.admin();
    await service.ok(UPDATE_TOKEN, { id: pat.id, input: { enabled: false } }, owner.authorization);
    const taken = await service.ok(UPDATE_TOKEN, { id: pat.id, input: { enabled: false } }, admin.authorization);
    expect(taken.updateAccessToken).toMatchObject({ status: 'DISABLED', disabledByAdministrator: true });
    const disables = await service.eventsAbout(pat.id, ['TOKEN_DISABLED']);
    expect(disables.map((event) => [event.actorUserId, JSON.parse(event.details)])).toEqual([
      [admin.userId, { byAdministrator: true }],
      [owner.userId, { byAdministrator: false }],
    ]);
    expectForbidden(await service.request(UPDATE_TOKEN, { id: pat.id, input: { enabled: true } }, owner.authorization));
  });
});

describe('what a token reveals of its owner is for its owner and for admins', () => {
  const REVEALING = 'query($t: String!) { lookupAccessToken(token: $t) { id status lastUsedIpAddress recentIpAddresses { ipAddress } managementZones { id } effectiveAccess { allowed } } }';
  const PLAIN = 'query($t: String!) { lookupAccessToken(token: $t) { id name status lastUsedDate owner { id } } }';

  it('somebody holding a revoked PAT\'s secret reads its name and status, not where it was used nor what its owner may do', async () => {
    const owner = await service.user();
    const zone = await service.createZone();
    const pat = await service.createPat(owner, ['metrics.read'], { managementZoneIds: [zone] });
    await service.ok('{ me { id } }', {}, pat.authorization);
    await service.ok(REVOKE, { id: pat.id }, owner.authorization);

    const finder = await service.user();
    const finderPat = await service.createPat(finder, ['metrics.read']);
    for (const authorization of [finder.authorization, finderPat.authorization]) {
      const revealing = await service.request(REVEALING, { t: pat.token }, authorization);
      expect(new Set(codes(revealing))).toEqual(new Set(['FORBIDDEN']));
      expect(JSON.stringify(revealing.data)).not.toContain('127.0.0.1');
      const plain = await service.ok(PLAIN, { t: pat.token }, authorization);
      expect(plain.lookupAccessToken).toMatchObject({ id: pat.id, status: 'REVOKED', owner: { id: owner.userId } });
    }
    // Its owner, with any of its tokens, and an admin read all of it.
    const ownerReader = await service.createPat(owner, ['metrics.read']);
    const admin = await service.admin();
    for (const authorization of [owner.authorization, ownerReader.authorization, admin.authorization]) {
      const { lookupAccessToken } = await service.ok(REVEALING, { t: pat.token }, authorization);
      expect(lookupAccessToken).toMatchObject({ lastUsedIpAddress: expect.any(String), managementZones: [{ id: zone }] });
      expect(lookupAccessToken.recentIpAddresses.length).toBeGreaterThan(0);
    }
  });

  it('a classic token reads it with apiTokens.read, whoever created the token it looks at', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['metrics.read']);
    const narrow = await service.createApiToken(['metrics.read']);
    expect(codes(await service.request(REVEALING, { t: pat.token }, narrow.authorization))).toContain('FORBIDDEN');
    const reader = await service.createApiToken(['apiTokens.read']);
    expect(codes(await service.request(REVEALING, { t: pat.token }, reader.authorization))).toEqual([]);
  });
});

describe('a user\'s identity is visible to that user and to admins only', () => {
  const IDENTITY = 'id name subject email permissions { permission }';

  async function featureUpdatedBy(authorization: string): Promise<GraphQLResponse> {
    return service.request(`{ features { updatedBy { ${IDENTITY} } } tokenPolicy { updatedBy { ${IDENTITY} } } }`, {}, authorization);
  }

  beforeAll(async () => {
    const admin = await service.admin();
    await service.ok('mutation { updateTokenPolicy(input: { requireExpiration: false }) { requireExpiration } }', {}, admin.authorization);
  });

  it('another signed-in user and a metrics.read PAT see the admin\'s id and name, not its subject, email or permissions', async () => {
    const user = await service.user();
    const pat = await service.createPat(user, ['metrics.read']);
    const classic = await service.createApiToken(['metrics.read']);
    for (const authorization of [user.authorization, pat.authorization, classic.authorization]) {
      const response = await featureUpdatedBy(authorization);
      expect(new Set(codes(response))).toEqual(new Set(['FORBIDDEN']));
      for (const error of response.errors!) expect(['subject', 'email', 'permissions']).toContain(error.path![error.path!.length - 1]);
      expect(JSON.stringify(response.data)).not.toContain('"admin"');
      const { data } = await service.request('{ features { updatedBy { id name } } tokenPolicy { updatedBy { id name } } }', {}, authorization);
      expect(data.tokenPolicy.updatedBy.id).toBeTruthy();
    }
  });

  it('the user itself (signed in or with any of its PATs) and an admin see everything', async () => {
    const user = await service.user(`self-${Date.now()}`, { email: 'self@example.com' });
    const pat = await service.createPat(user, ['metrics.read']);
    for (const authorization of [user.authorization, pat.authorization]) {
      const { me } = await service.ok(`{ me { ${IDENTITY} } }`, {}, authorization);
      expect(me).toMatchObject({ id: user.userId, subject: user.subject, email: 'self@example.com', permissions: [] });
    }
    const admin = await service.admin();
    const response = await featureUpdatedBy(admin.authorization);
    expect(codes(response)).toEqual([]);
    expect(response.data.features[0].updatedBy.subject).toBe('admin');
  });

  it('an admin\'s PAT needs settings.read to read other users\' identities, as `users` does', async () => {
    const { actor: admin } = await adminUser();
    const narrow = await service.createPat(admin, ['metrics.read']);
    expect(new Set(codes(await featureUpdatedBy(narrow.authorization)))).toEqual(new Set(['FORBIDDEN']));
    const reader = await service.createPat(admin, ['settings.read']);
    expect(codes(await featureUpdatedBy(reader.authorization))).toEqual([]);
  });

  it('a token\'s owner reached through lookupAccessToken shows only id and name to somebody else', async () => {
    const owner = await service.user(`owner-${Date.now()}`, { email: 'owner@example.com' });
    const pat = await service.createPat(owner, ['metrics.read']);
    const finder = await service.user();
    const response = await service.request('query($t: String!) { lookupAccessToken(token: $t) { owner { id name email } } }', { t: pat.token }, finder.authorization);
    expectForbidden(response);
    expect(JSON.stringify(response.data)).not.toContain('owner@example.com');
  });
});
