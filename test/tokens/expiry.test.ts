import { codes, expectAccepted, expectBadInput, expectForbidden, expectRefused } from '../helpers/expectations';
import { ROTATE, UPDATE_TOKEN } from '../helpers/operations';
import { TestService } from '../helpers/service';
import { DAY_MS, inDays, sleep, untilPast } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

const POLICY = '{ tokenPolicy { requireExpiration maxLifetimeDays updatedAt updatedBy { id } } }';
const UPDATE_POLICY = `mutation($input: TokenPolicyInput!) {
  updateTokenPolicy(input: $input) { requireExpiration maxLifetimeDays updatedAt updatedBy { id } }
}`;
const EXPIRING = `query($days: Int!, $first: Int, $after: String) {
  expiringAccessTokens(withinDays: $days, first: $first, after: $after) {
    nodes { id status expirationDate owner { id } }
    pageInfo { endCursor hasNextPage }
  }
}`;

async function setPolicy(input: { requireExpiration: boolean; maxLifetimeDays?: number | null }) {
  const admin = await service.admin();
  return (await service.ok(UPDATE_POLICY, { input }, admin.authorization)).updateTokenPolicy;
}

async function resetPolicy() {
  await setPolicy({ requireExpiration: false, maxLifetimeDays: null });
}

/** The number of days is in the message, as a whole word. */
function expectLimitInMessage(response: { errors?: { message: string }[] }, days: number) {
  expect(response.errors![0].message).toMatch(new RegExp(`\\b${days}\\b`));
}

describe('expiry', () => {
  it('makes a token EXPIRED and refused once its expirationDate has passed; enabling or rotating does not revive it', async () => {
    const user = await service.user();
    const expiresAt = new Date(Date.now() + 2000);
    const created = await service.createPat(user, ['metrics.read'], { expirationDate: expiresAt.toISOString() });
    const fresh = await service.token(created.id, user.authorization);
    expect(fresh.status).toBe('ACTIVE');
    expect(Date.parse(fresh.expirationDate)).toBe(expiresAt.getTime());
    await expectAccepted(service, created.authorization, user.userId);

    await untilPast(expiresAt);

    expect((await service.token(created.id, user.authorization)).status).toBe('EXPIRED');
    await expectRefused(service, created.authorization);

    await service.request(UPDATE_TOKEN, { id: created.id, input: { enabled: true } }, user.authorization);
    expect((await service.token(created.id, user.authorization)).status).toBe('EXPIRED');
    const rotation = await service.request(ROTATE, { id: created.id }, user.authorization);
    if (rotation.data?.rotateAccessToken) {
      expect(rotation.data.rotateAccessToken.accessToken.status).toBe('EXPIRED');
      await expectRefused(service, `Api-Token ${rotation.data.rotateAccessToken.token}`);
    } else {
      expect(codes(rotation)).toEqual(['BAD_USER_INPUT']);
    }
    await expectRefused(service, created.authorization);
  });
});

describe('tokenPolicy and updateTokenPolicy', () => {
  afterEach(resetPolicy);

  it('starts with no policy: no expiry required, no limit', async () => {
    const user = await service.user();
    const { tokenPolicy } = await service.ok(POLICY, {}, user.authorization);
    expect(tokenPolicy).toMatchObject({ requireExpiration: false, maxLifetimeDays: null });
  });

  it('is changed by an admin; maxLifetimeDays implies requireExpiration; anyone signed in can read it', async () => {
    const admin = await service.admin();
    const updated = await setPolicy({ requireExpiration: false, maxLifetimeDays: 30 });
    expect(updated).toMatchObject({ requireExpiration: true, maxLifetimeDays: 30, updatedBy: { id: admin.userId } });
    expect(updated.updatedAt).not.toBeNull();

    const user = await service.user();
    const { tokenPolicy } = await service.ok(POLICY, {}, user.authorization);
    expect(tokenPolicy).toMatchObject({ requireExpiration: true, maxLifetimeDays: 30, updatedBy: { id: admin.userId } });

    const onlyRequired = await setPolicy({ requireExpiration: true, maxLifetimeDays: null });
    expect(onlyRequired).toMatchObject({ requireExpiration: true, maxLifetimeDays: null });
  });

  it('records TOKEN_POLICY_CHANGED with the new values', async () => {
    const admin = await service.admin();
    const before = Date.now() - 1000;
    await setPolicy({ requireExpiration: true, maxLifetimeDays: 45 });
    const events = (await service.eventsAbout('token-policy', ['TOKEN_POLICY_CHANGED'])).filter((e) => Date.parse(e.occurredAt) >= before);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events[0]).toMatchObject({ action: 'TOKEN_POLICY_CHANGED', targetType: 'TOKEN_POLICY', actorUserId: admin.userId });
    expect(JSON.parse(events[0].details)).toMatchObject({ requireExpiration: true, maxLifetimeDays: 45 });
  });

  it('needs ADMIN: a user without it is FORBIDDEN and the policy stays', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'MANAGE_SETTINGS' });
    const response = await service.request(UPDATE_POLICY, { input: { requireExpiration: true, maxLifetimeDays: 5 } }, user.authorization);
    expectForbidden(response);
    const { tokenPolicy } = await service.ok(POLICY, {}, user.authorization);
    expect(tokenPolicy).toMatchObject({ requireExpiration: false, maxLifetimeDays: null });
  });

  it('needs settings.write when an admin calls with a token', async () => {
    const admin = await service.admin();
    const pat = await service.createPat(admin, ['settings.read', 'apiTokens.write']);
    const response = await service.request(UPDATE_POLICY, { input: { requireExpiration: true } }, pat.authorization);
    expectForbidden(response, { scope: 'settings.write' });
  });

  it.each([0, -1, 3651])('refuses maxLifetimeDays %i as BAD_USER_INPUT (field maxLifetimeDays) and keeps the policy', async (days) => {
    const admin = await service.admin();
    await setPolicy({ requireExpiration: false, maxLifetimeDays: 90 });
    const response = await service.request(UPDATE_POLICY, { input: { requireExpiration: true, maxLifetimeDays: days } }, admin.authorization);
    expectBadInput(response, 'maxLifetimeDays');
    const { tokenPolicy } = await service.ok(POLICY, {}, admin.authorization);
    expect(tokenPolicy).toMatchObject({ requireExpiration: true, maxLifetimeDays: 90 });
  });

  it.each([1, 3650])('accepts maxLifetimeDays %i', async (days) => {
    expect(await setPolicy({ requireExpiration: false, maxLifetimeDays: days })).toMatchObject({ maxLifetimeDays: days, requireExpiration: true });
  });
});

describe('creation under the policy', () => {
  afterEach(resetPolicy);

  it('maxLifetimeDays 30: no expiry or more than 30 days is BAD_USER_INPUT (field expirationDate, message says 30); within is fine', async () => {
    await setPolicy({ requireExpiration: false, maxLifetimeDays: 30 });
    const user = await service.user();

    const none = await service.tryCreatePat(user, {});
    expectBadInput(none, 'expirationDate');
    expectLimitInMessage(none, 30);

    const tooLong = await service.tryCreatePat(user, { expirationDate: inDays(31) });
    expectBadInput(tooLong, 'expirationDate');
    expectLimitInMessage(tooLong, 30);

    const ok = await service.tryCreatePat(user, { expirationDate: inDays(29) });
    expect(codes(ok)).toEqual([]);
    expect(ok.data.createPersonalAccessToken.accessToken.status).toBe('ACTIVE');

    // Nothing was created by the refused calls.
    const { accessTokens } = await service.ok('{ accessTokens { totalCount } }', {}, user.authorization);
    expect(accessTokens.totalCount).toBe(1);
  });

  it('applies to classic API tokens as well', async () => {
    await setPolicy({ requireExpiration: false, maxLifetimeDays: 7 });
    const none = await service.tryCreateApiToken({});
    expectBadInput(none, 'expirationDate');
    expectLimitInMessage(none, 7);
    const tooLong = await service.tryCreateApiToken({ expirationDate: inDays(8) });
    expectBadInput(tooLong, 'expirationDate');
    expectLimitInMessage(tooLong, 7);
    const ok = await service.tryCreateApiToken({ expirationDate: inDays(6) });
    expect(codes(ok)).toEqual([]);
  });

  it('requireExpiration without a limit: no expiry is refused, any future date is fine', async () => {
    await setPolicy({ requireExpiration: true, maxLifetimeDays: null });
    const user = await service.user();
    expectBadInput(await service.tryCreatePat(user, {}), 'expirationDate');
    expectBadInput(await service.tryCreateApiToken({}), 'expirationDate');
    expect(codes(await service.tryCreatePat(user, { expirationDate: inDays(3000) }))).toEqual([]);
  });

  it('after the policy is lifted, tokens without expiry can be created again', async () => {
    await setPolicy({ requireExpiration: true, maxLifetimeDays: 10 });
    const user = await service.user();
    expectBadInput(await service.tryCreatePat(user, {}), 'expirationDate');
    await resetPolicy();
    const response = await service.tryCreatePat(user, {});
    expect(codes(response)).toEqual([]);
    expect(response.data.createPersonalAccessToken.accessToken.expirationDate).toBeNull();
  });
});

describe('rotation under the policy', () => {
  afterEach(resetPolicy);

  it('a rotation outside the policy is BAD_USER_INPUT (field expirationDate) and the old secret keeps working', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    await setPolicy({ requireExpiration: false, maxLifetimeDays: 14 });

    // Keeping "no expiry" is outside the policy.
    const keep = await service.request(ROTATE, { id: created.id, input: { gracePeriodSeconds: 0 } }, user.authorization);
    expectBadInput(keep, 'expirationDate');
    expectLimitInMessage(keep, 14);

    const tooLong = await service.request(ROTATE, { id: created.id, input: { expirationDate: inDays(15) } }, user.authorization);
    expectBadInput(tooLong, 'expirationDate');
    expectLimitInMessage(tooLong, 14);

    // Nothing rotated: the original secret still works, and is not treated as a replaced one.
    await expectAccepted(service, created.authorization, user.userId);
    expect((await service.token(created.id, user.authorization)).status).toBe('ACTIVE');
    expect(await service.eventsAbout(created.id, ['TOKEN_ROTATED'])).toEqual([]);

    const ok = await service.request(ROTATE, { id: created.id, input: { expirationDate: inDays(13) } }, user.authorization);
    expect(codes(ok)).toEqual([]);
    const rotated = ok.data.rotateAccessToken;
    expect(Math.abs(Date.parse(rotated.accessToken.expirationDate) - (Date.now() + 13 * DAY_MS))).toBeLessThan(60_000);
    await expectAccepted(service, `Api-Token ${rotated.token}`, user.userId);
  });

  it('a rotation keeping a compliant expiry passes', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read'], { expirationDate: inDays(5) });
    await setPolicy({ requireExpiration: true, maxLifetimeDays: 10 });
    const response = await service.request(ROTATE, { id: created.id }, user.authorization);
    expect(codes(response)).toEqual([]);
    expect(Date.parse(response.data.rotateAccessToken.accessToken.expirationDate)).toBe(
      Date.parse((await service.token(created.id, user.authorization)).expirationDate),
    );
  });

  it('a rotation of a token that predates the policy, keeping a too-long expiry, is refused', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read'], { expirationDate: inDays(100) });
    await setPolicy({ requireExpiration: true, maxLifetimeDays: 20 });
    const response = await service.request(ROTATE, { id: created.id }, user.authorization);
    expectBadInput(response, 'expirationDate');
    expectLimitInMessage(response, 20);
  });
});

describe('a policy change does not touch existing tokens', () => {
  afterEach(resetPolicy);

  it('a token without expiry created before a strict policy keeps working and keeps no expiry', async () => {
    const user = await service.user();
    const forever = await service.createPat(user, ['metrics.read', 'apiTokens.read']);
    const long = await service.createPat(user, ['metrics.read'], { expirationDate: inDays(400) });
    const longBefore = (await service.token(long.id, user.authorization)).expirationDate;

    await setPolicy({ requireExpiration: true, maxLifetimeDays: 1 });

    await expectAccepted(service, forever.authorization, user.userId);
    await expectAccepted(service, long.authorization, user.userId);
    const foreverNow = await service.token(forever.id, user.authorization);
    expect(foreverNow).toMatchObject({ status: 'ACTIVE', expirationDate: null });
    const longNow = await service.token(long.id, user.authorization);
    expect(longNow).toMatchObject({ status: 'ACTIVE', expirationDate: longBefore });
    // The token can still act (it is not refused or narrowed), e.g. list its owner's tokens.
    const { accessTokens } = await service.ok('{ accessTokens { totalCount } }', {}, forever.authorization);
    expect(accessTokens.totalCount).toBe(2);
    // And the policy did not write anything to the token rows.
    const [row] = await service.service.dataSource.query('SELECT expires_at, modified_at FROM access_token WHERE id = $1', [forever.id]);
    expect(row).toEqual({ expires_at: null, modified_at: null });
  });

  it('existing tokens can still be renamed and disabled/enabled under a strict policy', async () => {
    const user = await service.user();
    const forever = await service.createPat(user, ['metrics.read']);
    await setPolicy({ requireExpiration: true, maxLifetimeDays: 3 });
    const response = await service.request(
      'mutation($id: ID!) { updateAccessToken(id: $id, input: { name: "renamed", enabled: false }) { name enabled expirationDate } }',
      { id: forever.id },
      user.authorization,
    );
    expect(codes(response)).toEqual([]);
    expect(response.data.updateAccessToken).toEqual({ name: 'renamed', enabled: false, expirationDate: null });
  });
});

describe('expiringAccessTokens', () => {
  it('lists the caller\'s tokens expiring within the days, soonest first, without revoked, expired or never-expiring ones', async () => {
    const user = await service.user();
    const other = await service.user();
    const in5 = await service.createPat(user, ['metrics.read'], { name: 'in5', expirationDate: inDays(5) });
    const in1 = await service.createPat(user, ['metrics.read'], { name: 'in1', expirationDate: inDays(1) });
    const in3disabled = await service.createPat(user, ['metrics.read'], { name: 'in3', expirationDate: inDays(3) });
    await service.createPat(user, ['metrics.read'], { name: 'in20', expirationDate: inDays(20) });
    await service.createPat(user, ['metrics.read'], { name: 'never' });
    const revoked = await service.createPat(user, ['metrics.read'], { name: 'revoked', expirationDate: inDays(2) });
    const expired = await service.createPat(user, ['metrics.read'], { name: 'expired', expirationDate: new Date(Date.now() + 1500).toISOString() });
    const othersToken = await service.createPat(other, ['metrics.read'], { expirationDate: inDays(2) });
    await service.revoke(revoked.id, user.authorization);
    await service.disable(in3disabled.id, user.authorization);
    await sleep(2000);
    expect((await service.token(expired.id, user.authorization)).status).toBe('EXPIRED');

    const { expiringAccessTokens } = await service.ok(EXPIRING, { days: 7 }, user.authorization);
    expect(expiringAccessTokens.nodes.map((node: { id: string }) => node.id)).toEqual([in1.id, in3disabled.id, in5.id]);
    expect(expiringAccessTokens.nodes.map((node: { id: string }) => node.id)).not.toContain(othersToken.id);

    const wider = await service.ok(EXPIRING, { days: 30 }, user.authorization);
    expect(wider.expiringAccessTokens.nodes).toHaveLength(4);
  });

  it('pages with first/after, soonest first', async () => {
    const user = await service.user();
    const ids: string[] = [];
    for (const days of [6, 2, 4, 1, 3]) {
      ids[days] = (await service.createPat(user, ['metrics.read'], { expirationDate: inDays(days) })).id;
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const data: any = await service.ok(EXPIRING, { days: 10, first: 2, after }, user.authorization);
      seen.push(...data.expiringAccessTokens.nodes.map((node: { id: string }) => node.id));
      if (!data.expiringAccessTokens.pageInfo.hasNextPage) break;
      after = data.expiringAccessTokens.pageInfo.endCursor;
    }
    expect(seen).toEqual([ids[1], ids[2], ids[3], ids[4], ids[6]]);
  });

  it('shows an admin everyone\'s expiring tokens', async () => {
    const admin = await service.admin();
    const alice = await service.user();
    const bob = await service.user();
    const a = await service.createPat(alice, ['metrics.read'], { expirationDate: inDays(2.5) });
    const b = await service.createPat(bob, ['metrics.read'], { expirationDate: inDays(1.5) });
    const { expiringAccessTokens } = await service.ok(EXPIRING, { days: 3, first: 100 }, admin.authorization);
    const ids = expiringAccessTokens.nodes.map((node: { id: string }) => node.id);
    expect(ids).toContain(a.id);
    expect(ids).toContain(b.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    const dates = expiringAccessTokens.nodes.map((node: { expirationDate: string }) => Date.parse(node.expirationDate));
    expect([...dates].sort((x, y) => x - y)).toEqual(dates);
  });

  it.each([0, -1, 367])('refuses withinDays %i as BAD_USER_INPUT', async (days) => {
    const user = await service.user();
    expectBadInput(await service.request(EXPIRING, { days }, user.authorization), 'withinDays');
  });

  it.each([1, 366])('accepts withinDays %i', async (days) => {
    const user = await service.user();
    const response = await service.request(EXPIRING, { days }, user.authorization);
    expect(codes(response)).toEqual([]);
  });

  it('needs apiTokens.read when called with a token', async () => {
    const user = await service.user();
    const pat = await service.createPat(user, ['metrics.read']);
    const response = await service.request(EXPIRING, { days: 7 }, pat.authorization);
    expectForbidden(response, { scope: 'apiTokens.read' });
  });
});
