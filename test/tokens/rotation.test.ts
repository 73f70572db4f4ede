import { codes, expectAccepted, expectBadInput, expectForbidden, expectRefused } from '../helpers/expectations';
import { REPORT_LEAK, ROTATE } from '../helpers/operations';
import { TestService } from '../helpers/service';
import { sleep } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

const TOKEN_PATTERN = /^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$/;

/** What anybody signed in finds by a secret: the token's id and status. */
async function lookup(secret: string, authorization: string) {
  return (await service.ok('query($token: String!) { lookupAccessToken(token: $token) { id status } }', { token: secret }, authorization)).lookupAccessToken;
}

describe('rotateAccessToken input', () => {
  it.each([-1, 86401])('refuses gracePeriodSeconds %i as BAD_USER_INPUT (field gracePeriodSeconds); nothing rotates', async (grace) => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    expectBadInput(await service.request(ROTATE, { id: created.id, input: { gracePeriodSeconds: grace } }, user.authorization), 'gracePeriodSeconds');
    await expectAccepted(service, created.authorization, user.userId);
    await expectAccepted(service, created.authorization, user.userId);
    expect(await service.statusOf(created.id)).toBe('ACTIVE');
    expect(await service.eventsAbout(created.id, ['TOKEN_ROTATED'])).toEqual([]);
  });

  it('accepts gracePeriodSeconds 86400 and 0, and no input at all', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    const long = await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 86400 });
    expect(long.accessToken.id).toBe(created.id);
    expect(long.token).toMatch(TOKEN_PATTERN);
    expect(long.token).not.toBe(created.token);
    const zero = await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 0 });
    const none = await service.rotate(created.id, user.authorization);
    expect(new Set([created.token, long.token, zero.token, none.token]).size).toBe(4);
    await expectAccepted(service, none.authorization, user.userId);
  });

  it('refuses a new expirationDate in the past (field expirationDate); nothing rotates', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    const response = await service.request(
      ROTATE,
      { id: created.id, input: { expirationDate: new Date(Date.now() - 60_000).toISOString() } },
      user.authorization,
    );
    expectBadInput(response, 'expirationDate');
    await expectAccepted(service, created.authorization, user.userId);
    expect(await service.statusOf(created.id)).toBe('ACTIVE');
  });

  it('records TOKEN_ROTATED with the grace period', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 120 });
    const [event] = await service.eventsAbout(created.id, ['TOKEN_ROTATED']);
    expect(event).toMatchObject({ action: 'TOKEN_ROTATED', targetType: 'ACCESS_TOKEN', targetId: created.id, actorUserId: user.userId });
    expect(JSON.parse(event.details)).toMatchObject({ gracePeriodSeconds: 120 });
  });

});

describe('without a grace period', () => {
  it('keeps the id, name and scopes; the new secret works; the old one is refused at once, and its use revokes the token (reuse detection)', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read'], { name: 'rotating' });
    await expectAccepted(service, created.authorization, user.userId);
    const rotated = await service.rotate(created.id, user.authorization);
    expect(rotated.accessToken).toMatchObject({ id: created.id, name: 'rotating', status: 'ACTIVE' });
    expect(rotated.accessToken.modifiedDate).not.toBeNull();
    expect(rotated.token).not.toBe(created.token);
    expect(rotated.token.startsWith(`${created.id}.`)).toBe(true);
    await expectAccepted(service, rotated.authorization, user.userId);
    expect((await service.token(created.id, user.authorization)).scopes).toEqual([{ value: 'metrics.read' }]);
    expect(await service.statusOf(created.id)).toBe('ACTIVE');

    await expectRefused(service, created.authorization);
    expect(await service.statusOf(created.id)).toBe('REVOKED');
    await expectRefused(service, rotated.authorization);

    const events = await service.eventsAbout(created.id, ['TOKEN_REUSE_DETECTED']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targetType: 'ACCESS_TOKEN', targetId: created.id, clientIp: '127.0.0.1' });
  });

  it('of a disabled token leaves it disabled: the new secret is refused until it is enabled', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    await service.disable(created.id, user.authorization);
    const rotated = await service.rotate(created.id, user.authorization);
    expect(rotated.accessToken.status).toBe('DISABLED');
    await expectRefused(service, rotated.authorization);
    await service.update(created.id, { enabled: true }, user.authorization);
    await expectAccepted(service, rotated.authorization, user.userId);
    await expectRefused(service, created.authorization);
  });

  it('a second use of the old secret records no second TOKEN_REUSE_DETECTED', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 0 });
    await expectRefused(service, created.authorization);
    await expectRefused(service, created.authorization);
    expect(await service.eventsAbout(created.id, ['TOKEN_REUSE_DETECTED'])).toHaveLength(1);
    expect(await service.eventsAbout(created.id, ['TOKEN_REVOKED', 'TOKEN_REPORTED_LEAKED'])).toEqual([]);
  });

  it('works for a classic API token too', async () => {
    const admin = await service.admin();
    const created = await service.createApiToken(['metrics.read']);
    const rotated = await service.rotate(created.id, admin.authorization);
    await expectAccepted(service, rotated.authorization, admin.userId);
    await expectRefused(service, created.authorization);
    expect(await service.statusOf(created.id)).toBe('REVOKED');
    await expectRefused(service, rotated.authorization);
  });

  it('lookupAccessToken with the old secret answers null at once', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    const rotated = await service.rotate(created.id, user.authorization);
    expect(await lookup(created.token, user.authorization)).toBeNull();
    expect(await lookup(rotated.token, user.authorization)).toMatchObject({ id: created.id, status: 'ACTIVE' });
  });

  it('the first secret, replaced by two rotations, is refused and its use counts as reuse', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 0 });
    const third = await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 0 });
    await expectAccepted(service, third.authorization, user.userId);
    // A secret two rotations old is still "a secret replaced by a rotation, used after its grace".
    await expectRefused(service, created.authorization);
    expect(await service.statusOf(created.id)).toBe('REVOKED');
    expect(await service.eventsAbout(created.id, ['TOKEN_REUSE_DETECTED'])).toHaveLength(1);
  });
});

describe('with a grace period', () => {
  it('both secrets work during the grace; the old one used after it is refused and revokes the token', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read', 'apiTokens.read']);
    const rotated = await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 2 });

    await expectAccepted(service, created.authorization, user.userId);
    await expectAccepted(service, rotated.authorization, user.userId);
    // The old secret acts as the same token with the same scopes during the grace.
    const { accessTokens } = await service.ok('{ accessTokens { totalCount } }', {}, created.authorization);
    expect(accessTokens.totalCount).toBe(1);
    expect(await service.statusOf(created.id)).toBe('ACTIVE');

    await sleep(2500);
    await expectRefused(service, created.authorization);
    expect(await service.statusOf(created.id)).toBe('REVOKED');
    await expectRefused(service, rotated.authorization);
    expect(await service.eventsAbout(created.id, ['TOKEN_REUSE_DETECTED'])).toHaveLength(1);
  });

  it('the new secret alone keeps working after the grace when the old one is never used again', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    const rotated = await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 2 });
    await expectAccepted(service, created.authorization, user.userId);
    await sleep(2500);
    await expectAccepted(service, rotated.authorization, user.userId);
    expect(await service.statusOf(created.id)).toBe('ACTIVE');
    expect(await service.eventsAbout(created.id, ['TOKEN_REUSE_DETECTED'])).toEqual([]);
  });

  it('lookupAccessToken with the old secret works during the grace and answers null after it', async () => {
    const user = await service.user();
    const finder = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 2 });
    expect(await lookup(created.token, finder.authorization)).toMatchObject({ id: created.id, status: 'ACTIVE' });
    await sleep(2500);
    expect(await lookup(created.token, finder.authorization)).toBeNull();
  });

  it('reportLeakedToken with the old secret during the grace revokes the token', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    const rotated = await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 60 });
    const report = await service.request(REPORT_LEAK, { token: created.token });
    expect(codes(report)).toEqual([]);
    expect(report.data.reportLeakedToken).toBe(true);
    expect(await service.statusOf(created.id)).toBe('REVOKED');
    await expectRefused(service, rotated.authorization);
    await expectRefused(service, created.authorization);
    const [event] = await service.eventsAbout(created.id, ['TOKEN_REPORTED_LEAKED']);
    expect(event).toMatchObject({ targetId: created.id, actorUserId: null });
  });

  it('a rotation during the grace: the newest secret works, the one it replaced follows the new grace', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    const second = await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 60 });
    const third = await service.rotate(created.id, user.authorization, { gracePeriodSeconds: 2 });
    await expectAccepted(service, third.authorization, user.userId);
    await expectAccepted(service, second.authorization, user.userId);
    await sleep(2500);
    await expectAccepted(service, third.authorization, user.userId);
    await expectRefused(service, second.authorization);
    expect(await service.statusOf(created.id)).toBe('REVOKED');
    await expectRefused(service, third.authorization);
  });

});

describe('self-rotation', () => {
  it('a token with apiTokens.write rotates itself; the new secret works', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['apiTokens.write', 'apiTokens.read']);
    const rotated = await service.rotate(created.id, created.authorization, { gracePeriodSeconds: 0 });
    expect(rotated.accessToken.id).toBe(created.id);
    await expectAccepted(service, rotated.authorization, user.userId);
    const { accessToken } = await service.ok('query($id: ID!) { accessToken(id: $id) { id status } }', { id: created.id }, rotated.authorization);
    expect(accessToken).toEqual({ id: created.id, status: 'ACTIVE' });
    const [event] = await service.eventsAbout(created.id, ['TOKEN_ROTATED']);
    expect(event).toMatchObject({ actorUserId: user.userId, actorTokenId: created.id });
  });

  it('after self-rotation with a grace the old secret still works during it, and revokes after it', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['apiTokens.write']);
    const rotated = await service.rotate(created.id, created.authorization, { gracePeriodSeconds: 2 });
    await expectAccepted(service, created.authorization, user.userId);
    await expectAccepted(service, rotated.authorization, user.userId);
    await sleep(2500);
    await expectRefused(service, created.authorization);
    expect(await service.statusOf(created.id)).toBe('REVOKED');
  });

  it('a token without apiTokens.write cannot rotate itself', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['apiTokens.read']);
    const response = await service.request(ROTATE, { id: created.id }, created.authorization);
    expectForbidden(response);
    await expectAccepted(service, created.authorization, user.userId);
  });
});
