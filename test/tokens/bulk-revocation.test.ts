import { expectAccepted, expectBadInput, expectForbidden, expectRefused } from '../helpers/expectations';
import { REVOKE_TOKENS, unique } from '../helpers/operations';
import { TestService } from '../helpers/service';
import { inDays } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

describe('revokeAccessTokens', () => {
  it('revokes every token of a departing user and answers how many; one TOKEN_REVOKED each, which the owner sees', async () => {
    const admin = await service.admin();
    const leaving = await service.user();
    const staying = await service.user();
    const a = await service.createPat(leaving, ['metrics.read']);
    const b = await service.createPat(leaving, ['apiTokens.read']);
    const already = await service.createPat(leaving, ['metrics.read']);
    await service.revoke(already.id, leaving.authorization);
    const kept = await service.createPat(staying, ['metrics.read']);

    const { revokeAccessTokens } = await service.ok(REVOKE_TOKENS, { filter: { ownerId: leaving.userId } }, admin.authorization);
    expect(revokeAccessTokens).toBe(2);
    for (const token of [a, b]) {
      expect(await service.statusOf(token.id)).toBe('REVOKED');
      await expectRefused(service, token.authorization);
      // Recorded for the owner to see, as the admin's act.
      const events = await service.auditEvents(leaving.authorization, { targetId: token.id, actions: ['TOKEN_REVOKED'] });
      expect(events).toHaveLength(1);
      expect(events[0].actorUserId).toBe(admin.userId);
    }
    expect(await service.eventsAbout(already.id, ['TOKEN_REVOKED'])).toHaveLength(1);
    await expectAccepted(service, kept.authorization, staying.userId);

    // Again: nothing left to revoke.
    expect((await service.ok(REVOKE_TOKENS, { filter: { ownerId: leaving.userId } }, admin.authorization)).revokeAccessTokens).toBe(0);
  });

  it('revokes every token carrying a scope, of any owner and kind', async () => {
    const admin = await service.admin();
    const u1 = await service.user();
    const u2 = await service.user();
    const scope = 'geographicRegions.read';
    const carrying = [
      await service.createPat(u1, ['metrics.read', scope]),
      await service.createPat(u2, [scope]),
      await service.createApiToken([scope, 'settings.read'], { by: admin }),
    ];
    const notCarrying = [await service.createPat(u1, ['metrics.read']), await service.createPat(u2, ['slo.read'])];
    const { revokeAccessTokens } = await service.ok(REVOKE_TOKENS, { filter: { scopes: [scope] } }, admin.authorization);
    expect(revokeAccessTokens).toBe(3);
    for (const token of carrying) expect(await service.statusOf(token.id)).toBe('REVOKED');
    for (const token of notCarrying) expect(await service.statusOf(token.id)).toBe('ACTIVE');
  });

  it('a filter matching nothing revokes nothing and answers 0', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read'], { name: 'untouched' });
    const nobody = await service.user();
    const before = (await service.eventsAbout(token.id)).length;
    for (const filter of [
      { ownerId: nobody.userId },
      { nameContains: unique('no-such-token') },
      { ownerId: user.userId, personalAccessToken: false },
      { ownerId: user.userId, expiringBefore: inDays(1) },
    ]) {
      expect((await service.ok(REVOKE_TOKENS, { filter }, admin.authorization)).revokeAccessTokens).toBe(0);
    }
    expect(await service.statusOf(token.id)).toBe('ACTIVE');
    expect((await service.eventsAbout(token.id)).length).toBe(before);
  });

  it('an empty filter is BAD_USER_INPUT and revokes nothing', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    const response = await service.request(REVOKE_TOKENS, { filter: {} }, admin.authorization);
    expectBadInput(response);
    expect(await service.statusOf(token.id)).toBe('ACTIVE');
    const nulls = await service.request(REVOKE_TOKENS, { filter: { ownerId: null, scopes: null, nameContains: null } }, admin.authorization);
    expectBadInput(nulls);
    expect(await service.statusOf(token.id)).toBe('ACTIVE');
  });

  it('never revokes the calling token', async () => {
    const bulkAdmin = await service.user();
    await service.grant(bulkAdmin, { permission: 'ADMIN' });
    const caller = await service.createPat(bulkAdmin, ['apiTokens.write', 'apiTokens.read'], { name: 'caller' });
    const others = [await service.createPat(bulkAdmin, ['metrics.read']), await service.createPat(bulkAdmin, ['metrics.read'])];
    const { revokeAccessTokens } = await service.ok(REVOKE_TOKENS, { filter: { ownerId: bulkAdmin.userId } }, caller.authorization);
    expect(revokeAccessTokens).toBe(2);
    for (const token of others) expect(await service.statusOf(token.id)).toBe('REVOKED');
    expect(await service.statusOf(caller.id)).toBe('ACTIVE');
    await expectAccepted(service, caller.authorization, bulkAdmin.userId);
  });

  it('needs ADMIN and apiTokens.write', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    const refused = await service.request(REVOKE_TOKENS, { filter: { ownerId: user.userId } }, user.authorization);
    expectForbidden(refused);
    const admin = await service.admin();
    const readOnly = await service.createPat(admin, ['apiTokens.read']);
    const noScope = await service.request(REVOKE_TOKENS, { filter: { ownerId: user.userId } }, readOnly.authorization);
    expectForbidden(noScope, { scope: 'apiTokens.write' });
    expect(await service.statusOf(token.id)).toBe('ACTIVE');
  });
});

describe('revokeAccessTokens with a filter that says nothing (last: a failure would revoke everything)', () => {
  it('a filter whose only criterion is an empty nameContains is refused, not "revoke everything"', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    const response = await service.request(REVOKE_TOKENS, { filter: { nameContains: '' } }, admin.authorization);
    expect(await service.statusOf(token.id)).toBe('ACTIVE');
    expectBadInput(response);
  });
});
