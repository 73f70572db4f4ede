import { codes, expectAccepted, expectBadInput, expectForbidden, expectRefused } from '../helpers/expectations';
import { DEACTIVATE_USER, REACTIVATE_USER } from '../helpers/operations';
import { TestService } from '../helpers/service';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

const USERS = '{ users { id subject active } }';

describe('deactivateUser / reactivateUser', () => {
  it('a deactivated user cannot sign in (401) and its PATs are SUSPENDED and refused; reactivation restores both', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const pat = await service.createPat(user, ['metrics.read']);
    const disabled = await service.createPat(user, ['metrics.read']);
    await service.disable(disabled.id, user.authorization);
    await expectAccepted(service, pat.authorization, user.userId);

    const { deactivateUser } = await service.ok(DEACTIVATE_USER, { id: user.userId }, admin.authorization);
    expect(deactivateUser).toEqual({ id: user.userId, active: false });

    await expectRefused(service, user.authorization);
    // A fresh sign-in token for the same subject is refused too.
    await expectRefused(service, await service.sessionHeader(user.subject));
    await expectRefused(service, pat.authorization);
    expect(await service.statusOf(pat.id)).toBe('SUSPENDED');
    expect(await service.statusOf(disabled.id)).toBe('SUSPENDED');
    const { accessTokens } = await service.ok(
      'query($owner: ID!) { accessTokens(filter: { ownerId: $owner, status: [SUSPENDED] }) { nodes { id } } }',
      { owner: user.userId },
      admin.authorization,
    );
    expect(accessTokens.nodes.map((node: { id: string }) => node.id).sort()).toEqual([pat.id, disabled.id].sort());

    const { reactivateUser } = await service.ok(REACTIVATE_USER, { id: user.userId }, admin.authorization);
    expect(reactivateUser).toEqual({ id: user.userId, active: true });
    await expectAccepted(service, user.authorization, user.userId);
    await expectAccepted(service, pat.authorization, user.userId);
    expect(await service.statusOf(pat.id)).toBe('ACTIVE');
    // Reactivation restores, it does not enable what was disabled.
    expect(await service.statusOf(disabled.id)).toBe('DISABLED');
  });

  it('classic API tokens the deactivated user created keep working', async () => {
    const admin = await service.admin();
    const departingAdmin = await service.user();
    await service.grant(departingAdmin, { permission: 'ADMIN' });
    const classic = await service.createApiToken(['metrics.read', 'apiTokens.read'], { by: departingAdmin });
    const pat = await service.createPat(departingAdmin, ['metrics.read']);

    await service.ok(DEACTIVATE_USER, { id: departingAdmin.userId }, admin.authorization);
    await expectRefused(service, departingAdmin.authorization);
    await expectRefused(service, pat.authorization);
    const response = await service.request('{ accessTokens { totalCount } }', {}, classic.authorization);
    expect({ status: response.status, codes: codes(response) }).toEqual({ status: 200, codes: [] });
    expect(await service.statusOf(classic.id)).toBe('ACTIVE');
    await service.ok(REACTIVATE_USER, { id: departingAdmin.userId }, admin.authorization);
  });

  it('deactivating yourself is BAD_USER_INPUT', async () => {
    const admin = await service.admin();
    expectBadInput(await service.request(DEACTIVATE_USER, { id: admin.userId }, admin.authorization));
    await expectAccepted(service, admin.authorization, admin.userId);

    const otherAdmin = await service.user();
    await service.grant(otherAdmin, { permission: 'ADMIN' });
    expectBadInput(await service.request(DEACTIVATE_USER, { id: otherAdmin.userId }, otherAdmin.authorization));
    await expectAccepted(service, otherAdmin.authorization, otherAdmin.userId);
  });

  it('needs ADMIN (and settings.write with a token); an unknown user is NOT_FOUND', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const victim = await service.user();
    const refused = await service.request(DEACTIVATE_USER, { id: victim.userId }, user.authorization);
    expectForbidden(refused);
    const adminPat = await service.createPat(admin, ['settings.read']);
    const noScope = await service.request(DEACTIVATE_USER, { id: victim.userId }, adminPat.authorization);
    expectForbidden(noScope, { scope: 'settings.write' });
    await expectAccepted(service, victim.authorization, victim.userId);
    const unknown = await service.request(DEACTIVATE_USER, { id: '00000000-0000-4000-8000-000000000000' }, admin.authorization);
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
  });

  it('an inactive owner keeps its PAT suspended even after the feature is switched off and on again', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const pat = await service.createPat(user, ['metrics.read']);
    await service.ok(DEACTIVATE_USER, { id: user.userId }, admin.authorization);
    try {
      await service.setFeature(false);
      await service.setFeature(true);
      // Feature back on, owner still inactive: still suspended.
      await expectRefused(service, pat.authorization);
      expect(await service.statusOf(pat.id)).toBe('SUSPENDED');
    } finally {
      await service.setFeature(true);
      await service.ok(REACTIVATE_USER, { id: user.userId }, admin.authorization);
    }
    await expectAccepted(service, pat.authorization, user.userId);
  });

  it('signing in with new claims is refused before its profile is written', async () => {
    const user = await service.user(`deactivated-${Date.now()}`, { email: 'before@example.com', name: 'Before' });
    const admin = await service.admin();
    await service.ok(DEACTIVATE_USER, { id: user.userId }, admin.authorization);
    const changed = await service.sessionHeader(user.subject, { email: 'after@example.com', name: 'After' });
    await expectRefused(service, changed);
    const { users } = await service.ok('{ users { id email name } }', {}, admin.authorization);
    expect(users.find((found: { id: string }) => found.id === user.userId)).toEqual({ id: user.userId, email: 'before@example.com', name: 'Before' });
  });
});

describe('users', () => {
  it('lists every user with its active flag, for admins', async () => {
    const admin = await service.admin();
    const active = await service.user();
    const inactive = await service.user();
    await service.ok(DEACTIVATE_USER, { id: inactive.userId }, admin.authorization);
    const { users } = await service.ok(USERS, {}, admin.authorization);
    expect(users).toContainEqual({ id: active.userId, subject: active.subject, active: true });
    expect(users).toContainEqual({ id: inactive.userId, subject: inactive.subject, active: false });
    expect(users).toContainEqual({ id: admin.userId, subject: 'admin', active: true });
    await service.ok(REACTIVATE_USER, { id: inactive.userId }, admin.authorization);
  });

  it('is FORBIDDEN to a user without ADMIN', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'MANAGE_SETTINGS' });
    expect(codes(await service.request(USERS, {}, user.authorization))).toEqual(['FORBIDDEN']);
  });
});
