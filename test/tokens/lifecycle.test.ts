import { generateToken } from '../../src/tokens/token-secret';
import { codes, expectAccepted, expectBadInput, expectForbidden, expectRefused } from '../helpers/expectations';
import { DELETE_TOKEN, REVOKE, ROTATE, TOKEN, UPDATE_TOKEN, mistyped } from '../helpers/operations';
import { type CreatedToken, type GraphQLResponse, TestService } from '../helpers/service';
import { untilPast } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

function update(id: string, input: Record<string, unknown>, authorization: string): Promise<GraphQLResponse> {
  return service.request(UPDATE_TOKEN, { id, input }, authorization);
}

function scopeValues(token: { scopes: { value: string }[] }): string[] {
  return token.scopes.map((scope) => scope.value);
}

describe('updateAccessToken', () => {
  it('renames a token and sets modifiedDate, leaving the rest as it was', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read'], { name: 'old name' });
    const before = await service.token(created.id, user.authorization);
    expect(before.modifiedDate).toBeNull();
    const response = await update(created.id, { name: 'new name' }, user.authorization);
    expect(codes(response)).toEqual([]);
    const updated = response.data.updateAccessToken;
    expect(updated).toMatchObject({ id: created.id, name: 'new name', enabled: true, status: 'ACTIVE' });
    expect(scopeValues(updated)).toEqual(['metrics.read']);
    expect(updated.creationDate).toBe(before.creationDate);
    expect(updated.modifiedDate).not.toBeNull();
    expect(Date.parse(updated.modifiedDate)).toBeGreaterThanOrEqual(Date.parse(before.creationDate));
    expect((await service.token(created.id, user.authorization)).name).toBe('new name');
    await expectAccepted(service, created.authorization, user.userId);
  });

  it('replaces the whole list of scopes, and the token is checked on the new list at once', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['apiTokens.read', 'metrics.read', 'entities.read']);
    await service.ok('{ accessTokens { totalCount } }', {}, created.authorization);

    const response = await update(created.id, { scopes: ['slo.read', 'metrics.write', 'slo.read'] }, user.authorization);
    expect(codes(response)).toEqual([]);
    expect(scopeValues(response.data.updateAccessToken)).toEqual(['metrics.write', 'slo.read']);
    expect(scopeValues(await service.token(created.id, user.authorization))).toEqual(['metrics.write', 'slo.read']);

    const refused = await service.request('{ accessTokens { totalCount } }', {}, created.authorization);
    expectForbidden(refused, { scope: 'apiTokens.read' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an empty list of scopes', { scopes: [] }, 'scopes'],
    ['an unknown scope', { scopes: ['metrics.read', 'no.such.scope'] }, 'scopes'],
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '  ' }, 'name'],
    ['a name of 201 characters', { name: 'x'.repeat(201) }, 'name'],
    ['a null byte in the name', { name: 'a\u0000b' }, 'name'],
    ['a valid name with an unknown scope', { name: 'fine', scopes: ['nope'] }, 'scopes'],
  ])('refuses %s as BAD_USER_INPUT and changes nothing', async (_label, input, field) => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read', 'slo.read'], { name: 'unchanged' });
    expectBadInput(await update(created.id, input, user.authorization), field);
    const after = await service.token(created.id, user.authorization);
    expect(after).toMatchObject({ name: 'unchanged', enabled: true, status: 'ACTIVE', modifiedDate: null });
    expect(scopeValues(after)).toEqual(['metrics.read', 'slo.read']);
  });

  it('lists the unknown scope values in the message', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    const response = await update(created.id, { scopes: ['bogus.one', 'metrics.read', 'bogus.two'] }, user.authorization);
    expectBadInput(response, 'scopes');
    expect(response.errors![0].message).toContain('bogus.one');
    expect(response.errors![0].message).toContain('bogus.two');
  });

  it('disables a token (DISABLED, refused with 401) and enables it again', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    await expectAccepted(service, created.authorization, user.userId);

    const disabled = await update(created.id, { enabled: false }, user.authorization);
    expect(codes(disabled)).toEqual([]);
    expect(disabled.data.updateAccessToken).toMatchObject({ enabled: false, status: 'DISABLED' });
    expect(disabled.data.updateAccessToken.modifiedDate).not.toBeNull();
    await expectRefused(service, created.authorization);
    await expectRefused(service, `Bearer ${created.token}`);
    expect(await service.token(created.id, user.authorization)).toMatchObject({ enabled: false, status: 'DISABLED' });

    const enabled = await update(created.id, { enabled: true }, user.authorization);
    expect(codes(enabled)).toEqual([]);
    expect(enabled.data.updateAccessToken).toMatchObject({ enabled: true, status: 'ACTIVE' });
    await expectAccepted(service, created.authorization, user.userId);
  });

  it('needs apiTokens.write, like every change to a token', async () => {
    const user = await service.user();
    const target = await service.createPat(user, ['metrics.read'], { name: 'target' });
    const reader = await service.createPat(user, ['apiTokens.read']);
    const attempts: [string, Record<string, unknown>][] = [
      [UPDATE_TOKEN, { id: target.id, input: { name: 'changed' } }],
      [ROTATE, { id: target.id }],
      [REVOKE, { id: target.id }],
      [DELETE_TOKEN, { id: target.id }],
    ];
    for (const [mutation, variables] of attempts) {
      const response = await service.request(mutation, variables, reader.authorization);
      expectForbidden(response, { scope: 'apiTokens.write' });
    }
    expect(await service.token(target.id, user.authorization)).toMatchObject({ name: 'target', status: 'ACTIVE' });
    await expectAccepted(service, target.authorization, user.userId);
  });
});

describe('revokeAccessToken', () => {
  it('is final: REVOKED, refused, cannot be enabled or rotated back, and revoking again is harmless', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read'], { name: 'to revoke' });

    const revoked = await service.request(REVOKE, { id: created.id }, user.authorization);
    expect(codes(revoked)).toEqual([]);
    expect(revoked.data.revokeAccessToken).toMatchObject({ id: created.id, status: 'REVOKED' });
    expect(revoked.data.revokeAccessToken.modifiedDate).not.toBeNull();
    await expectRefused(service, created.authorization);

    expectBadInput(await update(created.id, { enabled: true }, user.authorization));
    expect((await service.token(created.id, user.authorization)).status).toBe('REVOKED');
    await expectRefused(service, created.authorization);

    const rotation = await service.request(ROTATE, { id: created.id }, user.authorization);
    expectBadInput(rotation);
    expect(rotation.data?.rotateAccessToken ?? null).toBeNull();
    await expectRefused(service, created.authorization);

    const again = await service.request(REVOKE, { id: created.id }, user.authorization);
    expect(codes(again)).toEqual([]);
    expect(again.data.revokeAccessToken.status).toBe('REVOKED');
    expect(await service.token(created.id, user.authorization)).toMatchObject({ status: 'REVOKED', name: 'to revoke' });
  });

  it('of a disabled token makes it REVOKED, never DISABLED again', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    await service.disable(created.id, user.authorization);
    await service.ok(REVOKE, { id: created.id }, user.authorization);
    expect((await service.token(created.id, user.authorization)).status).toBe('REVOKED');
    expectBadInput(await update(created.id, { enabled: true }, user.authorization));
    await expectRefused(service, created.authorization);
  });
});

describe('deleteAccessToken', () => {
  it('returns the id; the token is gone, with its scopes, and refused', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read', 'slo.read']);
    await expectAccepted(service, created.authorization, user.userId);

    const response = await service.request(DELETE_TOKEN, { id: created.id }, user.authorization);
    expect(codes(response)).toEqual([]);
    expect(response.data.deleteAccessToken).toBe(created.id);

    const read = await service.request(TOKEN, { id: created.id }, user.authorization);
    expect(codes(read)).toEqual(['NOT_FOUND']);
    expect(read.data?.accessToken ?? null).toBeNull();
    await expectRefused(service, created.authorization);
    const { accessTokens } = await service.ok('{ accessTokens { nodes { id } totalCount } }', {}, user.authorization);
    expect(accessTokens.nodes.map((node: { id: string }) => node.id)).not.toContain(created.id);
    const [{ count }] = await service.service.dataSource.query(
      'SELECT (SELECT count(*) FROM access_token WHERE id = $1) + (SELECT count(*) FROM access_token_scope WHERE token_id = $1) AS count',
      [created.id],
    );
    expect(Number(count)).toBe(0);

    expect(codes(await service.request(DELETE_TOKEN, { id: created.id }, user.authorization))).toEqual(['NOT_FOUND']);
  });
});

describe('a token acting on itself', () => {
  it('cannot disable, revoke or delete itself, and keeps working', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['apiTokens.read', 'apiTokens.write'], { name: 'self' });
    expectBadInput(await update(created.id, { enabled: false }, created.authorization));
    expectBadInput(await update(created.id, { enabled: false, name: 'renamed' }, created.authorization));
    expectBadInput(await service.request(REVOKE, { id: created.id }, created.authorization));
    expectBadInput(await service.request(DELETE_TOKEN, { id: created.id }, created.authorization));
    expect(await service.token(created.id, user.authorization)).toMatchObject({ name: 'self', enabled: true, status: 'ACTIVE' });
    await expectAccepted(service, created.authorization, user.userId);
  });

  it('can disable, revoke and delete another token of its owner', async () => {
    const user = await service.user();
    const manager = await service.createPat(user, ['apiTokens.write']);
    const first = await service.createPat(user, ['metrics.read']);
    const second = await service.createPat(user, ['metrics.read']);
    const third = await service.createPat(user, ['metrics.read']);
    expect(codes(await update(first.id, { enabled: false }, manager.authorization))).toEqual([]);
    expect(codes(await service.request(REVOKE, { id: second.id }, manager.authorization))).toEqual([]);
    expect(codes(await service.request(DELETE_TOKEN, { id: third.id }, manager.authorization))).toEqual([]);
    for (const token of [first, second, third]) await expectRefused(service, token.authorization);
    await expectAccepted(service, manager.authorization, user.userId);
  });
});

describe('another user\'s token', () => {
  it('is NOT_FOUND, never FORBIDDEN, to read, update, rotate, revoke or delete, and stays untouched', async () => {
    const owner = await service.user();
    const stranger = await service.user();
    const strangerToken = await service.createPat(stranger, ['apiTokens.read', 'apiTokens.write']);
    const target = await service.createPat(owner, ['metrics.read'], { name: 'not yours' });
    const attempts: [string, Record<string, unknown>][] = [
      [TOKEN, { id: target.id }],
      [UPDATE_TOKEN, { id: target.id, input: { name: 'mine now' } }],
      [UPDATE_TOKEN, { id: target.id, input: { enabled: false } }],
      [ROTATE, { id: target.id }],
      [ROTATE, { id: target.id, input: { gracePeriodSeconds: 10 } }],
      [REVOKE, { id: target.id }],
      [DELETE_TOKEN, { id: target.id }],
    ];
    for (const authorization of [stranger.authorization, strangerToken.authorization]) {
      for (const [operation, variables] of attempts) {
        const response = await service.request(operation, variables, authorization);
        expect(response.status).toBe(200);
        expect(codes(response)).toEqual(['NOT_FOUND']);
      }
    }
    expect(await service.token(target.id, owner.authorization)).toMatchObject({
      name: 'not yours',
      enabled: true,
      status: 'ACTIVE',
      modifiedDate: null,
    });
    await expectAccepted(service, target.authorization, owner.userId);
  });

  it('answers the same NOT_FOUND as a token that does not exist', async () => {
    const owner = await service.user();
    const stranger = await service.user();
    const target = await service.createPat(owner, ['metrics.read']);
    const missing = generateToken().id;
    const strangers = await service.request(TOKEN, { id: target.id }, stranger.authorization);
    const nobodys = await service.request(TOKEN, { id: missing }, stranger.authorization);
    expect(codes(strangers)).toEqual(['NOT_FOUND']);
    expect(codes(nobodys)).toEqual(['NOT_FOUND']);
    expect(strangers.errors![0].message.replace(target.id, 'ID')).toBe(nobodys.errors![0].message.replace(missing, 'ID'));
    for (const id of ['garbage', '', 'dt0c01.', "dt0c01.' OR '1'='1"]) {
      expect(codes(await service.request(TOKEN, { id }, owner.authorization))).toEqual(['NOT_FOUND']);
    }
  });

  it('can be read, disabled, enabled again, revoked and deleted by the signed-in admin, never rotated or reshaped', async () => {
    const admin = await service.admin();
    const owner = await service.user();
    const target = await service.createPat(owner, ['metrics.read'], { name: 'managed' });

    expect((await service.token(target.id, admin.authorization)).owner.id).toBe(owner.userId);
    expect(codes(await update(target.id, { name: 'renamed by admin', scopes: ['slo.read'] }, admin.authorization))).toEqual(['FORBIDDEN']);
    expect(codes(await service.request(ROTATE, { id: target.id }, admin.authorization))).toEqual(['FORBIDDEN']);

    await service.ok(UPDATE_TOKEN, { id: target.id, input: { enabled: false } }, admin.authorization);
    await expectRefused(service, target.authorization);
    await service.ok(UPDATE_TOKEN, { id: target.id, input: { enabled: true } }, admin.authorization);
    await expectAccepted(service, target.authorization, owner.userId);

    const { revokeAccessToken } = await service.ok(REVOKE, { id: target.id }, admin.authorization);
    expect(revokeAccessToken.status).toBe('REVOKED');
    await expectRefused(service, target.authorization);

    expect((await service.ok(DELETE_TOKEN, { id: target.id }, admin.authorization)).deleteAccessToken).toBe(target.id);
    expect(codes(await service.request(TOKEN, { id: target.id }, owner.authorization))).toEqual(['NOT_FOUND']);
  });

  it('is visible to a user granted ADMIN environment-wide, but not to one who is ADMIN of a management zone only', async () => {
    const owner = await service.user();
    const target = await service.createPat(owner, ['metrics.read']);
    const environmentAdmin = await service.user();
    await service.grant(environmentAdmin, { permission: 'ADMIN' });
    const zoneAdmin = await service.user();
    await service.grant(zoneAdmin, { permission: 'ADMIN', managementZoneId: await service.createZone() });

    expect((await service.token(target.id, environmentAdmin.authorization)).id).toBe(target.id);
    expect(codes(await service.request(TOKEN, { id: target.id }, zoneAdmin.authorization))).toEqual(['NOT_FOUND']);
    expect(codes(await service.request(REVOKE, { id: target.id }, zoneAdmin.authorization))).toEqual(['NOT_FOUND']);
    await expectAccepted(service, target.authorization, owner.userId);
  });
});

describe('the refusal of an unusable token', () => {
  it('is the same answer whether the token is disabled, revoked, expired, deleted, rotated away or made up', async () => {
    const user = await service.user();
    const make = () => service.createPat(user, ['metrics.read']);
    const expiresAt = new Date(Date.now() + 1500);
    const expiring = await service.createPat(user, ['metrics.read'], { expirationDate: expiresAt.toISOString() });
    const [disabled, revoked, deleted, rotated] = await Promise.all([make(), make(), make(), make()]);
    await service.disable(disabled.id, user.authorization);
    await service.ok(REVOKE, { id: revoked.id }, user.authorization);
    await service.ok(DELETE_TOKEN, { id: deleted.id }, user.authorization);
    await service.ok(ROTATE, { id: rotated.id }, user.authorization);
    await untilPast(expiresAt);

    const unusable: CreatedToken[] = [disabled, revoked, deleted, rotated, expiring];
    const authorizations = [
      ...unusable.map((token) => token.authorization),
      `Api-Token ${generateToken().token}`,
      `Api-Token ${mistyped(disabled.token)}`,
      'Api-Token garbage',
      'Bearer not.a.jwt',
    ];
    const answers = [];
    for (const authorization of authorizations) {
      const response = await expectRefused(service, authorization);
      answers.push({
        status: response.status,
        challenge: response.headers.get('www-authenticate'),
        errors: response.errors!.map((error) => ({ message: error.message, code: error.extensions.code })),
      });
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });
});

