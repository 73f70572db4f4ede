import { type Decision, EFFECTIVE_ACCESS, REMOVE_MEMBER, SET_PERMISSIONS, unique, zoneIds } from '../helpers/operations';
import { TestService } from '../helpers/service';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

/** scope value → decision, as the token's owner reads it. */
async function effective(id: string, authorization: string): Promise<Record<string, Decision>> {
  const { accessToken } = await service.ok(EFFECTIVE_ACCESS, { id }, authorization);
  const byScope: Record<string, Decision> = {};
  for (const decision of accessToken.effectiveAccess) {
    byScope[decision.scope.value] = { allowed: decision.allowed, reason: decision.reason, zones: zoneIds(decision.managementZones) };
  }
  return byScope;
}

describe('AccessToken.effectiveAccess', () => {
  it('one decision per scope of the token, from the owner\'s current permissions', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read', 'settings.write', 'settings.read']);

    const none = await effective(token.id, user.authorization);
    expect(Object.keys(none).sort()).toEqual(['metrics.read', 'settings.read', 'settings.write']);
    for (const decision of Object.values(none)) expect(decision).toEqual({ allowed: false, reason: 'MISSING_PERMISSION', zones: [] });

    const groupId = await service.grant(user, { permission: 'VIEWER' });
    expect(await effective(token.id, user.authorization)).toEqual({
      'metrics.read': { allowed: true, reason: null, zones: null },
      'settings.read': { allowed: true, reason: null, zones: null },
      'settings.write': { allowed: false, reason: 'MISSING_PERMISSION', zones: [] },
    });

    await service.ok(SET_PERMISSIONS, { g: groupId, p: [{ permission: 'MANAGE_SETTINGS' }] }, admin.authorization);
    expect((await effective(token.id, user.authorization))['settings.write']).toEqual({ allowed: true, reason: null, zones: null });

    await service.ok(REMOVE_MEMBER, { g: groupId, u: user.userId }, admin.authorization);
    expect((await effective(token.id, user.authorization))['metrics.read']).toEqual({ allowed: false, reason: 'MISSING_PERMISSION', zones: [] });
  });

  it('a zone grant limits a zone-scoped scope to that zone and does not allow the others', async () => {
    const user = await service.user();
    const zone = await service.createZone();
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zone });
    const token = await service.createPat(user, ['metrics.read', 'settings.read']);
    expect(await effective(token.id, user.authorization)).toEqual({
      'metrics.read': { allowed: true, reason: null, zones: [zone] },
      'settings.read': { allowed: false, reason: 'MISSING_PERMISSION', zones: [] },
    });
  });

  it('is the owner\'s view, whoever reads it: an admin sees the same decisions', async () => {
    const admin = await service.admin();
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER' });
    const token = await service.createPat(user, ['metrics.read', 'settings.write']);
    expect(await effective(token.id, admin.authorization)).toEqual(await effective(token.id, user.authorization));
    expect((await effective(token.id, admin.authorization))['settings.write'].allowed).toBe(false);
  });

  it('a classic API token is allowed every scope it carries', async () => {
    const admin = await service.admin();
    const token = await service.createApiToken(['metrics.read', 'hub.install']);
    const decisions = await effective(token.id, admin.authorization);
    expect(decisions['metrics.read'].allowed).toBe(true);
    expect(decisions['hub.install'].allowed).toBe(true);
  });

  it('matches what authorize answers when the token itself asks', async () => {
    const user = await service.user();
    const zone = await service.createZone();
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zone });
    const token = await service.createPat(user, ['metrics.read', 'settings.write', 'apiTokens.read']);
    const decisions = await effective(token.id, user.authorization);
    for (const scope of ['metrics.read', 'settings.write', 'apiTokens.read']) {
      expect(await service.decide(token.authorization, scope)).toEqual(decisions[scope]);
    }
  });
});

describe('AccessToken.effectiveAccess of a page of tokens', () => {
  const ZONE_SCOPED = [
    'entities.read', 'entities.write', 'events.read', 'metrics.read', 'problems.read',
    'problems.write', 'securityProblems.read', 'slo.read', 'slo.write',
  ];
  const EFFECTIVE = `query($n: Int, $filter: AccessTokenFilter) { accessTokens(first: $n, filter: $filter) {
    nodes { id effectiveAccess { allowed reason scope { value } managementZones { id name } } } } }`;

  it('costs the same few statements for 2 tokens as for 20, each with nine zone-scoped scopes', async () => {
    const user = await service.user();
    const [east, west, north] = await Promise.all([service.createZone(), service.createZone(), service.createZone()]);
    await service.grant(user, { permission: 'VIEWER', managementZoneId: east }, { permission: 'VIEWER', managementZoneId: west });
    await service.grant(user, { permission: 'MANAGE_SETTINGS', managementZoneId: north });
    const name = unique('load');
    for (let i = 0; i < 20; i += 1) await service.createPat(user, ZONE_SCOPED, { name: `${name} ${i}` });

    const filter = { nameContains: name };
    const small = await service.warmStatements(EFFECTIVE, { n: 2, filter }, user.authorization);
    const large = await service.warmStatements(EFFECTIVE, { n: 20, filter }, user.authorization);
    expect(large.data.accessTokens.nodes).toHaveLength(20);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(8);

    // And the answers are right: VIEWER scopes in east and west, MANAGE_SETTINGS ones in north (which includes VIEWER).
    for (const node of large.data.accessTokens.nodes) {
      const byScope = Object.fromEntries(
        node.effectiveAccess.map((decision: any) => [decision.scope.value, decision.managementZones.map((zone: any) => zone.id).sort()]),
      );
      expect(byScope['metrics.read']).toEqual([east, west, north].sort());
      expect(byScope['slo.write']).toEqual([north]);
      expect(node.effectiveAccess.every((decision: any) => decision.allowed)).toBe(true);
    }
  });
});
