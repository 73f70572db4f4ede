import { randomBytes, randomUUID } from 'node:crypto';
import { codes, expectBadInput, expectForbidden, expectNotFound } from '../helpers/expectations';
import { ADD_MEMBER, CREATE_GROUP, CREATE_ZONE, GROUP_FIELDS, REMOVE_MEMBER, SET_PERMISSIONS, unique } from '../helpers/operations';
import { type Actor, TestService } from '../helpers/service';
import { atOnce } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
});
afterAll(() => service?.stop());

const ZONES = '{ managementZones { id name } }';
const GROUPS = `{ groups { ${GROUP_FIELDS} } }`;

interface Grant {
  permission: string;
  managementZone: { id: string; name: string } | null;
}

interface Group {
  id: string;
  name: string;
  permissions: Grant[];
  members: { id: string; subject: string }[];
}

/** A grant as a comparable key: PERMISSION@zoneId, or PERMISSION@environment. */
function grantKey(grant: { permission: string; managementZone?: { id: string } | null; managementZoneId?: string | null }): string {
  const zone = grant.managementZone?.id ?? grant.managementZoneId ?? null;
  return `${grant.permission}@${zone ?? 'environment'}`;
}

function grantKeys(grants: Grant[]): string[] {
  return grants.map(grantKey).sort();
}

let admin: Actor;

beforeAll(async () => {
  admin = await service.admin();
});

async function createGroup(name: string, permissions: { permission: string; managementZoneId?: string | null }[]): Promise<Group> {
  return (await service.ok(CREATE_GROUP, { input: { name, permissions } }, admin.authorization)).createGroup;
}

async function allGroups(): Promise<Group[]> {
  return (await service.ok(GROUPS, {}, admin.authorization)).groups;
}

async function groupById(id: string): Promise<Group | undefined> {
  return (await allGroups()).find((group) => group.id === id);
}

describe('management zones', () => {
  it('creates a zone and lists it', async () => {
    const name = unique('Production');
    const { createManagementZone: zone } = await service.ok(CREATE_ZONE, { name }, admin.authorization);
    expect(zone.name).toBe(name);
    expect(zone.id).toMatch(/^[0-9a-f-]{36}$/i);
    const { managementZones } = await service.ok(ZONES, {}, admin.authorization);
    expect(managementZones).toContainEqual({ id: zone.id, name });
  });

  it('refuses a duplicate name, case-insensitively, with BAD_USER_INPUT on name', async () => {
    const name = unique('Staging-Zone');
    await service.ok(CREATE_ZONE, { name }, admin.authorization);
    for (const duplicate of [name, name.toLowerCase(), name.toUpperCase()]) {
      expectBadInput(await service.request(CREATE_ZONE, { name: duplicate }, admin.authorization), 'name');
    }
    const accented = unique('Zürich');
    await service.ok(CREATE_ZONE, { name: accented }, admin.authorization);
    expectBadInput(await service.request(CREATE_ZONE, { name: accented.toUpperCase() }, admin.authorization), 'name');
    const { managementZones } = await service.ok(ZONES, {}, admin.authorization);
    expect(managementZones.filter((zone: { name: string }) => zone.name.toLowerCase() === name.toLowerCase())).toHaveLength(1);
  });

  it('refuses empty, blank and over-long (201 characters) names with BAD_USER_INPUT on name', async () => {
    const before = (await service.ok(ZONES, {}, admin.authorization)).managementZones.length;
    for (const name of ['', '   ', 'x'.repeat(201), '🚀'.repeat(201)]) {
      expectBadInput(await service.request(CREATE_ZONE, { name }, admin.authorization), 'name');
    }
    const after = (await service.ok(ZONES, {}, admin.authorization)).managementZones.length;
    expect(after).toBe(before);
  });

  it('accepts a name of exactly 200 characters, emoji counting as one', async () => {
    for (const name of [`${unique('z')}`.padEnd(200, 'x'), `${randomBytes(2).toString('hex')}${'🌍'.repeat(196)}`]) {
      expect([...name]).toHaveLength(200);
      const { createManagementZone: zone } = await service.ok(CREATE_ZONE, { name }, admin.authorization);
      expect(zone.name).toBe(name);
    }
  });

  it('stores SQL-looking and unicode names verbatim', async () => {
    const suffix = randomBytes(3).toString('hex');
    const names = [
      `Robert'); DROP TABLE management_zone; -- ${suffix}`,
      `"quoted" \\ back\\slash % _ ${suffix}`,
      `Zürich 東京 Ελλάδα 🚀👩‍👩‍👧 ${suffix}`,
      `  padded ${suffix}  `,
    ];
    const ids: Record<string, string> = {};
    for (const name of names) {
      const { createManagementZone: zone } = await service.ok(CREATE_ZONE, { name }, admin.authorization);
      expect(zone.name).toBe(name);
      ids[name] = zone.id;
    }
    const { managementZones } = await service.ok(ZONES, {}, admin.authorization);
    for (const name of names) expect(managementZones).toContainEqual({ id: ids[name], name });
  });

  it('lists zones for any signed-in user, even one without groups, but not without credentials', async () => {
    const zoneName = unique('visible');
    const { createManagementZone: zone } = await service.ok(CREATE_ZONE, { name: zoneName }, admin.authorization);
    const nobody = await service.user();
    const { managementZones } = await service.ok(ZONES, {}, nobody.authorization);
    expect(managementZones).toContainEqual({ id: zone.id, name: zoneName });

    const anonymous = await service.request(ZONES);
    expect(anonymous.status).toBe(200);
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('groups', () => {
  it('creates a group with environment-wide and zone grants, resolving the zones', async () => {
    const zoneName = unique('zone');
    const zoneId = await service.createZone(zoneName);
    const name = unique('Operators');
    const group = await createGroup(name, [
      { permission: 'VIEWER' },
      { permission: 'MANAGE_SETTINGS', managementZoneId: zoneId },
      { permission: 'ADMIN', managementZoneId: null },
    ]);
    expect(group.name).toBe(name);
    expect(group.members).toEqual([]);
    expect(grantKeys(group.permissions)).toEqual(['ADMIN@environment', `MANAGE_SETTINGS@${zoneId}`, 'VIEWER@environment']);
    expect(group.permissions).toContainEqual({ permission: 'MANAGE_SETTINGS', managementZone: { id: zoneId, name: zoneName } });
    expect(group.permissions).toContainEqual({ permission: 'VIEWER', managementZone: null });

    const listed = await groupById(group.id);
    expect(listed).toBeDefined();
    expect(grantKeys(listed!.permissions)).toEqual(grantKeys(group.permissions));
  });

  it('deduplicates duplicate grants', async () => {
    const zoneId = await service.createZone();
    const group = await createGroup(unique('dups'), [
      { permission: 'VIEWER' },
      { permission: 'VIEWER', managementZoneId: null },
      { permission: 'VIEWER', managementZoneId: zoneId },
      { permission: 'VIEWER', managementZoneId: zoneId },
      { permission: 'VIEWER' },
    ]);
    expect(grantKeys(group.permissions)).toEqual([`VIEWER@${zoneId}`, 'VIEWER@environment'].sort());
  });

  it('refuses an unknown zone id with BAD_USER_INPUT and creates no group', async () => {
    const knownZone = await service.createZone();
    for (const unknownZone of [randomUUID(), 'not-a-zone-id']) {
      const name = unique('ghost');
      const response = await service.request(
        CREATE_GROUP,
        { input: { name, permissions: [{ permission: 'VIEWER', managementZoneId: knownZone }, { permission: 'ADMIN', managementZoneId: unknownZone }] } },
        admin.authorization,
      );
      expectBadInput(response, /permissions/);
      const groups = await allGroups();
      expect(groups.map((group) => group.name)).not.toContain(name);
      // The name is still free: nothing half-made was left behind.
      const created = await createGroup(name, []);
      expect(created.name).toBe(name);
    }
  });

  it('refuses a duplicate group name, case-insensitively, and bad names', async () => {
    const name = unique('Team-Alpha');
    await createGroup(name, []);
    for (const duplicate of [name, name.toUpperCase()]) {
      expectBadInput(await service.request(CREATE_GROUP, { input: { name: duplicate, permissions: [] } }, admin.authorization), 'name');
    }
    for (const bad of ['', '  ', 'g'.repeat(201)]) {
      expectBadInput(await service.request(CREATE_GROUP, { input: { name: bad, permissions: [] } }, admin.authorization), 'name');
    }
  });

  it('setGroupPermissions replaces the whole set', async () => {
    const zoneA = await service.createZone();
    const zoneB = await service.createZone();
    const group = await createGroup(unique('replace'), [{ permission: 'ADMIN' }, { permission: 'VIEWER', managementZoneId: zoneA }]);

    const replaced = (
      await service.ok(
        SET_PERMISSIONS,
        { g: group.id, p: [{ permission: 'MANAGE_SECURITY_PROBLEMS', managementZoneId: zoneB }, { permission: 'VIEWER' }] },
        admin.authorization,
      )
    ).setGroupPermissions;
    expect(replaced.id).toBe(group.id);
    expect(grantKeys(replaced.permissions)).toEqual([`MANAGE_SECURITY_PROBLEMS@${zoneB}`, 'VIEWER@environment'].sort());
    expect(grantKeys((await groupById(group.id))!.permissions)).toEqual(grantKeys(replaced.permissions));

    const emptied = (await service.ok(SET_PERMISSIONS, { g: group.id, p: [] }, admin.authorization)).setGroupPermissions;
    expect(emptied.permissions).toEqual([]);
    expect((await groupById(group.id))!.permissions).toEqual([]);
  });

  it('setGroupPermissions with an unknown zone changes nothing; an unknown group is NOT_FOUND', async () => {
    const zoneA = await service.createZone();
    const group = await createGroup(unique('keep'), [{ permission: 'VIEWER', managementZoneId: zoneA }]);
    for (const unknownZone of [randomUUID(), 'nope']) {
      const response = await service.request(
        SET_PERMISSIONS,
        { g: group.id, p: [{ permission: 'ADMIN' }, { permission: 'VIEWER', managementZoneId: unknownZone }] },
        admin.authorization,
      );
      expectBadInput(response, /permissions/);
      expect(grantKeys((await groupById(group.id))!.permissions)).toEqual([`VIEWER@${zoneA}`]);
    }
    for (const unknownGroup of [randomUUID(), 'not-a-group']) {
      expectNotFound(await service.request(SET_PERMISSIONS, { g: unknownGroup, p: [{ permission: 'VIEWER' }] }, admin.authorization));
    }
  });

  it('addGroupMember and removeGroupMember are idempotent and list the members', async () => {
    const group = await createGroup(unique('members'), [{ permission: 'VIEWER' }]);
    const ann = await service.user(unique('ann'));
    const ben = await service.user(unique('ben'));

    const once = (await service.ok(ADD_MEMBER, { g: group.id, u: ann.userId }, admin.authorization)).addGroupMember;
    expect(once.members).toEqual([{ id: ann.userId, subject: ann.subject }]);
    const twice = (await service.ok(ADD_MEMBER, { g: group.id, u: ann.userId }, admin.authorization)).addGroupMember;
    expect(twice.members).toEqual([{ id: ann.userId, subject: ann.subject }]);

    const both = (await service.ok(ADD_MEMBER, { g: group.id, u: ben.userId }, admin.authorization)).addGroupMember;
    expect(both.members.map((member: { id: string }) => member.id).sort()).toEqual([ann.userId, ben.userId].sort());
    expect((await groupById(group.id))!.members.map((member) => member.id).sort()).toEqual([ann.userId, ben.userId].sort());

    const removed = (await service.ok(REMOVE_MEMBER, { g: group.id, u: ann.userId }, admin.authorization)).removeGroupMember;
    expect(removed.members).toEqual([{ id: ben.userId, subject: ben.subject }]);
    const removedAgain = (await service.ok(REMOVE_MEMBER, { g: group.id, u: ann.userId }, admin.authorization)).removeGroupMember;
    expect(removedAgain.members).toEqual([{ id: ben.userId, subject: ben.subject }]);
    expect((await groupById(group.id))!.members).toEqual([{ id: ben.userId, subject: ben.subject }]);
  });

  it('add/removeGroupMember with an unknown group or user is NOT_FOUND', async () => {
    const group = await createGroup(unique('nf'), []);
    const user = await service.user();
    for (const mutation of [ADD_MEMBER, REMOVE_MEMBER]) {
      for (const [g, u] of [
        [randomUUID(), user.userId],
        ['not-a-group', user.userId],
        [group.id, randomUUID()],
        [group.id, 'not-a-user'],
      ]) {
        expectNotFound(await service.request(mutation, { g, u }, admin.authorization));
      }
    }
    expect((await groupById(group.id))!.members).toEqual([]);
  });

  it("User.permissions shows every grant the user holds through its groups", async () => {
    const zoneId = await service.createZone();
    const user = await service.user();
    const me = async () =>
      (await service.ok('{ me { permissions { permission managementZone { id } } } }', {}, user.authorization)).me.permissions as Grant[];
    expect(await me()).toEqual([]);

    const first = await createGroup(unique('p1'), [{ permission: 'VIEWER' }, { permission: 'MANAGE_SETTINGS', managementZoneId: zoneId }]);
    const second = await createGroup(unique('p2'), [{ permission: 'MANAGE_SECURITY_PROBLEMS' }, { permission: 'VIEWER' }]);
    await service.ok(ADD_MEMBER, { g: first.id, u: user.userId }, admin.authorization);
    expect(grantKeys(await me())).toEqual([`MANAGE_SETTINGS@${zoneId}`, 'VIEWER@environment'].sort());

    await service.ok(ADD_MEMBER, { g: second.id, u: user.userId }, admin.authorization);
    const through = await me();
    expect(new Set(grantKeys(through))).toEqual(new Set(['VIEWER@environment', `MANAGE_SETTINGS@${zoneId}`, 'MANAGE_SECURITY_PROBLEMS@environment']));
    expect(through).toContainEqual({ permission: 'MANAGE_SETTINGS', managementZone: { id: zoneId } });

    await service.ok(REMOVE_MEMBER, { g: first.id, u: user.userId }, admin.authorization);
    expect(grantKeys(await me())).toEqual(['MANAGE_SECURITY_PROBLEMS@environment', 'VIEWER@environment']);
  });

  it('only an admin may read or change groups', async () => {
    const group = await createGroup(unique('guarded'), []);
    const user = await service.user();
    const attempts: [string, Record<string, unknown>][] = [
      [GROUPS, {}],
      [CREATE_GROUP, { input: { name: unique('x'), permissions: [] } }],
      [SET_PERMISSIONS, { g: group.id, p: [{ permission: 'ADMIN' }] }],
      [ADD_MEMBER, { g: group.id, u: user.userId }],
      [REMOVE_MEMBER, { g: group.id, u: user.userId }],
      [CREATE_ZONE, { name: unique('x') }],
    ];
    for (const [query, variables] of attempts) {
      const response = await service.request(query, variables, user.authorization);
      expectForbidden(response, { permission: 'ADMIN' });
    }
    const after = await groupById(group.id);
    expect(after!.permissions).toEqual([]);
    expect(after!.members).toEqual([]);
  });
});

describe('concurrent changes', () => {
  it('20 concurrent addGroupMember calls of different users all land', async () => {
    const group = await createGroup(unique('crowd'), [{ permission: 'VIEWER' }]);
    const users = await atOnce(20, (index) => service.user(unique(`crowd${index}`)));
    const responses = await Promise.all(
      users.map((user) => service.request(ADD_MEMBER, { g: group.id, u: user.userId }, admin.authorization)),
    );
    for (const response of responses) expect(response.errors).toBeUndefined();
    const members = (await groupById(group.id))!.members.map((member) => member.id);
    expect(members).toHaveLength(20);
    expect(new Set(members)).toEqual(new Set(users.map((user) => user.userId)));
  });

  it('the same member added concurrently is a member once', async () => {
    const group = await createGroup(unique('same'), []);
    const user = await service.user();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => service.request(ADD_MEMBER, { g: group.id, u: user.userId }, admin.authorization)),
    );
    for (const response of responses) expect(response.errors).toBeUndefined();
    expect((await groupById(group.id))!.members.map((member) => member.id)).toEqual([user.userId]);
  });

  it('concurrent setGroupPermissions calls leave exactly one of the submitted sets', async () => {
    const zones = await Promise.all([service.createZone(), service.createZone(), service.createZone()]);
    const group = await createGroup(unique('race'), [{ permission: 'ADMIN' }]);
    const permissions = ['VIEWER', 'MANAGE_SETTINGS', 'MANAGE_SECURITY_PROBLEMS', 'ADMIN'];
    // Ten different sets of several grants each, overlapping so that a mix would be visible.
    const sets = Array.from({ length: 10 }, (_, index) => [
      { permission: permissions[index % 4], managementZoneId: null },
      { permission: permissions[(index + 1) % 4], managementZoneId: zones[index % 3] },
      { permission: 'VIEWER', managementZoneId: zones[(index + 1) % 3] },
      ...(index % 2 === 0 ? [{ permission: permissions[(index + 2) % 4], managementZoneId: zones[(index + 2) % 3] }] : []),
    ]);
    const submitted = sets.map((set) => [...new Set(set.map(grantKey))].sort());
    expect(new Set(submitted.map((keys) => keys.join(','))).size).toBe(sets.length);

    for (let round = 0; round < 3; round += 1) {
      const responses = await Promise.all(sets.map((set) => service.request(SET_PERMISSIONS, { g: group.id, p: set }, admin.authorization)));
      for (const response of responses) {
        expect(response.errors).toBeUndefined();
        // Each answer shows one whole set (its own, or one written just after it), never a mix.
        expect(submitted).toContainEqual(grantKeys(response.data.setGroupPermissions.permissions));
      }
      const final = grantKeys((await groupById(group.id))!.permissions);
      expect(new Set(final).size).toBe(final.length);
      expect(submitted).toContainEqual(final);
    }
  });
});
