import { randomUUID } from 'node:crypto';
import { codes, expectBadInput, expectUnauthenticated } from '../helpers/expectations';
import { AUTHORIZE, REMOVE_MEMBER, SET_PERMISSIONS, allowedIn, denied, unique } from '../helpers/operations';
import { type Actor, TestService } from '../helpers/service';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
});
afterAll(() => service?.stop());

/** The whole decision, as `authorize` answers it. */
async function authorize(authorization: string, scope: string, zone?: string) {
  const { authorize: decision } = await service.ok(AUTHORIZE, { scope, zone: zone ?? null }, authorization);
  expect(decision.scope.value).toBe(scope);
  return decision;
}

let zoneA: string;
let zoneB: string;

beforeAll(async () => {
  zoneA = await service.createZone(unique('a-zone'));
  zoneB = await service.createZone(unique('b-zone'));
});

beforeEach(() => service.setFeature(true));

describe('authorize for a PAT whose owner holds VIEWER in zone A only', () => {
  let user: Actor;
  let pat: string;

  beforeAll(async () => {
    await service.setFeature(true);
    user = await service.user();
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zoneA });
    pat = (await service.createPat(user, ['metrics.read', 'settings.read'])).authorization;
  });

  it('allows metrics.read (zone scoped) limited to zone A', async () => {
    const decision = await authorize(pat, 'metrics.read');
    expect(decision).toMatchObject({
      allowed: true,
      reason: null,
      scope: { value: 'metrics.read', requiredPermission: 'VIEWER', managementZoneScoped: true },
    });
    expect(decision.managementZones).toEqual([{ id: zoneA, name: expect.any(String) }]);
  });

  it('allows metrics.read in zone A, limited to zone A', async () => {
    expect(await service.decide(pat, 'metrics.read', zoneA)).toEqual(allowedIn([zoneA]));
  });

  it('refuses metrics.read in zone B with MANAGEMENT_ZONE_NOT_PERMITTED and no zones', async () => {
    expect(await service.decide(pat, 'metrics.read', zoneB)).toEqual(denied('MANAGEMENT_ZONE_NOT_PERMITTED'));
  });

  it('refuses settings.read (not zone scoped, needs VIEWER environment-wide) with MISSING_PERMISSION', async () => {
    const decision = await authorize(pat, 'settings.read');
    expect(decision.scope).toMatchObject({ requiredPermission: 'VIEWER', managementZoneScoped: false });
    expect({ allowed: decision.allowed, reason: decision.reason, zones: decision.managementZones }).toEqual({
      allowed: false,
      reason: 'MISSING_PERMISSION',
      zones: [],
    });
    expect(await service.decide(pat, 'settings.read', zoneA)).toEqual(denied('MISSING_PERMISSION'));
  });

  it('refuses a scope the PAT lacks with MISSING_SCOPE, before looking at permissions', async () => {
    expect(await service.decide(pat, 'metrics.write')).toEqual(denied('MISSING_SCOPE'));
    expect(await service.decide(pat, 'hub.install')).toEqual(denied('MISSING_SCOPE'));
    expect(await service.decide(pat, 'problems.read', zoneA)).toEqual(denied('MISSING_SCOPE'));
  });
});

describe('authorize with grants of other shapes', () => {
  it('an environment-wide grant: zone-scoped scopes reach the whole environment (managementZones null)', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER' });
    const pat = (await service.createPat(user, ['metrics.read', 'settings.read'])).authorization;
    expect(await service.decide(pat, 'metrics.read')).toEqual(allowedIn(null));
    expect(await service.decide(pat, 'settings.read')).toEqual(allowedIn(null));
    // Asked about one zone, the answer is about that zone.
    expect(await service.decide(pat, 'metrics.read', zoneB)).toEqual(allowedIn([zoneB]));
    // Never zones for a scope that is not zone scoped.
    expect(await service.decide(pat, 'settings.read', zoneB)).toEqual(allowedIn(null));
  });

  it('an environment-wide grant next to a zone grant: the environment wins', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zoneA }, { permission: 'VIEWER' });
    const pat = (await service.createPat(user, ['metrics.read'])).authorization;
    expect(await service.decide(pat, 'metrics.read')).toEqual(allowedIn(null));
  });

  it('grants in two zones, through two groups: both zones', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zoneA });
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zoneB });
    const pat = (await service.createPat(user, ['metrics.read'])).authorization;
    expect(await service.decide(pat, 'metrics.read')).toEqual(allowedIn([zoneA, zoneB]));
    expect(await service.decide(pat, 'metrics.read', zoneB)).toEqual(allowedIn([zoneB]));
  });

  it('a permission held in a zone implies VIEWER in that zone only', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'MANAGE_SETTINGS', managementZoneId: zoneB });
    const pat = (await service.createPat(user, ['metrics.read', 'slo.write'])).authorization;
    expect(await service.decide(pat, 'metrics.read')).toEqual(allowedIn([zoneB]));
    expect(await service.decide(pat, 'slo.write')).toEqual(allowedIn([zoneB]));
    expect(await service.decide(pat, 'metrics.read', zoneA)).toEqual(denied('MANAGEMENT_ZONE_NOT_PERMITTED'));
  });

  it('a user without any grant: MISSING_PERMISSION for zone-scoped and environment scopes', async () => {
    const user = await service.user();
    const pat = (await service.createPat(user, ['metrics.read', 'settings.read'])).authorization;
    expect(await service.decide(pat, 'metrics.read')).toEqual(denied('MISSING_PERMISSION'));
    expect(await service.decide(pat, 'metrics.read', zoneA)).toEqual(denied('MISSING_PERMISSION'));
    expect(await service.decide(pat, 'settings.read')).toEqual(denied('MISSING_PERMISSION'));
  });
});

describe('permission implications in authorize', () => {
  const SCOPES = ['metrics.read', 'settings.read', 'settings.write', 'hub.install', 'attacks.write'];
  const cases: [string, Record<string, boolean>][] = [
    ['VIEWER', { 'metrics.read': true, 'settings.read': true, 'settings.write': false, 'hub.install': false, 'attacks.write': false }],
    ['MANAGE_SETTINGS', { 'metrics.read': true, 'settings.read': true, 'settings.write': true, 'hub.install': false, 'attacks.write': false }],
    ['MANAGE_SECURITY_PROBLEMS', { 'metrics.read': true, 'settings.read': true, 'settings.write': false, 'hub.install': false, 'attacks.write': true }],
    ['ADMIN', { 'metrics.read': true, 'settings.read': true, 'settings.write': true, 'hub.install': true, 'attacks.write': true }],
  ];

  it.each(cases)('an owner holding %s environment-wide', async (permission, expected) => {
    const user = await service.user();
    await service.grant(user, { permission });
    const pat = (await service.createPat(user, SCOPES)).authorization;
    const actual: Record<string, boolean> = {};
    for (const scope of SCOPES) {
      const decision = await service.decide(pat, scope);
      actual[scope] = decision.allowed;
      expect(decision).toEqual(decision.allowed ? allowedIn(null) : denied('MISSING_PERMISSION'));
    }
    expect(actual).toEqual(expected);
  });

  it('the bootstrap admin (ADMIN without groups) is allowed hub.install through a PAT', async () => {
    const pat = (await service.createPat(await service.admin(), ['hub.install'])).authorization;
    expect(await service.decide(pat, 'hub.install')).toEqual(allowedIn(null));
  });
});

describe('authorize for a classic API token', () => {
  it('is decided on the scope alone', async () => {
    const classic = (await service.createApiToken(['metrics.read', 'settings.write', 'hub.install'])).authorization;
    expect(await service.decide(classic, 'metrics.read')).toEqual(allowedIn(null));
    expect(await service.decide(classic, 'metrics.read', zoneA)).toEqual(allowedIn([zoneA]));
    expect(await service.decide(classic, 'settings.write')).toEqual(allowedIn(null));
    expect(await service.decide(classic, 'settings.write', zoneA)).toEqual(allowedIn(null));
    expect(await service.decide(classic, 'hub.install')).toEqual(allowedIn(null));
    expect(await service.decide(classic, 'attacks.write')).toEqual(denied('MISSING_SCOPE'));
  });

  it('stays allowed when its creator loses ADMIN', async () => {
    const creator = await service.user();
    const groupId = await service.grant(creator, { permission: 'ADMIN' });
    const { createApiToken } = await service.ok(
      `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`,
      { input: { name: 'classic', scopes: ['hub.install'] } },
      creator.authorization,
    );
    const classic = `Api-Token ${createApiToken.token}`;
    const pat = (await service.createPat(creator, ['hub.install'])).authorization;
    expect(await service.decide(classic, 'hub.install')).toEqual(allowedIn(null));
    expect(await service.decide(pat, 'hub.install')).toEqual(allowedIn(null));

    await service.ok(SET_PERMISSIONS, { g: groupId, p: [] }, (await service.admin()).authorization);
    expect(await service.decide(classic, 'hub.install')).toEqual(allowedIn(null));
    expect(await service.decide(pat, 'hub.install')).toEqual(denied('MISSING_PERMISSION'));
  });
});

describe('grant changes take effect immediately', () => {
  it('the very next authorize after each change reflects it', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const pat = (await service.createPat(user, ['metrics.read'])).authorization;
    expect(await service.decide(pat, 'metrics.read')).toEqual(denied('MISSING_PERMISSION'));

    const groupId = await service.grant(user, { permission: 'VIEWER', managementZoneId: zoneA });
    expect(await service.decide(pat, 'metrics.read')).toEqual(allowedIn([zoneA]));

    await service.ok(SET_PERMISSIONS, { g: groupId, p: [{ permission: 'VIEWER', managementZoneId: zoneB }] }, admin.authorization);
    expect(await service.decide(pat, 'metrics.read')).toEqual(allowedIn([zoneB]));
    expect(await service.decide(pat, 'metrics.read', zoneA)).toEqual(denied('MANAGEMENT_ZONE_NOT_PERMITTED'));

    await service.ok(SET_PERMISSIONS, { g: groupId, p: [{ permission: 'VIEWER' }] }, admin.authorization);
    expect(await service.decide(pat, 'metrics.read')).toEqual(allowedIn(null));

    await service.ok(REMOVE_MEMBER, { g: groupId, u: user.userId }, admin.authorization);
    expect(await service.decide(pat, 'metrics.read')).toEqual(denied('MISSING_PERMISSION'));
  });
});

describe('authorize input errors', () => {
  it('an unknown scope is BAD_USER_INPUT on the field scope', async () => {
    const pat = (await service.createPat(await service.user(), ['metrics.read'])).authorization;
    for (const scope of ['no.such.scope', 'METRICS.READ', '']) {
      const response = await service.request(AUTHORIZE, { scope, zone: null }, pat);
      expectBadInput(response, 'scope');
    }
  });

  it('an unknown scope comes with the closest known ones, as extensions.unknownScopes', async () => {
    const pat = (await service.createPat(await service.user(), ['metrics.read'])).authorization;
    const response = await service.request(AUTHORIZE, { scope: 'metrics.raed', zone: null }, pat);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions.unknownScopes).toEqual([{ value: 'metrics.raed', suggestions: expect.arrayContaining(['metrics.read']) }]);
    expect((response.errors![0].extensions.unknownScopes as { suggestions: string[] }[])[0].suggestions[0]).toBe('metrics.read');
  });

  it('an unknown management zone id is NOT_FOUND, whether a well-formed uuid or not', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER' });
    const pat = (await service.createPat(user, ['metrics.read'])).authorization;
    const classic = (await service.createApiToken(['metrics.read'])).authorization;
    for (const authorization of [pat, classic]) {
      for (const zone of [randomUUID(), 'not-a-uuid', "'; DROP TABLE management_zone; --"]) {
        const response = await service.request(AUTHORIZE, { scope: 'metrics.read', zone }, authorization);
        expect(response.status).toBe(200);
        expect([zone, codes(response)]).toEqual([zone, ['NOT_FOUND']]);
      }
    }
  });

  it('needs authentication', async () => {
    const response = await service.request(AUTHORIZE, { scope: 'metrics.read', zone: null });
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('a suspended PAT', () => {
  afterEach(() => service.setFeature(true));

  it('cannot call authorize at all while the feature is off (HTTP 401), and can again once it is on', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER' });
    const pat = (await service.createPat(user, ['metrics.read'])).authorization;
    expect(await service.decide(pat, 'metrics.read')).toEqual(allowedIn(null));

    await service.setFeature(false);
    const response = await service.request(AUTHORIZE, { scope: 'metrics.read', zone: null }, pat);
    expectUnauthenticated(response);
    expect(response.data ?? null).toBeNull();
    expect(response.headers.get('www-authenticate')).toBeTruthy();

    // A classic token is no PAT: it is not suspended.
    const classic = (await service.createApiToken(['metrics.read'])).authorization;
    expect(await service.decide(classic, 'metrics.read')).toEqual(allowedIn(null));

    await service.setFeature(true);
    expect(await service.decide(pat, 'metrics.read')).toEqual(allowedIn(null));
  });
});
