import { randomUUID } from 'node:crypto';
import { codes, expectBadInput } from '../helpers/expectations';
import { EFFECTIVE_ACCESS, allowedIn, denied, unique } from '../helpers/operations';
import { type Actor, TestService } from '../helpers/service';

let service: TestService;
let zoneA: string;
let zoneB: string;
let zoneC: string;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
  zoneA = await service.createZone(unique('a'));
  zoneB = await service.createZone(unique('b'));
  zoneC = await service.createZone(unique('c'));
});
afterAll(() => service?.stop());

const notPermitted = denied('MANAGEMENT_ZONE_NOT_PERMITTED');

async function restricted(owner: Actor, zones: string[], scopes = ['metrics.read', 'settings.read', 'entities.read']) {
  return service.createPat(owner, scopes, { managementZoneIds: zones });
}

describe('creating a PAT restricted to zones', () => {
  it('shows the restriction in managementZones; an unrestricted token shows null', async () => {
    const user = await service.user();
    const token = await restricted(user, [zoneB, zoneA]);
    const plain = await service.createPat(user, ['metrics.read']);
    const query = 'query($id: ID!) { accessToken(id: $id) { managementZones { id name } } }';
    const { accessToken } = await service.ok(query, { id: token.id }, user.authorization);
    expect(accessToken.managementZones.map((zone: { id: string }) => zone.id).sort()).toEqual([zoneA, zoneB].sort());
    expect(accessToken.managementZones.every((zone: { name: string }) => typeof zone.name === 'string' && zone.name.length > 0)).toBe(true);
    expect((await service.ok(query, { id: plain.id }, user.authorization)).accessToken.managementZones).toBeNull();
    const [event] = await service.eventsAbout(token.id, ['TOKEN_CREATED']);
    expect(JSON.parse(event.details).managementZoneIds.sort()).toEqual([zoneA, zoneB].sort());
  });

  it.each<[string, () => string[]]>([
    ['an unknown zone id', () => [randomUUID()]],
    ['a known and an unknown zone id', () => [zoneA, randomUUID()]],
    ['something that is no id at all', () => ['not-a-uuid']],
    ['an empty list', () => []],
  ])('refuses %s as BAD_USER_INPUT (field managementZoneIds) and creates nothing', async (_label, zones) => {
    const user = await service.user();
    const response = await service.tryCreatePat(user, { name: 'zoned', managementZoneIds: zones() });
    expectBadInput(response, 'managementZoneIds');
    const { accessTokens } = await service.ok('{ accessTokens { totalCount } }', {}, user.authorization);
    expect(accessTokens.totalCount).toBe(0);
  });

  it('createApiToken with managementZoneIds is BAD_USER_INPUT (only PATs) and creates nothing', async () => {
    const admin = await service.admin();
    const name = unique('zoned api');
    const response = await service.tryCreateApiToken({ name, managementZoneIds: [zoneA] }, admin);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    const { accessTokens } = await service.ok(
      'query($name: String!) { accessTokens(filter: { nameContains: $name }) { totalCount } }',
      { name },
      admin.authorization,
    );
    expect(accessTokens.totalCount).toBe(0);
  });
});

describe('authorize answers with the intersection of the token\'s and the owner\'s zones', () => {
  it('owner VIEWER environment-wide, token restricted to [A]: metrics.read in [A]; zone B not permitted', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER' });
    const token = await restricted(user, [zoneA]);
    expect(await service.decide(token.authorization, 'metrics.read')).toEqual(allowedIn([zoneA]));
    expect(await service.decide(token.authorization, 'metrics.read', zoneA)).toEqual(allowedIn([zoneA]));
    expect(await service.decide(token.authorization, 'metrics.read', zoneB)).toEqual(notPermitted);
    // The owner's own session is not restricted.
    expect(await service.decide(user.authorization, 'metrics.read')).toEqual(allowedIn(null));
    expect(await service.decide(user.authorization, 'metrics.read', zoneB)).toEqual(allowedIn([zoneB]));
  });

  it('owner VIEWER in [A, B], token restricted to [B, C]: only [B]', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zoneA }, { permission: 'VIEWER', managementZoneId: zoneB });
    const token = await restricted(user, [zoneB, zoneC]);
    expect(await service.decide(token.authorization, 'metrics.read')).toEqual(allowedIn([zoneB]));
    expect(await service.decide(token.authorization, 'entities.read')).toEqual(allowedIn([zoneB]));
    expect(await service.decide(token.authorization, 'metrics.read', zoneB)).toEqual(allowedIn([zoneB]));
    expect(await service.decide(token.authorization, 'metrics.read', zoneA)).toEqual(notPermitted);
    expect(await service.decide(token.authorization, 'metrics.read', zoneC)).toEqual(notPermitted);
  });

  it('owner VIEWER in [A], token restricted to [C]: MANAGEMENT_ZONE_NOT_PERMITTED', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zoneA });
    const token = await restricted(user, [zoneC]);
    expect(await service.decide(token.authorization, 'metrics.read')).toEqual(notPermitted);
    expect(await service.decide(token.authorization, 'metrics.read', zoneC)).toEqual(notPermitted);
    expect(await service.decide(token.authorization, 'metrics.read', zoneA)).toEqual(notPermitted);
  });

  it('the restriction never widens: an owner without the permission is still MISSING_PERMISSION', async () => {
    const user = await service.user();
    const token = await restricted(user, [zoneA]);
    expect(await service.decide(token.authorization, 'metrics.read')).toEqual(denied('MISSING_PERMISSION'));
  });

  it('scopes that are not zone-scoped are unaffected', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER' });
    const token = await restricted(user, [zoneA]);
    expect(await service.decide(token.authorization, 'settings.read')).toEqual(allowedIn(null));
    const other = await service.user();
    await service.grant(other, { permission: 'VIEWER', managementZoneId: zoneA });
    const otherToken = await restricted(other, [zoneA]);
    expect(await service.decide(otherToken.authorization, 'settings.read')).toEqual(denied('MISSING_PERMISSION'));
  });

  it('follows the owner\'s grants: a new zone grant inside the restriction widens the answer up to it', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zoneA });
    const token = await restricted(user, [zoneA, zoneB]);
    expect(await service.decide(token.authorization, 'metrics.read')).toEqual(allowedIn([zoneA]));
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zoneB }, { permission: 'VIEWER', managementZoneId: zoneC });
    expect(await service.decide(token.authorization, 'metrics.read')).toEqual(allowedIn([zoneA, zoneB]));
  });

  it('effectiveAccess shows the same intersection', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'VIEWER', managementZoneId: zoneA }, { permission: 'VIEWER', managementZoneId: zoneB });
    const token = await restricted(user, [zoneB, zoneC], ['metrics.read', 'settings.read']);
    const { accessToken } = await service.ok(EFFECTIVE_ACCESS, { id: token.id }, user.authorization);
    const byScope = Object.fromEntries(
      accessToken.effectiveAccess.map((d: any) => [d.scope.value, { allowed: d.allowed, reason: d.reason, zones: d.managementZones?.map((z: { id: string }) => z.id) ?? null }]),
    );
    expect(byScope).toEqual({
      'metrics.read': { allowed: true, reason: null, zones: [zoneB] },
      'settings.read': { allowed: false, reason: 'MISSING_PERMISSION', zones: [] },
    });
    const restrictedAway = await restricted(user, [zoneC], ['metrics.read']);
    const { accessToken: away } = await service.ok(EFFECTIVE_ACCESS, { id: restrictedAway.id }, user.authorization);
    expect(away.effectiveAccess).toEqual([{ allowed: false, reason: 'MANAGEMENT_ZONE_NOT_PERMITTED', scope: { value: 'metrics.read' }, managementZones: [] }]);
  });
});
