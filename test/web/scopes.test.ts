import { type ScopeOption, apiLabel, filterScopeGroups, groupScopes, unusableReason } from '../../web/src/lib/scopes';
import catalog from '../fixtures/scopes.json';

const scopes: ScopeOption[] = (catalog as Omit<ScopeOption, 'usableByMe'>[]).map((scope) => ({ ...scope, usableByMe: true }));

describe('the scope picker\'s groups', () => {
  it('puts every scope of the catalog in the group of its API, once', () => {
    const groups = groupScopes(scopes);
    expect(groups.flatMap((group) => group.scopes.map((scope) => scope.value)).sort()).toEqual(scopes.map((scope) => scope.value).sort());
    for (const group of groups) {
      for (const scope of group.scopes) expect(scope.value.startsWith(`${group.api}.`)).toBe(true);
    }
    expect(groups.find((group) => group.api === 'metrics')!.scopes.map((scope) => scope.value)).toEqual(['metrics.read', 'metrics.write']);
  });

  it('names a group after the words its scope names share, else after its API value', () => {
    const labels = Object.fromEntries(groupScopes(scopes).map((group) => [group.api, group.label]));
    expect(labels).toMatchObject({
      apiTokens: 'API tokens',
      activeGates: 'ActiveGates',
      metrics: 'Metrics',
      javaScriptMappingFiles: 'JavaScript mapping files',
      extensionConfigurations: 'Extensions monitoring configuration',
      slo: 'SLOs',
      // A lone scope, and names that share no ending, fall back to the value.
      extensionConfigurationActions: 'Extension configuration actions',
      hub: 'Hub',
      attacks: 'Attacks',
    });
  });

  it('orders groups by label', () => {
    const labels = groupScopes(scopes).map((group) => group.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
  });

  it('never takes the verb for the API', () => {
    expect(apiLabel('x', ['Read things', 'Read stuff'])).toBe('X');
  });

  it('finds scopes by value, name, description or group label', () => {
    const groups = groupScopes(scopes);
    expect(filterScopeGroups(groups, 'DELETE a custom metric').flatMap((group) => group.scopes.map((scope) => scope.value))).toEqual(['metrics.write']);
    expect(filterScopeGroups(groups, 'api tokens').map((group) => group.api)).toEqual(['apiTokens']);
    expect(filterScopeGroups(groups, '  ')).toHaveLength(groups.length);
    expect(filterScopeGroups(groups, 'no such scope')).toEqual([]);
  });
});

describe('why a scope cannot be used today', () => {
  it('is silent for a usable scope', () => {
    expect(unusableReason({ usableByMe: true, requiredPermission: 'ADMIN', managementZoneScoped: false })).toBeNull();
  });

  it('names the permission, and whether a zone grant is enough', () => {
    expect(unusableReason({ usableByMe: false, requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false })).toBe(
      'You cannot use it today: it needs the Manage settings permission environment-wide.',
    );
    expect(unusableReason({ usableByMe: false, requiredPermission: 'VIEWER', managementZoneScoped: true })).toMatch(/Viewer permission, environment-wide or in a management zone/);
  });
});
