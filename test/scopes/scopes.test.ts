import catalog from '../fixtures/scopes.json';
import { codes } from '../helpers/expectations';
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
