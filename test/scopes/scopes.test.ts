import catalog from '../fixtures/scopes.json';
import { codes } from '../helpers/expectations';
import { SET_PERMISSIONS } from '../helpers/operations';
import { TestService } from '../helpers/service';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
});
afterAll(() => service?.stop());

describe('the scope catalog', () => {
  it('lists the 41 scopes of the product catalog with their rules', async () => {
    const admin = await service.admin();
    const { scopes } = await service.ok(
      '{ scopes { value name description requiredPermission managementZoneScoped } }',
      {},
      admin.authorization,
    );
    expect(scopes).toHaveLength(41);
    for (const expected of catalog) {
      const actual = scopes.find((scope: { value: string }) => scope.value === expected.value);
      expect(actual).toMatchObject({
        value: expected.value,
        name: expected.name,
        requiredPermission: expected.requiredPermission,
        managementZoneScoped: expected.managementZoneScoped,
      });
      if (expected.description) expect(actual.description).toBe(expected.description);
    }
  });

  it('gives every scope a description, its own where the catalog has none', async () => {
    const user = await service.user();
    const { scopes } = await service.ok('{ scopes { value description } }', {}, user.authorization);
    const undocumented = catalog.filter((scope) => scope.description === '').map((scope) => scope.value);
    expect(undocumented.length).toBeGreaterThan(0);
    for (const scope of scopes) expect(scope.description.length).toBeGreaterThan(20);
  });

  it('is not filtered by the caller\'s permissions', async () => {
    const nobody = await service.user();
    const { scopes } = await service.ok('{ scopes { value } }', {}, nobody.authorization);
    expect(scopes).toHaveLength(41);
  });

  it('filters by a case-insensitive search on value, name or description', async () => {
    const user = await service.user();
    const bySearch = await service.ok('{ scopes(filter: { search: "METRICS" }) { value } }', {}, user.authorization);
    expect(bySearch.scopes.map((scope: { value: string }) => scope.value)).toEqual(['metrics.read', 'metrics.write']);
    const byName = await service.ok('{ scopes(filter: { search: "activegates" }) { value } }', {}, user.authorization);
    expect(byName.scopes.map((scope: { value: string }) => scope.value)).toEqual(['activeGates.read', 'activeGates.write']);
  });

  it('filters by values', async () => {
    const user = await service.user();
    const { scopes } = await service.ok(
      '{ scopes(filter: { values: ["slo.read", "hub.install", "no.such"] }) { value requiredPermission } }',
      {},
      user.authorization,
    );
    expect(scopes).toEqual([
      { value: 'hub.install', requiredPermission: 'ADMIN' },
      { value: 'slo.read', requiredPermission: 'VIEWER' },
    ]);
  });

  it('needs authentication', async () => {
    const response = await service.request('{ scopes { value } }');
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('Scope.usableByMe', () => {
  const USABLE = `query($values: [ID!]) { scopes(filter: { values: $values }) { value usableByMe } }`;

  async function usable(authorization: string, values: string[]): Promise<Record<string, boolean>> {
    const { scopes } = await service.ok(USABLE, { values }, authorization);
    return Object.fromEntries(scopes.map((scope: { value: string; usableByMe: boolean }) => [scope.value, scope.usableByMe]));
  }

  beforeAll(() => service.setFeature(true));

  it('false for everything needing a permission the user lacks', async () => {
    const user = await service.user();
    expect(await usable(user.authorization, ['metrics.read', 'settings.write', 'settings.read'])).toEqual({
      'metrics.read': false,
      'settings.write': false,
      'settings.read': false,
    });
  });

  it('a VIEWER: true on metrics.read, false on settings.write (needs MANAGE_SETTINGS)', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER' });
    expect(await usable(user.authorization, ['metrics.read', 'settings.write', 'hub.install'])).toEqual({
      'metrics.read': true,
      'settings.write': false,
      'hub.install': false,
    });
  });

  it('MANAGE_SETTINGS makes settings.write usable (and implies VIEWER)', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'MANAGE_SETTINGS' });
    expect(await usable(user.authorization, ['settings.write', 'metrics.read', 'attacks.write'])).toEqual({
      'settings.write': true,
      'metrics.read': true,
      'attacks.write': false,
    });
  });

  it('a zone grant makes a zone-scoped scope usable, not an environment-wide one', async () => {
    const user = await service.user();
    const zone = await service.createZone();
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zone });
    expect(await usable(user.authorization, ['metrics.read', 'entities.read', 'settings.read'])).toEqual({
      'metrics.read': true,
      'entities.read': true,
      'settings.read': false,
    });
  });

  it('follows grant changes from one request to the next', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const groupId = await service.grant(user, { permission: 'VIEWER' });
    expect((await usable(user.authorization, ['settings.write']))['settings.write']).toBe(false);
    await service.ok(SET_PERMISSIONS, { g: groupId, p: [{ permission: 'MANAGE_SETTINGS' }] }, admin.authorization);
    expect((await usable(user.authorization, ['settings.write']))['settings.write']).toBe(true);
  });

  it('through a PAT it answers for the token\'s owner', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER' });
    const token = await service.createPat(user, ['apiTokens.read']);
    const response = await service.request(USABLE, { values: ['metrics.read', 'settings.write'] }, token.authorization);
    expect(codes(response)).toEqual([]);
    const byValue = Object.fromEntries(response.data.scopes.map((s: { value: string; usableByMe: boolean }) => [s.value, s.usableByMe]));
    expect(byValue).toEqual({ 'metrics.read': true, 'settings.write': false });
  });
});
