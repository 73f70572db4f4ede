import { expectAccepted, expectBadInput, expectForbidden, expectRefused } from '../helpers/expectations';
import { REVOKE_TOKENS, unique } from '../helpers/operations';
import { type Actor, type CreatedToken, TestService } from '../helpers/service';
import { eventually, inDays } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start({ LAST_USED_FLUSH_MS: '200' });
  await service.setFeature(true);
});
afterAll(() => service?.stop());

const LIST = `query($filter: AccessTokenFilter, $first: Int, $after: String, $orderBy: AccessTokenOrder) {
  accessTokens(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    nodes { id name creationDate expirationDate lastUsedDate status }
    edges { cursor node { id } }
    pageInfo { endCursor hasNextPage }
  }
}`;

interface Node {
  id: string;
  name: string;
  creationDate: string;
  expirationDate: string | null;
  lastUsedDate: string | null;
  status: string;
}

async function list(authorization: string, variables: Record<string, unknown>) {
  return (await service.ok(LIST, variables, authorization)).accessTokens;
}

async function ids(authorization: string, filter: Record<string, unknown>): Promise<string[]> {
  return (await list(authorization, { filter, first: 100 })).nodes.map((node: Node) => node.id).sort();
}

/** Every page of the list in `orderBy`, `first` at a time. */
async function walk(authorization: string, orderBy: Record<string, unknown> | null, first: number, filter?: Record<string, unknown>): Promise<Node[]> {
  const all: Node[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const connection: any = await list(authorization, { orderBy, first, after, filter: filter ?? null });
    expect(connection.nodes.length).toBeLessThanOrEqual(first);
    expect(connection.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(connection.nodes.map((node: Node) => node.id));
    all.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage) return all;
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1).cursor);
    after = connection.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

const sql = (text: string, parameters: unknown[] = []) => service.service.dataSource.query(text, parameters);

describe('accessTokens filters', () => {
  let user: Actor;
  let never: CreatedToken;
  let old: CreatedToken;
  let recent: CreatedToken;
  let soon: CreatedToken;
  let later: CreatedToken;

  beforeAll(async () => {
    user = await service.user();
    never = await service.createPat(user, ['metrics.read'], { name: 'never used' });
    old = await service.createPat(user, ['metrics.read'], { name: 'used long ago', expirationDate: inDays(40) });
    recent = await service.createPat(user, ['metrics.read'], { name: 'used lately' });
    soon = await service.createPat(user, ['metrics.read'], { name: 'expires soon', expirationDate: inDays(3) });
    later = await service.createPat(user, ['metrics.read'], { name: 'expires later', expirationDate: inDays(60) });
    await sql(`UPDATE access_token SET last_used_at = now() - interval '10 days', last_used_ip = '10.1.1.1' WHERE id = $1`, [old.id]);
    await sql(`UPDATE access_token SET last_used_at = now() - interval '1 hour', last_used_ip = '10.1.1.2' WHERE id = $1`, [recent.id]);
    await sql(`UPDATE access_token SET last_used_at = now() - interval '3 days', last_used_ip = '10.1.1.3' WHERE id = $1`, [soon.id]);
  });

  it('lastUsedBefore: tokens not used since the date, never-used ones included', async () => {
    expect(await ids(user.authorization, { lastUsedBefore: inDays(-5) })).toEqual([never.id, old.id, later.id].sort());
    expect(await ids(user.authorization, { lastUsedBefore: inDays(-2) })).toEqual([never.id, old.id, soon.id, later.id].sort());
  });

  it('lastUsedAfter: tokens used since the date, never-used ones excluded', async () => {
    expect(await ids(user.authorization, { lastUsedAfter: inDays(-5) })).toEqual([recent.id, soon.id].sort());
    expect(await ids(user.authorization, { lastUsedAfter: inDays(-20), lastUsedBefore: inDays(-5) })).toEqual([old.id]);
  });

  it('expiringBefore: tokens expiring before the date; tokens without expiry never match', async () => {
    expect(await ids(user.authorization, { expiringBefore: inDays(10) })).toEqual([soon.id]);
    expect(await ids(user.authorization, { expiringBefore: inDays(50) })).toEqual([old.id, soon.id].sort());
    expect(await ids(user.authorization, { expiringBefore: inDays(5000) })).toEqual([old.id, soon.id, later.id].sort());
  });

  it('filters combine with the others and totalCount agrees', async () => {
    const connection = await list(user.authorization, { filter: { lastUsedBefore: inDays(-5), nameContains: 'USED' }, first: 1 });
    expect(connection.totalCount).toBe(2);
    expect(connection.nodes).toHaveLength(1);
  });

  it('an admin filters everyone\'s tokens, e.g. one owner\'s unused ones', async () => {
    const admin = await service.admin();
    expect(await ids(admin.authorization, { ownerId: user.userId, lastUsedBefore: inDays(-5) })).toEqual([never.id, old.id, later.id].sort());
  });

  it('a real use counts once it is flushed', async () => {
    const fresh = await service.user();
    const token = await service.createPat(fresh, ['metrics.read']);
    const since = new Date(Date.now() - 1000).toISOString();
    expect(await ids(fresh.authorization, { lastUsedAfter: since })).toEqual([]);
    await expectAccepted(service, token.authorization, fresh.userId);
    expect(await eventually(async () => (await ids(fresh.authorization, { lastUsedAfter: since })).length === 1)).toBe(true);
    expect(await ids(fresh.authorization, { lastUsedBefore: since })).toEqual([]);
  });
});

describe('orderBy with keyset pagination', () => {
  let user: Actor;
  let tokens: CreatedToken[];

  beforeAll(async () => {
    user = await service.user();
    const names = ['delta', 'alpha', 'charlie', 'alpha', 'bravo', 'echo', 'bravo', 'alpha'];
    tokens = [];
    for (const name of names) tokens.push(await service.createPat(user, ['metrics.read'], { name }));
    const id = (i: number) => tokens[i].id;
    // Ties on every key, and tokens without expiry or never used, so the tie-breaker and the NULL handling matter.
    await sql(`UPDATE access_token SET created_at = now() - interval '2 days' WHERE id = ANY($1)`, [[id(0), id(1), id(2)]]);
    await sql(`UPDATE access_token SET created_at = now() - interval '1 day' WHERE id = ANY($1)`, [[id(3), id(4)]]);
    await sql(`UPDATE access_token SET expires_at = now() + interval '5 days' WHERE id = ANY($1)`, [[id(0), id(1), id(5)]]);
    await sql(`UPDATE access_token SET expires_at = now() + interval '9 days' WHERE id = ANY($1)`, [[id(4)]]);
    await sql(`UPDATE access_token SET last_used_at = now() - interval '4 hours' WHERE id = ANY($1)`, [[id(0), id(2), id(6)]]);
    await sql(`UPDATE access_token SET last_used_at = now() - interval '2 hours' WHERE id = ANY($1)`, [[id(7)]]);
  });

  const key = (field: string, node: Node): number | string | null => {
    switch (field) {
      case 'NAME':
        return node.name;
      case 'CREATION_DATE':
        return Date.parse(node.creationDate);
      case 'EXPIRATION_DATE':
        return node.expirationDate === null ? null : Date.parse(node.expirationDate);
      default:
        return node.lastUsedDate === null ? null : Date.parse(node.lastUsedDate);
    }
  };

  /** null as the order puts it: never-expiring last in ASC, never-used first in ASC. */
  const rank = (field: string, value: number | string | null): number | string => {
    if (value !== null) return value;
    return field === 'EXPIRATION_DATE' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  };

  const cases: [string, string][] = [];
  for (const field of ['NAME', 'CREATION_DATE', 'EXPIRATION_DATE', 'LAST_USED_DATE']) for (const direction of ['ASC', 'DESC']) cases.push([field, direction]);

  it.each(cases)('%s %s walks every token exactly once, in order, whatever the page size', async (field, direction) => {
    const orderBy = { field, direction };
    const whole = await walk(user.authorization, orderBy, 100);
    expect(whole).toHaveLength(tokens.length);
    expect(new Set(whole.map((node) => node.id))).toEqual(new Set(tokens.map((token) => token.id)));
    const ranks = whole.map((node) => rank(field, key(field, node)));
    for (let i = 1; i < ranks.length; i += 1) {
      if (direction === 'ASC') expect(ranks[i - 1] <= ranks[i]).toBe(true);
      else expect(ranks[i - 1] >= ranks[i]).toBe(true);
    }
    for (const size of [1, 2, 3]) {
      const paged = await walk(user.authorization, orderBy, size);
      expect(paged.map((node) => node.id)).toEqual(whole.map((node) => node.id));
    }
  });

  it('EXPIRATION_DATE ASC puts never-expiring tokens last; LAST_USED_DATE ASC puts never-used ones first', async () => {
    const byExpiry = await walk(user.authorization, { field: 'EXPIRATION_DATE', direction: 'ASC' }, 3);
    const firstNull = byExpiry.findIndex((node) => node.expirationDate === null);
    expect(firstNull).toBe(4);
    expect(byExpiry.slice(firstNull).every((node) => node.expirationDate === null)).toBe(true);
    const byUse = await walk(user.authorization, { field: 'LAST_USED_DATE', direction: 'ASC' }, 3);
    expect(byUse.slice(0, 4).every((node) => node.lastUsedDate === null)).toBe(true);
    expect(byUse.slice(4).every((node) => node.lastUsedDate !== null)).toBe(true);
  });

  it('direction defaults to DESC', async () => {
    const implicit = await walk(user.authorization, { field: 'NAME' }, 3);
    const explicit = await walk(user.authorization, { field: 'NAME', direction: 'DESC' }, 3);
    expect(implicit.map((node) => node.id)).toEqual(explicit.map((node) => node.id));
    expect(implicit[0].name).toBe('echo');
  });

  it('an admin walks everyone\'s tokens once each, across owners', async () => {
    const admin = await service.admin();
    const other = await service.user();
    const others = [await service.createPat(other, ['metrics.read'], { name: 'alpha' }), await service.createPat(other, ['metrics.read'], { name: 'zulu' })];
    const filter = { ownerId: null, nameContains: null };
    const all = await walk(admin.authorization, { field: 'NAME', direction: 'ASC' }, 4, filter);
    const seen = all.map((node) => node.id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const token of [...tokens, ...others]) expect(seen).toContain(token.id);
    const { accessTokens } = await service.ok('{ accessTokens { totalCount } }', {}, admin.authorization);
    expect(seen.length).toBe(accessTokens.totalCount);
  });

  it('a cursor from one order used with another order is BAD_USER_INPUT (field after)', async () => {
    const page = await list(user.authorization, { orderBy: { field: 'NAME', direction: 'ASC' }, first: 2 });
    const cursor = page.pageInfo.endCursor;
    expect(cursor).toBeTruthy();
    for (const orderBy of [
      { field: 'CREATION_DATE', direction: 'ASC' },
      { field: 'EXPIRATION_DATE', direction: 'ASC' },
      { field: 'LAST_USED_DATE', direction: 'DESC' },
      null,
    ]) {
      expectBadInput(await service.request(LIST, { orderBy, first: 2, after: cursor }, user.authorization), 'after');
    }
    const dateCursor = (await list(user.authorization, { orderBy: { field: 'EXPIRATION_DATE', direction: 'ASC' }, first: 2 })).pageInfo.endCursor;
    expectBadInput(await service.request(LIST, { orderBy: { field: 'LAST_USED_DATE', direction: 'ASC' }, first: 2, after: dateCursor }, user.authorization), 'after');
  });

  it('a cursor from one direction used with the other direction is BAD_USER_INPUT (field after)', async () => {
    const page = await list(user.authorization, { orderBy: { field: 'NAME', direction: 'ASC' }, first: 2 });
    const response = await service.request(LIST, { orderBy: { field: 'NAME', direction: 'DESC' }, first: 2, after: page.pageInfo.endCursor }, user.authorization);
    expectBadInput(response, 'after');
  });

  it('a made-up or tampered cursor is BAD_USER_INPUT (field after)', async () => {
    const page = await list(user.authorization, { orderBy: { field: 'CREATION_DATE', direction: 'ASC' }, first: 2 });
    const decoded = JSON.parse(Buffer.from(page.pageInfo.endCursor, 'base64url').toString('utf8'));
    const tampered = Buffer.from(JSON.stringify([decoded[0], "x'; DROP TABLE access_token; --", decoded[2]])).toString('base64url');
    for (const after of ['nonsense', tampered, Buffer.from('[1,2,3]').toString('base64url')]) {
      expectBadInput(await service.request(LIST, { orderBy: { field: 'CREATION_DATE', direction: 'ASC' }, first: 2, after }, user.authorization), 'after');
    }
  });
});

describe('revokeAccessTokens', () => {
  it('revokes every token of a departing user and answers how many; one TOKEN_REVOKED each', async () => {
    const admin = await service.admin();
    const leaving = await service.user();
    const staying = await service.user();
    const a = await service.createPat(leaving, ['metrics.read']);
    const b = await service.createPat(leaving, ['apiTokens.read']);
    const already = await service.createPat(leaving, ['metrics.read']);
    await service.revoke(already.id, leaving.authorization);
    const kept = await service.createPat(staying, ['metrics.read']);

    const { revokeAccessTokens } = await service.ok(REVOKE_TOKENS, { filter: { ownerId: leaving.userId } }, admin.authorization);
    expect(revokeAccessTokens).toBe(2);
    for (const token of [a, b]) {
      expect(await service.statusOf(token.id)).toBe('REVOKED');
      await expectRefused(service, token.authorization);
      const events = await service.eventsAbout(token.id, ['TOKEN_REVOKED']);
      expect(events).toHaveLength(1);
      expect(events[0].actorUserId).toBe(admin.userId);
    }
    expect(await service.eventsAbout(already.id, ['TOKEN_REVOKED'])).toHaveLength(1);
    await expectAccepted(service, kept.authorization, staying.userId);

    // Again: nothing left to revoke.
    expect((await service.ok(REVOKE_TOKENS, { filter: { ownerId: leaving.userId } }, admin.authorization)).revokeAccessTokens).toBe(0);
  });

  it('revokes every token carrying a scope, of any owner and kind', async () => {
    const admin = await service.admin();
    const u1 = await service.user();
    const u2 = await service.user();
    const scope = 'geographicRegions.read';
    const carrying = [
      await service.createPat(u1, ['metrics.read', scope]),
      await service.createPat(u2, [scope]),
      await service.createApiToken([scope, 'settings.read'], { by: admin }),
    ];
    const notCarrying = [await service.createPat(u1, ['metrics.read']), await service.createPat(u2, ['slo.read'])];
    const { revokeAccessTokens } = await service.ok(REVOKE_TOKENS, { filter: { scopes: [scope] } }, admin.authorization);
    expect(revokeAccessTokens).toBe(3);
    for (const token of carrying) expect(await service.statusOf(token.id)).toBe('REVOKED');
    for (const token of notCarrying) expect(await service.statusOf(token.id)).toBe('ACTIVE');
  });

  it('a filter matching nothing revokes nothing and answers 0', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read'], { name: 'untouched' });
    const nobody = await service.user();
    const before = (await service.eventsAbout(token.id)).length;
    for (const filter of [
      { ownerId: nobody.userId },
      { nameContains: unique('no-such-token') },
      { ownerId: user.userId, personalAccessToken: false },
      { ownerId: user.userId, expiringBefore: inDays(1) },
    ]) {
      expect((await service.ok(REVOKE_TOKENS, { filter }, admin.authorization)).revokeAccessTokens).toBe(0);
    }
    expect(await service.statusOf(token.id)).toBe('ACTIVE');
    expect((await service.eventsAbout(token.id)).length).toBe(before);
  });

  it('an empty filter is BAD_USER_INPUT and revokes nothing', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    const response = await service.request(REVOKE_TOKENS, { filter: {} }, admin.authorization);
    expectBadInput(response);
    expect(await service.statusOf(token.id)).toBe('ACTIVE');
    const nulls = await service.request(REVOKE_TOKENS, { filter: { ownerId: null, scopes: null, nameContains: null } }, admin.authorization);
    expectBadInput(nulls);
    expect(await service.statusOf(token.id)).toBe('ACTIVE');
  });

  it('never revokes the calling token', async () => {
    const bulkAdmin = await service.user();
    await service.grant(bulkAdmin, { permission: 'ADMIN' });
    const caller = await service.createPat(bulkAdmin, ['apiTokens.write', 'apiTokens.read'], { name: 'caller' });
    const others = [await service.createPat(bulkAdmin, ['metrics.read']), await service.createPat(bulkAdmin, ['metrics.read'])];
    const { revokeAccessTokens } = await service.ok(REVOKE_TOKENS, { filter: { ownerId: bulkAdmin.userId } }, caller.authorization);
    expect(revokeAccessTokens).toBe(2);
    for (const token of others) expect(await service.statusOf(token.id)).toBe('REVOKED');
    expect(await service.statusOf(caller.id)).toBe('ACTIVE');
    await expectAccepted(service, caller.authorization, bulkAdmin.userId);
  });

  it('needs ADMIN and apiTokens.write', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    const refused = await service.request(REVOKE_TOKENS, { filter: { ownerId: user.userId } }, user.authorization);
    expectForbidden(refused);
    const admin = await service.admin();
    const readOnly = await service.createPat(admin, ['apiTokens.read']);
    const noScope = await service.request(REVOKE_TOKENS, { filter: { ownerId: user.userId } }, readOnly.authorization);
    expectForbidden(noScope, { scope: 'apiTokens.write' });
    expect(await service.statusOf(token.id)).toBe('ACTIVE');
  });
});

describe('revokeAccessTokens with a filter that says nothing (last: a failure would revoke everything)', () => {
  it('a filter whose only criterion is an empty nameContains is refused, not "revoke everything"', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    const response = await service.request(REVOKE_TOKENS, { filter: { nameContains: '' } }, admin.authorization);
    expect(await service.statusOf(token.id)).toBe('ACTIVE');
    expectBadInput(response);
  });
});
