import { randomUUID } from 'node:crypto';
import { codes, expectBadInput, expectForbidden, expectRefused } from '../helpers/expectations';
import {
  ADD_MEMBER,
  AUDIT_EVENTS,
  type AuditEventRow,
  CREATE_GROUP,
  CREATE_PAT,
  DEACTIVATE_USER,
  DELETE_TOKEN,
  REACTIVATE_USER,
  REMOVE_MEMBER,
  REPORT_LEAK,
  REVOKE,
  SET_PERMISSIONS,
  UPDATE_TOKEN,
  secretOf,
  unique,
} from '../helpers/operations';
import { type Actor, type CreatedToken, TestService } from '../helpers/service';
import { sleep } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

/** Every full token this file has seen, to prove none of them reached the log. */
const secrets: string[] = [];

async function pat(actor: Actor, scopes: string[], extra: { name?: string; expirationDate?: string } = {}): Promise<CreatedToken> {
  const created = await service.createPat(actor, scopes, extra);
  secrets.push(created.token);
  return created;
}

const actionsOf = (events: AuditEventRow[]) => events.map((event) => event.action);

async function rotate(id: string, authorization: string, gracePeriodSeconds = 0): Promise<string> {
  const { token } = await service.rotate(id, authorization, { gracePeriodSeconds });
  secrets.push(token);
  return token;
}

describe('token events', () => {
  it('records each change of a token, newest first, with actor, address, target and details', async () => {
    const user = await service.user();
    const created = await pat(user, ['metrics.read'], { name: 'audited' });
    await service.ok(UPDATE_TOKEN, { id: created.id, input: { name: 'audited 2' } }, user.authorization);
    await service.ok(UPDATE_TOKEN, { id: created.id, input: { enabled: false } }, user.authorization);
    await service.ok(UPDATE_TOKEN, { id: created.id, input: { enabled: true } }, user.authorization);
    await rotate(created.id, user.authorization, 30);
    await service.ok(REVOKE, { id: created.id }, user.authorization);

    const events = await service.auditEvents(user.authorization, { targetId: created.id });
    expect(actionsOf(events)).toEqual(['TOKEN_REVOKED', 'TOKEN_ROTATED', 'TOKEN_ENABLED', 'TOKEN_DISABLED', 'TOKEN_UPDATED', 'TOKEN_CREATED']);
    for (const event of events) {
      expect(event).toMatchObject({
        actorUserId: user.userId,
        actorTokenId: null,
        clientIp: '127.0.0.1',
        targetType: 'ACCESS_TOKEN',
        targetId: created.id,
      });
      expect(Number.isNaN(Date.parse(event.occurredAt))).toBe(false);
      expect(typeof JSON.parse(event.details)).toBe('object');
    }
    const times = events.map((event) => Date.parse(event.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const createdDetails = JSON.parse(events.at(-1)!.details);
    expect(createdDetails).toMatchObject({ name: 'audited', personalAccessToken: true, scopes: ['metrics.read'] });
    expect(JSON.parse(events.at(-2)!.details)).toMatchObject({ name: 'audited 2' });
  });

  it('names the token an actor used', async () => {
    const user = await service.user();
    const actingToken = await pat(user, ['apiTokens.write', 'apiTokens.read', 'metrics.read']);
    const data = await service.ok(CREATE_PAT, { input: { name: 'made by a token', scopes: ['metrics.read'] } }, actingToken.authorization);
    const madeId = data.createPersonalAccessToken.accessToken.id;
    secrets.push(data.createPersonalAccessToken.token);
    await service.ok(UPDATE_TOKEN, { id: madeId, input: { enabled: false } }, actingToken.authorization);
    const events = await service.auditEvents(actingToken.authorization, { targetId: madeId });
    expect(actionsOf(events)).toEqual(['TOKEN_DISABLED', 'TOKEN_CREATED']);
    for (const event of events) expect(event).toMatchObject({ actorUserId: user.userId, actorTokenId: actingToken.id });
  });

  it('records TOKEN_DELETED, still visible to the owner after the token is gone', async () => {
    const user = await service.user();
    const created = await pat(user, ['metrics.read'], { name: 'to delete' });
    await service.ok(DELETE_TOKEN, { id: created.id }, user.authorization);
    const events = await service.auditEvents(user.authorization, { targetId: created.id });
    expect(actionsOf(events)).toEqual(['TOKEN_DELETED', 'TOKEN_CREATED']);
    expect(JSON.parse(events[0].details)).toMatchObject({ name: 'to delete' });
  });

  it('records an anonymous leak report as TOKEN_REPORTED_LEAKED without an actor', async () => {
    const user = await service.user();
    const created = await pat(user, ['metrics.read']);
    expect((await service.ok(REPORT_LEAK, { token: created.token })).reportLeakedToken).toBe(true);
    const [event] = await service.auditEvents(user.authorization, { targetId: created.id, actions: ['TOKEN_REPORTED_LEAKED'] });
    // The reporter's address is the reporter's: the owner does not see it, an admin does.
    expect(event).toMatchObject({ action: 'TOKEN_REPORTED_LEAKED', actorUserId: null, actorTokenId: null, clientIp: null });
    const [asAdmin] = await service.auditEvents((await service.admin()).authorization, { targetId: created.id, actions: ['TOKEN_REPORTED_LEAKED'] });
    expect(asAdmin).toMatchObject({ action: 'TOKEN_REPORTED_LEAKED', actorUserId: null, clientIp: '127.0.0.1' });
    // Reporting again revokes nothing more and records nothing more.
    await service.ok(REPORT_LEAK, { token: created.token });
    expect(await service.auditEvents(user.authorization, { targetId: created.id, actions: ['TOKEN_REPORTED_LEAKED'] })).toHaveLength(1);
  });

  it('records TOKEN_REUSE_DETECTED, visible to the owner', async () => {
    const user = await service.user();
    const created = await pat(user, ['metrics.read']);
    await rotate(created.id, user.authorization, 0);
    await expectRefused(service, created.authorization);
    const events = await service.auditEvents(user.authorization, { targetId: created.id });
    expect(actionsOf(events)).toEqual(['TOKEN_REUSE_DETECTED', 'TOKEN_ROTATED', 'TOKEN_CREATED']);
    expect(events[0]).toMatchObject({ targetType: 'ACCESS_TOKEN', clientIp: '127.0.0.1' });
  });

  it('records TOKEN_EXPIRED once, at the first refused use, not before', async () => {
    const user = await service.user();
    const created = await pat(user, ['metrics.read'], { expirationDate: new Date(Date.now() + 1500).toISOString() });
    await sleep(2000);
    // Reading it (EXPIRED) is not a use.
    expect((await service.token(created.id, user.authorization)).status).toBe('EXPIRED');
    expect(await service.auditEvents(user.authorization, { targetId: created.id, actions: ['TOKEN_EXPIRED'] })).toEqual([]);
    await expectRefused(service, created.authorization);
    await expectRefused(service, created.authorization);
    await expectRefused(service, `Bearer ${created.token}`);
    const events = await service.auditEvents(user.authorization, { targetId: created.id, actions: ['TOKEN_EXPIRED'] });
    expect(events).toHaveLength(1);
    // Where the expired token was presented from, which its owner needs to find it.
    expect(events[0]).toMatchObject({ targetType: 'ACCESS_TOKEN', targetId: created.id, clientIp: '127.0.0.1' });
  });

  it('records TOKEN_EXPIRED and TOKEN_REUSE_DETECTED once even when the first uses arrive together', async () => {
    const user = await service.user();
    const expiring = await pat(user, ['metrics.read'], { expirationDate: new Date(Date.now() + 1500).toISOString() });
    const rotated = await pat(user, ['metrics.read']);
    await rotate(rotated.id, user.authorization, 0);
    await sleep(2000);
    const attempts = await Promise.all(
      [...Array(6)].flatMap(() => [
        service.request('{ me { id } }', {}, expiring.authorization),
        service.request('{ me { id } }', {}, rotated.authorization),
      ]),
    );
    expect(attempts.map((response) => response.status)).toEqual(attempts.map(() => 401));
    expect(await service.auditEvents(user.authorization, { targetId: expiring.id, actions: ['TOKEN_EXPIRED'] })).toHaveLength(1);
    expect(await service.auditEvents(user.authorization, { targetId: rotated.id, actions: ['TOKEN_REUSE_DETECTED'] })).toHaveLength(1);
  });

});

describe('administration events', () => {
  it('records FEATURE_DISABLED and FEATURE_ENABLED', async () => {
    const admin = await service.admin();
    try {
      await service.setFeature(false);
    } finally {
      await service.setFeature(true);
    }
    const events = await service.auditEvents(admin.authorization, { targetId: 'PERSONAL_ACCESS_TOKENS', actions: ['FEATURE_ENABLED', 'FEATURE_DISABLED'] });
    expect(actionsOf(events.slice(0, 2))).toEqual(['FEATURE_ENABLED', 'FEATURE_DISABLED']);
    expect(events[0]).toMatchObject({ targetType: 'FEATURE', actorUserId: admin.userId, clientIp: '127.0.0.1' });
  });

  it('records zone and group changes', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const zone = await service.createZone(unique('audit-zone'));
    const groupName = unique('audit-group');
    const groupId = (await service.ok(CREATE_GROUP, { input: { name: groupName, permissions: [{ permission: 'VIEWER' }] } }, admin.authorization))
      .createGroup.id;
    await service.ok(SET_PERMISSIONS, { g: groupId, p: [{ permission: 'VIEWER', managementZoneId: zone }] }, admin.authorization);
    await service.ok(ADD_MEMBER, { g: groupId, u: user.userId }, admin.authorization);
    await service.ok(REMOVE_MEMBER, { g: groupId, u: user.userId }, admin.authorization);

    const [zoneEvent] = await service.eventsAbout(zone);
    expect(zoneEvent).toMatchObject({ action: 'MANAGEMENT_ZONE_CREATED', targetType: 'MANAGEMENT_ZONE', actorUserId: admin.userId });
    const groupEvents = await service.eventsAbout(groupId);
    expect(actionsOf(groupEvents)).toEqual(['GROUP_MEMBER_REMOVED', 'GROUP_MEMBER_ADDED', 'GROUP_PERMISSIONS_CHANGED', 'GROUP_CREATED']);
    for (const event of groupEvents) expect(event).toMatchObject({ targetType: 'GROUP', actorUserId: admin.userId });
    expect(JSON.parse(groupEvents[3].details)).toMatchObject({ name: groupName });
    expect(JSON.parse(groupEvents[1].details)).toMatchObject({ userId: user.userId });
  });

  it('records USER_DEACTIVATED and USER_REACTIVATED, visible to that user', async () => {
    const admin = await service.admin();
    const user = await service.user();
    await service.ok(DEACTIVATE_USER, { id: user.userId }, admin.authorization);
    await service.ok(REACTIVATE_USER, { id: user.userId }, admin.authorization);
    const events = await service.eventsAbout(user.userId);
    expect(actionsOf(events)).toEqual(['USER_REACTIVATED', 'USER_DEACTIVATED']);
    for (const event of events) expect(event).toMatchObject({ targetType: 'USER', actorUserId: admin.userId });
    const own = await service.auditEvents(user.authorization, { targetId: user.userId });
    expect(actionsOf(own)).toEqual(['USER_REACTIVATED', 'USER_DEACTIVATED']);
  });
});

describe('who sees what', () => {
  it('a user sees the events of its own tokens only; an admin sees everyone\'s', async () => {
    const admin = await service.admin();
    const alice = await service.user();
    const bob = await service.user();
    const aliceToken = await pat(alice, ['metrics.read']);
    const bobToken = await pat(bob, ['metrics.read']);
    await service.createZone(unique('seen-by-admin'));

    const aliceSees = await service.auditEvents(alice.authorization);
    expect(aliceSees.map((event) => event.targetId)).toContain(aliceToken.id);
    expect(aliceSees.map((event) => event.targetId)).not.toContain(bobToken.id);
    for (const event of aliceSees) expect([aliceToken.id, alice.userId]).toContain(event.targetId);
    expect(actionsOf(aliceSees)).not.toContain('MANAGEMENT_ZONE_CREATED');
    expect(actionsOf(aliceSees)).not.toContain('FEATURE_ENABLED');
    expect(actionsOf(aliceSees)).not.toContain('TOKEN_POLICY_CHANGED');

    // Naming the other user's token or the other user changes nothing.
    expect(await service.auditEvents(alice.authorization, { targetId: bobToken.id })).toEqual([]);
    expect(await service.auditEvents(alice.authorization, { actorUserId: bob.userId })).toEqual([]);

    const adminSees = await service.auditEvents(admin.authorization, { actions: ['TOKEN_CREATED'] });
    const targets = adminSees.map((event) => event.targetId);
    expect(targets).toContain(aliceToken.id);
    expect(targets).toContain(bobToken.id);
  });

  it('an admin\'s actions on a user\'s token are visible to the token\'s owner', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const created = await pat(user, ['metrics.read']);
    await service.ok(UPDATE_TOKEN, { id: created.id, input: { enabled: false } }, admin.authorization);
    const [event] = await service.auditEvents(user.authorization, { targetId: created.id, actions: ['TOKEN_DISABLED'] });
    expect(event).toMatchObject({ actorUserId: admin.userId });
  });

  it('shows a user neither the address nor the token of another user who acted on its tokens; the admin sees both', async () => {
    const admin = await service.admin();
    const adminToken = await pat(admin, ['apiTokens.read', 'apiTokens.write']);
    const user = await service.user();
    const created = await pat(user, ['apiTokens.read']);
    await service.ok(UPDATE_TOKEN, { id: created.id, input: { enabled: false } }, adminToken.authorization);
    await service.ok(UPDATE_TOKEN, { id: created.id, input: { enabled: true } }, admin.authorization);
    await service.ok(UPDATE_TOKEN, { id: created.id, input: { name: 'renamed by its owner' } }, user.authorization);

    const asAdmin = await service.auditEvents(admin.authorization, { targetId: created.id });
    expect(asAdmin.map(({ action, actorUserId, actorTokenId, clientIp }) => ({ action, actorUserId, actorTokenId, clientIp }))).toEqual([
      { action: 'TOKEN_UPDATED', actorUserId: user.userId, actorTokenId: null, clientIp: '127.0.0.1' },
      { action: 'TOKEN_ENABLED', actorUserId: admin.userId, actorTokenId: null, clientIp: '127.0.0.1' },
      { action: 'TOKEN_DISABLED', actorUserId: admin.userId, actorTokenId: adminToken.id, clientIp: '127.0.0.1' },
      { action: 'TOKEN_CREATED', actorUserId: user.userId, actorTokenId: null, clientIp: '127.0.0.1' },
    ]);
    // The owner, signed in or with its PAT, reads the same entries, the admin's address and token left out.
    for (const authorization of [user.authorization, created.authorization]) {
      const asOwner = await service.auditEvents(authorization, { targetId: created.id });
      expect(asOwner.map(({ action, actorUserId, actorTokenId, clientIp }) => ({ action, actorUserId, actorTokenId, clientIp }))).toEqual([
        { action: 'TOKEN_UPDATED', actorUserId: user.userId, actorTokenId: null, clientIp: '127.0.0.1' },
        { action: 'TOKEN_ENABLED', actorUserId: admin.userId, actorTokenId: null, clientIp: null },
        { action: 'TOKEN_DISABLED', actorUserId: admin.userId, actorTokenId: null, clientIp: null },
        { action: 'TOKEN_CREATED', actorUserId: user.userId, actorTokenId: null, clientIp: '127.0.0.1' },
      ]);
    }
  });

  it('needs apiTokens.read with a token; a PAT with it sees its owner\'s events', async () => {
    const user = await service.user();
    const without = await pat(user, ['metrics.read']);
    const response = await service.request(AUDIT_EVENTS, {}, without.authorization);
    expectForbidden(response, { scope: 'apiTokens.read' });
    const withRead = await pat(user, ['apiTokens.read']);
    const events = await service.auditEvents(withRead.authorization, { actions: ['TOKEN_CREATED'] });
    expect(events.map((event) => event.targetId).sort()).toEqual([without.id, withRead.id].sort());
  });

  it('needs authentication', async () => {
    const response = await service.request(AUDIT_EVENTS, {});
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('paging and filters', () => {
  it('pages newest first through pageInfo.endCursor, each event exactly once', async () => {
    const user = await service.user();
    for (let i = 0; i < 4; i += 1) await pat(user, ['metrics.read'], { name: `page ${i}` });
    const all = await service.auditEvents(user.authorization);
    expect(all).toHaveLength(4);

    const paged: AuditEventRow[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const data: any = await service.ok(AUDIT_EVENTS, { first: 3, after }, user.authorization);
      expect(data.auditEvents.nodes.length).toBeLessThanOrEqual(3);
      paged.push(...data.auditEvents.nodes);
      if (!data.auditEvents.pageInfo.hasNextPage) break;
      expect(data.auditEvents.pageInfo.endCursor).toBe(data.auditEvents.nodes.at(-1).id);
      after = data.auditEvents.pageInfo.endCursor;
    }
    expect(paged.map((event) => event.id)).toEqual(all.map((event) => event.id));
    expect(paged.map((event) => JSON.parse(event.details).name)).toEqual(['page 3', 'page 2', 'page 1', 'page 0']);
  });

  it('keeps newest-first order and paging right when event ids gain a digit (…9998, 9999, 10000, 10001…)', async () => {
    const user = await service.user();
    const db = service.service.dataSource;
    // Move the id sequence forward (never back) so the next events straddle a power of ten.
    const [{ max }] = await db.query('SELECT coalesce(max(id), 0)::bigint AS max FROM audit_event');
    let boundary = 10;
    while (boundary <= Number(max) + 10) boundary *= 10;
    await db.query(`SELECT setval(pg_get_serial_sequence('audit_event', 'id'), $1)`, [boundary - 3]);
    for (let i = 0; i < 4; i += 1) await pat(user, ['metrics.read'], { name: `digit ${i}` });

    const all = await service.auditEvents(user.authorization);
    expect(all.map((event) => JSON.parse(event.details).name)).toEqual(['digit 3', 'digit 2', 'digit 1', 'digit 0']);
    expect(all.map((event) => Number(event.id))).toEqual([boundary + 1, boundary, boundary - 1, boundary - 2]);

    const paged: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const data: any = await service.ok(AUDIT_EVENTS, { first: 2, after }, user.authorization);
      paged.push(...data.auditEvents.nodes.map((event: AuditEventRow) => JSON.parse(event.details).name));
      if (!data.auditEvents.pageInfo.hasNextPage) break;
      after = data.auditEvents.pageInfo.endCursor;
    }
    expect(paged).toEqual(['digit 3', 'digit 2', 'digit 1', 'digit 0']);
  });

  it('answers without any argument at all (no filter, first or after)', async () => {
    const user = await service.user();
    const created = await pat(user, ['metrics.read']);
    for (const query of [
      '{ auditEvents { nodes { action targetId } pageInfo { hasNextPage } } }',
      '{ auditEvents(first: 5) { nodes { action targetId } } }',
      '{ auditEvents(filter: { actions: [TOKEN_CREATED] }) { nodes { action targetId } } }',
    ]) {
      const response = await service.request(query, {}, user.authorization);
      expect(codes(response)).toEqual([]);
      expect(response.data.auditEvents.nodes).toEqual([{ action: 'TOKEN_CREATED', targetId: created.id }]);
    }
  });

  it('refuses a cursor it did not make', async () => {
    const user = await service.user();
    for (const after of ['abc', '-1', '0', "1; DROP TABLE audit_event", '9999999999999999999', '9223372036854775808', '99999999999999999999']) {
      expectBadInput(await service.request(AUDIT_EVENTS, { after }, user.authorization), 'after');
    }
    // The largest bigint is a cursor PostgreSQL takes: it is before every event.
    const largest = await service.request(AUDIT_EVENTS, { after: '9223372036854775807' }, user.authorization);
    expect(codes(largest)).toEqual([]);
  });

  it('refuses a targetId or actorUserId filter that is not text PostgreSQL stores, with BAD_USER_INPUT', async () => {
    const admin = await service.admin();
    for (const field of ['targetId', 'actorUserId']) {
      const response = await service.request(
        'query($filter: AuditEventFilter) { auditEvents(filter: $filter) { nodes { id } } }',
        { filter: { [field]: 'a\u0000b' } },
        admin.authorization,
      );
      expectBadInput(response, field);
    }
  });

  it('filters by actions, targetId, actorUserId and time', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const first = await pat(user, ['metrics.read']);
    await sleep(50);
    const between = new Date().toISOString();
    await sleep(50);
    const second = await pat(user, ['metrics.read']);
    await service.ok(UPDATE_TOKEN, { id: second.id, input: { enabled: false } }, user.authorization);
    await service.ok(UPDATE_TOKEN, { id: second.id, input: { enabled: true } }, user.authorization);
    // An admin acting on the same token is another actor.
    await service.ok(UPDATE_TOKEN, { id: second.id, input: { enabled: false } }, admin.authorization);

    const byUser = await service.auditEvents(admin.authorization, { actorUserId: user.userId });
    expect(actionsOf(byUser)).toEqual(['TOKEN_ENABLED', 'TOKEN_DISABLED', 'TOKEN_CREATED', 'TOKEN_CREATED']);
    const created = await service.auditEvents(admin.authorization, { actorUserId: user.userId, actions: ['TOKEN_CREATED'] });
    expect(created.map((event) => event.targetId)).toEqual([second.id, first.id]);
    const aboutSecond = await service.auditEvents(admin.authorization, { targetId: second.id });
    expect(actionsOf(aboutSecond)).toEqual(['TOKEN_DISABLED', 'TOKEN_ENABLED', 'TOKEN_DISABLED', 'TOKEN_CREATED']);
    expect(aboutSecond[0].actorUserId).toBe(admin.userId);
    const afterBetween = await service.auditEvents(admin.authorization, { actorUserId: user.userId, occurredAfter: between });
    expect(afterBetween.map((event) => event.targetId)).toEqual([second.id, second.id, second.id]);
    const beforeBetween = await service.auditEvents(admin.authorization, { actorUserId: user.userId, occurredBefore: between });
    expect(beforeBetween.map((event) => event.targetId)).toEqual([first.id]);
    const twoActions = await service.auditEvents(admin.authorization, { targetId: second.id, actions: ['TOKEN_ENABLED', 'TOKEN_CREATED'] });
    expect(actionsOf(twoActions)).toEqual(['TOKEN_ENABLED', 'TOKEN_CREATED']);
  });
});

describe('a change that fails leaves no entry', () => {
  it('createGroup with an unknown zone: no group, no GROUP_CREATED', async () => {
    const admin = await service.admin();
    const name = unique('failing-group');
    const response = await service.request(
      CREATE_GROUP,
      { input: { name, permissions: [{ permission: 'VIEWER', managementZoneId: randomUUID() }] } },
      admin.authorization,
    );
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    const { groups } = await service.ok('{ groups { name } }', {}, admin.authorization);
    expect(groups.map((group: { name: string }) => group.name)).not.toContain(name);
    const created = await service.auditEvents(admin.authorization, { actions: ['GROUP_CREATED'] });
    expect(created.map((event) => JSON.parse(event.details).name)).not.toContain(name);
  });

  it('setGroupPermissions with an unknown zone: permissions unchanged, no GROUP_PERMISSIONS_CHANGED', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const groupId = await service.grant(user, { permission: 'VIEWER' });
    const response = await service.request(SET_PERMISSIONS, { g: groupId, p: [{ permission: 'ADMIN', managementZoneId: randomUUID() }] }, admin.authorization);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    const { me } = await service.ok('{ me { permissions { permission managementZone { id } } } }', {}, user.authorization);
    expect(me.permissions).toEqual([{ permission: 'VIEWER', managementZone: null }]);
    expect(await service.eventsAbout(groupId, ['GROUP_PERMISSIONS_CHANGED'])).toEqual([]);
  });

  it('createPersonalAccessToken with an unknown scope: no token, no TOKEN_CREATED', async () => {
    const user = await service.user();
    const response = await service.request(CREATE_PAT, { input: { name: 'bad scope', scopes: ['metrics.read', 'no.such.scope'] } }, user.authorization);
    expectBadInput(response, 'scopes');
    expect(await service.auditEvents(user.authorization)).toEqual([]);
    const { accessTokens } = await service.ok('{ accessTokens { totalCount } }', {}, user.authorization);
    expect(accessTokens.totalCount).toBe(0);
  });

  it('a create that fails inside its transaction leaves neither token nor event; an update likewise', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const kept = await pat(user, ['metrics.read'], { name: 'kept name' });
    const name = unique('rolled-back');
    const db = service.service.dataSource;
    await db.query(`CREATE OR REPLACE FUNCTION lifecycle_test_refuse_scope() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.scope_value = 'hub.install' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER lifecycle_test_refuse_scope BEFORE INSERT ON access_token_scope
      FOR EACH ROW EXECUTE FUNCTION lifecycle_test_refuse_scope()`);
    try {
      const response = await service.request(CREATE_PAT, { input: { name, scopes: ['metrics.read', 'hub.install'] } }, user.authorization);
      expect(response.errors?.length).toBeGreaterThan(0);
      expect(response.data?.createPersonalAccessToken ?? null).toBeNull();

      const update = await service.request(UPDATE_TOKEN, { id: kept.id, input: { name: 'new name', scopes: ['hub.install'] } }, user.authorization);
      expect(update.errors?.length).toBeGreaterThan(0);
    } finally {
      await db.query('DROP TRIGGER IF EXISTS lifecycle_test_refuse_scope ON access_token_scope');
      await db.query('DROP FUNCTION IF EXISTS lifecycle_test_refuse_scope()');
    }
    expect(await db.query('SELECT id FROM access_token WHERE name = $1', [name])).toEqual([]);
    const events = await service.auditEvents(admin.authorization, { actorUserId: user.userId });
    expect(actionsOf(events)).toEqual(['TOKEN_CREATED']);
    expect(events[0].targetId).toBe(kept.id);
    const [row] = await db.query('SELECT name FROM access_token WHERE id = $1', [kept.id]);
    expect(row.name).toBe('kept name');
    const scopes = await db.query('SELECT scope_value FROM access_token_scope WHERE token_id = $1', [kept.id]);
    expect(scopes).toEqual([{ scope_value: 'metrics.read' }]);

    // With the trigger gone, the same create works and is recorded.
    const again = await service.ok(CREATE_PAT, { input: { name, scopes: ['metrics.read', 'hub.install'] } }, user.authorization);
    secrets.push(again.createPersonalAccessToken.token);
    expect(await service.eventsAbout(again.createPersonalAccessToken.accessToken.id, ['TOKEN_CREATED'])).toHaveLength(1);
  });
});

describe('no-ops record nothing', () => {
  it('enabling an enabled feature records nothing', async () => {
    const admin = await service.admin();
    const count = async () =>
      (await service.auditEvents(admin.authorization, { targetId: 'PERSONAL_ACCESS_TOKENS' })).length;
    const before = await count();
    await service.setFeature(true);
    await service.setFeature(true);
    expect(await count()).toBe(before);
  });

  it('adding an existing member or removing a non-member records nothing', async () => {
    const admin = await service.admin();
    const member = await service.user();
    const stranger = await service.user();
    const groupId = await service.grant(member, { permission: 'VIEWER' });
    await service.ok(ADD_MEMBER, { g: groupId, u: member.userId }, admin.authorization);
    await service.ok(REMOVE_MEMBER, { g: groupId, u: stranger.userId }, admin.authorization);
    const events = await service.eventsAbout(groupId);
    expect(actionsOf(events)).toEqual(['GROUP_MEMBER_ADDED', 'GROUP_CREATED']);
  });

  it('revoking twice, deactivating twice, or setting a token to its current state records one entry', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const created = await pat(user, ['metrics.read'], { name: 'same' });
    await service.ok(UPDATE_TOKEN, { id: created.id, input: { enabled: true, name: 'same' } }, user.authorization);
    await service.ok(REVOKE, { id: created.id }, user.authorization);
    await service.ok(REVOKE, { id: created.id }, user.authorization);
    expect(actionsOf(await service.eventsAbout(created.id))).toEqual(['TOKEN_REVOKED', 'TOKEN_CREATED']);

    await service.ok(DEACTIVATE_USER, { id: user.userId }, admin.authorization);
    await service.ok(DEACTIVATE_USER, { id: user.userId }, admin.authorization);
    await service.ok(REACTIVATE_USER, { id: user.userId }, admin.authorization);
    await service.ok(REACTIVATE_USER, { id: user.userId }, admin.authorization);
    expect(actionsOf(await service.eventsAbout(user.userId))).toEqual(['USER_REACTIVATED', 'USER_DEACTIVATED']);
  });
});

describe('no secret or hash in the log', () => {
  it('the audit_event table holds no token, secret part, pepper or stored hash', async () => {
    const admin = await service.admin();
    const user = await service.user();
    // A few more secrets through every path that records something about them.
    const created = await pat(user, ['metrics.read', 'apiTokens.write']);
    await rotate(created.id, created.authorization, 60);
    await service.ok(REPORT_LEAK, { token: created.token });
    const api = await service.createApiToken(['metrics.read'], { by: admin });
    secrets.push(api.token);
    await rotate(api.id, admin.authorization, 0);
    await expectRefused(service, api.authorization);
    const reused = await pat(user, ['metrics.read']);
    await rotate(reused.id, user.authorization, 0);
    await expectRefused(service, reused.authorization);

    const db = service.service.dataSource;
    const logRows: { row: string }[] = await db.query('SELECT row_to_json(a)::text AS row FROM audit_event a');
    expect(logRows.length).toBeGreaterThan(20);
    const log = logRows.map((r) => r.row).join('\n');
    const logUpper = log.toUpperCase();
    const hashes: { secret_hash: Buffer; previous_secret_hash: Buffer | null }[] = await db.query(
      'SELECT secret_hash, previous_secret_hash FROM access_token',
    );
    // Hashes of secrets retired by rotations, where the service keeps them.
    const [{ retired }] = await db.query(`SELECT to_regclass('access_token_retired_secret') IS NOT NULL AS retired`);
    if (retired) {
      const old: { secret_hash: Buffer }[] = await db.query('SELECT secret_hash FROM access_token_retired_secret');
      hashes.push(...old.map((row) => ({ secret_hash: row.secret_hash, previous_secret_hash: null })));
    }
    const forbidden: string[] = [];
    expect(secrets.length).toBeGreaterThan(10);
    for (const token of secrets) {
      const secretPart = secretOf(token);
      forbidden.push(token, secretPart, secretPart.slice(0, 32), secretPart.slice(32));
    }
    for (const row of hashes) {
      for (const hash of [row.secret_hash, row.previous_secret_hash]) {
        if (!hash) continue;
        forbidden.push(hash.toString('hex'), hash.toString('base64'), hash.toString('base64url'), hash.toString('base64').slice(0, 24));
      }
    }
    forbidden.push(service.config.tokenPepper!);
    for (const value of forbidden) {
      expect(log.includes(value) || logUpper.includes(value.toUpperCase())).toBe(false);
    }
  });
});
