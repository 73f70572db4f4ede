import { Client } from 'pg';
import { codes, expectAccepted, expectForbidden, expectUnauthenticated } from '../helpers/expectations';
import { type Actor, type GraphQLResponse, TestService } from '../helpers/service';
import { atOnce, sleep } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
});
afterAll(() => service?.stop());

const FEATURE_FIELDS = 'feature enabled updatedAt updatedBy { id subject }';
const FEATURES = `{ features { ${FEATURE_FIELDS} } }`;
const ENABLE = `mutation { enableFeature(feature: PERSONAL_ACCESS_TOKENS) { ${FEATURE_FIELDS} } }`;
const DISABLE = `mutation { disableFeature(feature: PERSONAL_ACCESS_TOKENS) { ${FEATURE_FIELDS} } }`;
const TOKEN = 'query($id: ID!) { accessToken(id: $id) { id enabled status personalAccessToken } }';

interface FeatureSetting {
  feature: string;
  enabled: boolean;
  updatedAt: string | null;
  updatedBy: { id: string; subject: string } | null;
}

async function patSetting(authorization: string): Promise<FeatureSetting> {
  const { features } = await service.ok<{ features: FeatureSetting[] }>(FEATURES, {}, authorization);
  const setting = features.find((feature) => feature.feature === 'PERSONAL_ACCESS_TOKENS');
  expect(setting).toBeDefined();
  return setting!;
}

async function toggle(enabled: boolean, authorization: string): Promise<GraphQLResponse<{ enableFeature?: FeatureSetting; disableFeature?: FeatureSetting }>> {
  return service.request(enabled ? ENABLE : DISABLE, {}, authorization);
}

function settingOf(response: GraphQLResponse<{ enableFeature?: FeatureSetting; disableFeature?: FeatureSetting }>): FeatureSetting {
  expect(response.errors).toBeUndefined();
  const setting = response.data?.enableFeature ?? response.data?.disableFeature;
  expect(setting).toBeDefined();
  return setting!;
}

/** A valid FeatureSetting of PERSONAL_ACCESS_TOKENS, changed by one of `admins`. */
function expectValidSetting(setting: FeatureSetting, admins: Actor[]): void {
  expect(setting.feature).toBe('PERSONAL_ACCESS_TOKENS');
  expect(typeof setting.enabled).toBe('boolean');
  expect(setting.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  expect(Number.isNaN(Date.parse(setting.updatedAt!))).toBe(false);
  expect(admins.map((admin) => admin.userId)).toContain(setting.updatedBy?.id);
}

async function secondAdmin(): Promise<Actor> {
  const actor = await service.user();
  await service.grant(actor, { permission: 'ADMIN' });
  return actor;
}

async function databaseRow(): Promise<{ enabled: boolean; updatedAt: Date | null; updatedById: string | null }> {
  const client = new Client({ connectionString: service.database.url });
  await client.connect();
  try {
    const result = await client.query(
      `SELECT enabled, updated_at AS "updatedAt", updated_by_id AS "updatedById" FROM feature_setting WHERE feature = 'PERSONAL_ACCESS_TOKENS'`,
    );
    expect(result.rows).toHaveLength(1);
    return result.rows[0];
  } finally {
    await client.end();
  }
}

describe('the PERSONAL_ACCESS_TOKENS feature', () => {
  // Must run first: nothing in this file has touched the feature yet.
  it('is off by default, and PATs cannot be created then', async () => {
    const user = await service.user();
    const setting = await patSetting(user.authorization);
    expect(setting).toEqual({ feature: 'PERSONAL_ACCESS_TOKENS', enabled: false, updatedAt: null, updatedBy: null });

    const response = await service.tryCreatePat(user, { name: 'early' });
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['FEATURE_DISABLED']);
  });

  it('is listed for any signed-in user and needs authentication', async () => {
    const nobody = await service.user();
    const { features } = await service.ok(FEATURES, {}, nobody.authorization);
    expect(features.map((feature: FeatureSetting) => feature.feature)).toContain('PERSONAL_ACCESS_TOKENS');
    const anonymous = await service.request(FEATURES);
    expect(anonymous.status).toBe(200);
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('can be switched by admins only', async () => {
    await service.setFeature(true);
    const admin = await service.admin();
    const before = await patSetting(admin.authorization);

    const user = await service.user();
    for (const wanted of [true, false]) {
      const response = await toggle(wanted, user.authorization);
      expectForbidden(response, { permission: 'ADMIN' });
      expect(response.errors![0].extensions.requiredScope).toBeUndefined();
    }

    // The admin's own PAT without settings.write: the scope is missing, the permission is not.
    const adminPat = await service.createPat(admin, ['settings.read', 'apiTokens.read']);
    for (const wanted of [true, false]) {
      const response = await toggle(wanted, adminPat.authorization);
      expectForbidden(response, { scope: 'settings.write' });
      expect(response.errors![0].extensions.requiredPermission).toBeUndefined();
    }

    // A non-admin's PAT with settings.write: the permission is missing.
    const userPat = await service.createPat(user, ['settings.write']);
    const byUserPat = await toggle(false, userPat.authorization);
    expectForbidden(byUserPat, { permission: 'ADMIN' });
    expect(byUserPat.errors![0].extensions.requiredScope).toBeUndefined();

    // Nothing changed.
    expect(await patSetting(admin.authorization)).toEqual(before);
    expect(before.enabled).toBe(true);
  });

  it("can be switched with an admin's PAT that carries settings.write", async () => {
    await service.setFeature(true);
    const admin = await service.admin();
    const pat = await service.createPat(admin, ['settings.write']);
    const setting = settingOf(await toggle(false, pat.authorization));
    expect(setting.enabled).toBe(false);
    expect(setting.updatedBy?.id).toBe(admin.userId);
    // Its own switch suspended it.
    expectUnauthenticated(await toggle(true, pat.authorization));
    await service.setFeature(true);
  });

  it('names the admin who changed it and when', async () => {
    await service.setFeature(false);
    const other = await secondAdmin();
    const started = Date.now();
    const setting = settingOf(await toggle(true, other.authorization));
    const finished = Date.now();
    expect(setting).toMatchObject({ feature: 'PERSONAL_ACCESS_TOKENS', enabled: true, updatedBy: { id: other.userId, subject: other.subject } });
    const at = Date.parse(setting.updatedAt!);
    expect(at).toBeGreaterThanOrEqual(started - 5000);
    expect(at).toBeLessThanOrEqual(finished + 5000);
    expect(await patSetting(other.authorization)).toEqual(setting);
  });

  it('is idempotent: switching to the current state keeps the first updatedAt and updatedBy', async () => {
    const admin = await service.admin();
    const other = await secondAdmin();
    for (const wanted of [false, true]) {
      await service.setFeature(!wanted);
      const first = settingOf(await toggle(wanted, admin.authorization));
      expect(first.enabled).toBe(wanted);
      expect(first.updatedBy?.id).toBe(admin.userId);
      await sleep(20);
      const again = settingOf(await toggle(wanted, other.authorization));
      const thrice = settingOf(await toggle(wanted, admin.authorization));
      expect(again).toEqual(first);
      expect(thrice).toEqual(first);
      expect(await patSetting(other.authorization)).toEqual(first);
    }
  });
});

describe('while the feature is off', () => {
  afterAll(() => service.setFeature(true));

  it('refuses to create PATs with FEATURE_DISABLED, for users and admins alike, and creates nothing', async () => {
    const user = await service.user();
    const admin = await service.admin();
    const adminBefore = await service.tokensOwnedBy(admin.userId);
    await service.setFeature(false);
    for (const actor of [user, admin]) {
      const response = await service.tryCreatePat(actor, { name: 'nope' });
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(['FEATURE_DISABLED']);
      expect(response.data?.createPersonalAccessToken ?? null).toBeNull();
    }
    expect(await service.tokensOwnedBy(user.userId)).toBe(0);
    expect(await service.tokensOwnedBy(admin.userId)).toBe(adminBefore);
    await service.setFeature(true);
    expect(codes(await service.tryCreatePat(user))).toEqual([]);
  });

  it('lets admins create classic API tokens', async () => {
    const admin = await service.admin();
    await service.setFeature(false);
    const response = await service.tryCreateApiToken({}, admin);
    expect(codes(response)).toEqual([]);
    expect(response.data.createApiToken.accessToken.status).toBe('ACTIVE');
  });

  it('suspends existing PATs (kept, SUSPENDED, refused with 401), keeps classic tokens working, and enabling restores them', async () => {
    await service.setFeature(true);
    const admin = await service.admin();
    const owner = await service.user();
    const pat = await service.createPat(owner, ['apiTokens.read', 'metrics.read']);
    const classic = await service.createApiToken(['apiTokens.read']);
    expect((await service.ok(TOKEN, { id: pat.id }, pat.authorization)).accessToken.status).toBe('ACTIVE');

    await service.setFeature(false);

    for (const authorization of [pat.authorization, pat.authorization.replace(/^Api-Token /, 'Bearer ')]) {
      expectUnauthenticated(await service.request('{ me { id } }', {}, authorization));
    }
    const byAdmin = (await service.ok(TOKEN, { id: pat.id }, admin.authorization)).accessToken;
    expect(byAdmin).toEqual({ id: pat.id, enabled: true, status: 'SUSPENDED', personalAccessToken: true });
    const byOwner = (await service.ok(TOKEN, { id: pat.id }, owner.authorization)).accessToken;
    expect(byOwner.status).toBe('SUSPENDED');
    const suspended = await service.ok(
      'query($ids: [AccessTokenStatus!]) { accessTokens(filter: { status: $ids }) { nodes { id status } } }',
      { ids: ['SUSPENDED'] },
      admin.authorization,
    );
    expect(suspended.accessTokens.nodes).toContainEqual({ id: pat.id, status: 'SUSPENDED' });
    expect(suspended.accessTokens.nodes.map((node: { id: string }) => node.id)).not.toContain(classic.id);

    // The classic token is not a PAT: it keeps working, for the admin who made it, and stays ACTIVE.
    await expectAccepted(service, classic.authorization, admin.userId);
    const viaClassic = await service.request(TOKEN, { id: classic.id }, classic.authorization);
    expect(viaClassic.status).toBe(200);
    expect(viaClassic.errors).toBeUndefined();
    expect(viaClassic.data.accessToken.status).toBe('ACTIVE');

    await service.setFeature(true);
    const restored = await service.request(TOKEN, { id: pat.id }, pat.authorization);
    expect(restored.status).toBe(200);
    expect(restored.errors).toBeUndefined();
    expect(restored.data.accessToken).toEqual({ id: pat.id, enabled: true, status: 'ACTIVE', personalAccessToken: true });
  });

  it('a PAT disabled by its owner is SUSPENDED while off and DISABLED again once the feature is back', async () => {
    await service.setFeature(true);
    const owner = await service.user();
    const pat = await service.createPat(owner, ['apiTokens.read']);
    await service.disable(pat.id, owner.authorization);

    await service.setFeature(false);
    expect((await service.ok(TOKEN, { id: pat.id }, owner.authorization)).accessToken).toMatchObject({ status: 'SUSPENDED', enabled: false });

    await service.setFeature(true);
    expect((await service.ok(TOKEN, { id: pat.id }, owner.authorization)).accessToken).toMatchObject({ status: 'DISABLED', enabled: false });
    expectUnauthenticated(await service.request('{ me { id } }', {}, pat.authorization));
  });
});

describe('admins switching at the same time', () => {
  afterAll(() => service.setFeature(true));

  it('20 mixed concurrent calls from two admins: every answer is a valid setting and the final state is the stored one', async () => {
    const bootstrap = await service.admin();
    const other = await secondAdmin();
    const admins = [bootstrap, other];
    // Two switches, so that the last change before the race is surely one of these admins'.
    await service.setFeature(true);
    await service.setFeature(false);

    const calls = Array.from({ length: 20 }, (_, index) => ({
      enabled: index % 3 !== 1,
      admin: admins[(index >> 1) % 2],
    }));
    expect(new Set(calls.map((call) => call.enabled)).size).toBe(2);
    const responses = await Promise.all(calls.map((call) => toggle(call.enabled, call.admin.authorization)));

    const settings = responses.map((response) => {
      expect(response.status).toBe(200);
      const setting = settingOf(response);
      expectValidSetting(setting, admins);
      return setting;
    });

    const final = await patSetting(bootstrap.authorization);
    expectValidSetting(final, admins);
    const row = await databaseRow();
    expect({ enabled: final.enabled, updatedAt: Date.parse(final.updatedAt!), updatedById: final.updatedBy!.id }).toEqual({
      enabled: row.enabled,
      updatedAt: row.updatedAt!.getTime(),
      updatedById: row.updatedById,
    });
    // The stored state is the one some call actually made and reported.
    expect(settings).toContainEqual(final);
  });

  it('under concurrent switching, each answer reports the state its own call asked for', async () => {
    // enableFeature answers a FeatureSetting after the feature is enabled; it must not report
    // enabled: false because another admin disabled it a moment later (and vice versa).
    const bootstrap = await service.admin();
    const other = await secondAdmin();
    const admins = [bootstrap, other];
    // A call that finds the state it asks for answers the last change, which must be one of these admins'.
    await service.setFeature(true);
    await service.setFeature(false);
    const contradictions: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      const wanted = Array.from({ length: 20 }, (_, index) => index % 3 !== 1);
      const responses = await Promise.all(wanted.map((enabled, index) => toggle(enabled, admins[index % 2].authorization)));
      responses.forEach((response, index) => {
        const setting = settingOf(response);
        expectValidSetting(setting, admins);
        if (setting.enabled !== wanted[index]) {
          contradictions.push(`${wanted[index] ? 'enableFeature' : 'disableFeature'} answered enabled: ${setting.enabled}`);
        }
      });
    }
    expect({ count: contradictions.length, examples: contradictions.slice(0, 3) }).toEqual({ count: 0, examples: [] });
  });

  it('updatedAt never goes backwards: after concurrent switching the stored state carries the latest updatedAt any call reported', async () => {
    // Each reported updatedAt is that of a committed change; the stored row is the last change.
    // A stored updatedAt earlier than a reported one means the last change was stamped before an earlier one.
    const bootstrap = await service.admin();
    const other = await secondAdmin();
    const admins = [bootstrap, other];
    const violations: string[] = [];
    for (let round = 0; round < 30 && violations.length === 0; round += 1) {
      const wanted = Array.from({ length: 20 }, (_, index) => index % 3 !== 1);
      const responses = await Promise.all(wanted.map((enabled, index) => toggle(enabled, admins[index % 2].authorization)));
      const reported = responses.map((response) => Date.parse(settingOf(response).updatedAt!));
      const final = await patSetting(bootstrap.authorization);
      const latest = Math.max(...reported);
      if (Date.parse(final.updatedAt!) < latest) {
        violations.push(`round ${round}: stored ${final.updatedAt} < reported ${new Date(latest).toISOString()}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('10 concurrent enableFeature calls from off make exactly one change', async () => {
    const bootstrap = await service.admin();
    const other = await secondAdmin();
    const admins = [bootstrap, other];
    // Two switches, so that the last change before the race is surely one of these admins'.
    await service.setFeature(true);
    await service.setFeature(false);
    const off = await patSetting(bootstrap.authorization);
    expect(off.enabled).toBe(false);

    const responses = await atOnce(10, (index) => toggle(true, admins[index % 2].authorization));
    const settings = responses.map((response) => {
      expect(response.status).toBe(200);
      const setting = settingOf(response);
      expectValidSetting(setting, admins);
      expect(setting.enabled).toBe(true);
      return setting;
    });
    expect(new Set(settings.map((setting) => setting.updatedAt)).size).toBe(1);
    expect(new Set(settings.map((setting) => setting.updatedBy!.id)).size).toBe(1);
    expect(Date.parse(settings[0].updatedAt!)).toBeGreaterThanOrEqual(Date.parse(off.updatedAt!));
    expect(settings[0].updatedAt).not.toBe(off.updatedAt);

    const final = await patSetting(bootstrap.authorization);
    expect(final).toEqual(settings[0]);
  });
});
