import { codes, expectBadInput, expectForbidden } from '../helpers/expectations';
import { DELETE_TOKEN, unique } from '../helpers/operations';
import { type Actor, type CreatedToken, type GraphQLResponse, TestService } from '../helpers/service';
import { atOnce, inDays, untilPast } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  // No background flush of last uses: the statement counts below must see only the request's own SQL.
  service = await TestService.start({ LAST_USED_FLUSH_MS: '600000' });
  await service.setFeature(true);
});
afterAll(() => service?.stop());

interface ListedToken {
  id: string;
  name: string;
  status: string;
  creationDate: string;
  expirationDate: string | null;
  lastUsedDate: string | null;
  personalAccessToken: boolean;
  owner: { id: string };
  scopes: { value: string }[];
}

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
  nodes: ListedToken[];
}

const PAGE_FIELDS = `totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
  nodes { id name status creationDate expirationDate lastUsedDate personalAccessToken owner { id } scopes { value } }`;
const LIST = `query($filter: AccessTokenFilter, $first: Int, $after: String, $orderBy: AccessTokenOrder) {
  accessTokens(filter: $filter, first: $first, after: $after, orderBy: $orderBy) { ${PAGE_FIELDS} } }`;
const MY_PATS = `query($first: Int, $after: String) { me { personalAccessTokens(first: $first, after: $after) { ${PAGE_FIELDS} } } }`;

interface ListArguments {
  filter?: Record<string, unknown>;
  first?: number;
  after?: string | null;
  orderBy?: Record<string, unknown> | null;
}

function listRequest(authorization: string, args: ListArguments = {}): Promise<GraphQLResponse> {
  return service.request(LIST, { ...args }, authorization);
}

async function list(authorization: string, args: ListArguments = {}): Promise<Page> {
  return (await service.ok(LIST, { ...args }, authorization)).accessTokens;
}

function ids(page: Page): string[] {
  return page.nodes.map((node) => node.id);
}

/** A word no other test's token names contain, to keep an admin's view of the shared database to one test's tokens. */
const tag = () => unique('tag');

/** Walks every page of `first` tokens; returns the pages in order, each checked to be a well-formed page. */
async function walk(authorization: string, first: number, args: Omit<ListArguments, 'first' | 'after'> = {}): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await list(authorization, { ...args, first, after });
    expect(page.nodes.length).toBeLessThanOrEqual(first);
    expect(page.edges.map((edge) => edge.node.id)).toEqual(ids(page));
    pages.push(page);
    if (!page.pageInfo.hasNextPage) return pages;
    expect(page.pageInfo.endCursor).toEqual(expect.any(String));
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    after = page.pageInfo.endCursor;
    if (pages.length > 100) throw new Error('the list never ends');
  }
}

/** Every token of the list, walked `first` at a time. */
async function walkNodes(authorization: string, first: number, args: Omit<ListArguments, 'first' | 'after'> = {}): Promise<ListedToken[]> {
  return (await walk(authorization, first, args)).flatMap((page) => page.nodes);
}

/** Newest first; tokens created in the same millisecond by id, descending. */
function newestFirst(a: { creationDate: string; id: string }, b: { creationDate: string; id: string }): number {
  const byDate = Date.parse(b.creationDate) - Date.parse(a.creationDate);
  if (byDate !== 0) return byDate;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

async function createMany(actor: Actor, count: number, name: string, scopes = ['metrics.read']): Promise<CreatedToken[]> {
  const created: CreatedToken[] = [];
  for (let i = 0; i < count; i += 1) created.push(await service.createPat(actor, scopes, { name: `${name} ${i}` }));
  return created;
}

describe('who sees which tokens', () => {
  it('a user sees only their own tokens, in accessTokens and in me { personalAccessTokens }', async () => {
    const alice = await service.user();
    const bob = await service.user();
    const alices = await createMany(alice, 3, 'alice');
    const bobs = await createMany(bob, 2, 'bob');

    const page = await list(alice.authorization);
    expect(ids(page).sort()).toEqual(alices.map((token) => token.id).sort());
    expect(page.totalCount).toBe(3);
    for (const node of page.nodes) expect(node.owner.id).toBe(alice.userId);

    const { me } = await service.ok(MY_PATS, {}, bob.authorization);
    expect(ids(me.personalAccessTokens).sort()).toEqual(bobs.map((token) => token.id).sort());
    expect(me.personalAccessTokens.totalCount).toBe(2);

  });

  it('a user\'s PAT with apiTokens.read sees the owner\'s tokens only', async () => {
    const alice = await service.user();
    const bob = await service.user();
    const reader = await service.createPat(alice, ['apiTokens.read']);
    await createMany(bob, 2, 'bob');
    const page = await list(reader.authorization);
    expect(ids(page)).toEqual([reader.id]);
    expect(page.totalCount).toBe(1);
  });

  it('an admin sees everybody\'s tokens, PATs and classic tokens', async () => {
    const admin = await service.admin();
    const alice = await service.user();
    const bob = await service.user();
    const name = tag();
    const alices = await createMany(alice, 2, name);
    const bobs = await createMany(bob, 2, name);
    const classic = await service.createApiToken(['metrics.read'], { name: `${name} classic` });
    const page = await list(admin.authorization, { filter: { nameContains: name } });
    expect(ids(page).sort()).toEqual([...alices, ...bobs, classic].map((token) => token.id).sort());
    expect(page.totalCount).toBe(5);
    expect(new Set(page.nodes.map((node) => node.owner.id))).toEqual(new Set([alice.userId, bob.userId, admin.userId]));
  });

  it('me { personalAccessTokens } is the caller\'s own PATs, even for an admin: no classic tokens, nobody else\'s', async () => {
    const admin = await service.admin();
    const own = await service.createPat(admin, ['metrics.read'], { name: tag() });
    const classic = await service.createApiToken(['metrics.read']);
    const other = await service.createPat(await service.user(), ['metrics.read']);
    let after: string | null = null;
    const seen: ListedToken[] = [];
    for (;;) {
      const { me }: { me: { personalAccessTokens: Page } } = await service.ok(MY_PATS, { first: 100, after }, admin.authorization);
      seen.push(...me.personalAccessTokens.nodes);
      if (!me.personalAccessTokens.pageInfo.hasNextPage) break;
      after = me.personalAccessTokens.pageInfo.endCursor;
    }
    const seenIds = seen.map((node) => node.id);
    expect(seenIds).toContain(own.id);
    expect(seenIds).not.toContain(classic.id);
    expect(seenIds).not.toContain(other.id);
    for (const node of seen) {
      expect(node.personalAccessToken).toBe(true);
      expect(node.owner.id).toBe(admin.userId);
    }
  });
});

describe('filters', () => {
  it('ownerId: an admin sees that owner\'s tokens; a user cannot see another owner\'s tokens through it', async () => {
    const admin = await service.admin();
    const alice = await service.user();
    const bob = await service.user();
    const alices = await createMany(alice, 3, 'alice');
    await createMany(bob, 1, 'bob');

    const byAdmin = await list(admin.authorization, { filter: { ownerId: alice.userId } });
    expect(ids(byAdmin).sort()).toEqual(alices.map((token) => token.id).sort());
    expect(byAdmin.totalCount).toBe(3);

    const byBob = await list(bob.authorization, { filter: { ownerId: alice.userId } });
    expect(byBob.nodes).toEqual([]);
    expect(byBob.totalCount).toBe(0);

    const unknownOwner = await list(admin.authorization, { filter: { ownerId: '00000000-0000-4000-8000-000000000000' } });
    expect(unknownOwner.totalCount).toBe(0);
  });

  it('personalAccessToken: PATs or classic tokens only', async () => {
    const admin = await service.admin();
    const name = tag();
    const pat = await service.createPat(admin, ['metrics.read'], { name: `${name} pat` });
    const classic = await service.createApiToken(['metrics.read'], { name: `${name} classic` });
    const pats = await list(admin.authorization, { filter: { nameContains: name, personalAccessToken: true } });
    const classics = await list(admin.authorization, { filter: { nameContains: name, personalAccessToken: false } });
    expect(ids(pats)).toEqual([pat.id]);
    expect(ids(classics)).toEqual([classic.id]);
    expect(pats.totalCount).toBe(1);
    expect(classics.totalCount).toBe(1);
  });

  it('scopes: tokens carrying any of the scopes', async () => {
    const user = await service.user();
    const metrics = await service.createPat(user, ['metrics.read', 'entities.read']);
    const slo = await service.createPat(user, ['slo.read']);
    const both = await service.createPat(user, ['slo.read', 'metrics.read']);
    await service.createPat(user, ['events.read']);

    const page = await list(user.authorization, { filter: { scopes: ['metrics.read', 'slo.read'] } });
    expect(ids(page).sort()).toEqual([metrics.id, slo.id, both.id].sort());
    expect(page.totalCount).toBe(3);
    for (const node of page.nodes) {
      const values = node.scopes.map((scope) => scope.value);
      expect(values.includes('metrics.read') || values.includes('slo.read')).toBe(true);
    }
    const one = await list(user.authorization, { filter: { scopes: ['entities.read'] } });
    expect(ids(one)).toEqual([metrics.id]);
    expect(one.nodes[0].scopes.map((scope) => scope.value)).toEqual(['entities.read', 'metrics.read']);
  });

  it.each([
    ['an unknown scope', 'no.such.scope'],
    ['an empty value', ''],
    ['SQL', "metrics.read' OR '1'='1"],
    ['a null byte', 'metrics.read\u0000'],
  ])('scopes: %s matches nothing, or is refused as BAD_USER_INPUT, never an internal error', async (_label, scope) => {
    const user = await service.user();
    await service.createPat(user, ['metrics.read']);
    const response = await listRequest(user.authorization, { filter: { scopes: [scope] } });
    if (response.errors) {
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    } else {
      expect(response.data.accessTokens.nodes).toEqual([]);
      expect(response.data.accessTokens.totalCount).toBe(0);
    }
  });

  it('status: ACTIVE, DISABLED, REVOKED, EXPIRED, and several at once', async () => {
    const user = await service.user();
    const expiresAt = new Date(Date.now() + 1500);
    const expired = await service.createPat(user, ['metrics.read'], { expirationDate: expiresAt.toISOString() });
    const active = await service.createPat(user, ['metrics.read']);
    const disabled = await service.createPat(user, ['metrics.read']);
    const revoked = await service.createPat(user, ['metrics.read']);
    await service.disable(disabled.id, user.authorization);
    await service.revoke(revoked.id, user.authorization);
    await untilPast(expiresAt);

    const byStatus = async (status: string[]) => list(user.authorization, { filter: { status } });
    const expectations: [string[], string[]][] = [
      [['ACTIVE'], [active.id]],
      [['DISABLED'], [disabled.id]],
      [['REVOKED'], [revoked.id]],
      [['EXPIRED'], [expired.id]],
      [['SUSPENDED'], []],
      [['DISABLED', 'REVOKED'], [disabled.id, revoked.id]],
      [['ACTIVE', 'DISABLED', 'REVOKED', 'EXPIRED'], [active.id, disabled.id, revoked.id, expired.id]],
    ];
    for (const [status, expected] of expectations) {
      const page = await byStatus(status);
      expect({ status, ids: ids(page).sort() }).toEqual({ status, ids: [...expected].sort() });
      expect(page.totalCount).toBe(expected.length);
      for (const node of page.nodes) expect(status).toContain(node.status);
    }
  });

  it('status: SUSPENDED is every PAT while the feature is off, and no classic token', async () => {
    const admin = await service.admin();
    const user = await service.user();
    const name = tag();
    const pat = await service.createPat(user, ['metrics.read'], { name: `${name} pat` });
    const disabledPat = await service.createPat(user, ['metrics.read'], { name: `${name} disabled pat` });
    await service.disable(disabledPat.id, user.authorization);
    const classic = await service.createApiToken(['metrics.read'], { name: `${name} classic` });

    await service.setFeature(false);
    try {
      const suspended = await list(admin.authorization, { filter: { nameContains: name, status: ['SUSPENDED'] } });
      expect(ids(suspended).sort()).toEqual([pat.id, disabledPat.id].sort());
      for (const node of suspended.nodes) expect(node.status).toBe('SUSPENDED');
      const active = await list(admin.authorization, { filter: { nameContains: name, status: ['ACTIVE'] } });
      expect(ids(active)).toEqual([classic.id]);
      const disabled = await list(admin.authorization, { filter: { nameContains: name, status: ['DISABLED'] } });
      expect(disabled.nodes).toEqual([]);
      const own = await list(user.authorization, { filter: { status: ['SUSPENDED'] } });
      expect(own.totalCount).toBe(2);
    } finally {
      await service.setFeature(true);
    }
    const afterwards = await list(admin.authorization, { filter: { nameContains: name, status: ['SUSPENDED'] } });
    expect(afterwards.nodes).toEqual([]);
    const disabledAgain = await list(admin.authorization, { filter: { nameContains: name, status: ['DISABLED'] } });
    expect(ids(disabledAgain)).toEqual([disabledPat.id]);
  });

  it('nameContains: case-insensitive (beyond ASCII too), with % and _ and \\ taken literally', async () => {
    const user = await service.user();
    const names = ['Deploy Bot', 'deploy-bot', 'DEPLOYMENT', '100% done', '1000 done', 'a_b', 'axb', 'back\\slash', 'backslash', 'Ärger Übel'];
    const created = new Map<string, string>();
    for (const name of names) created.set(name, (await service.createPat(user, ['metrics.read'], { name })).id);
    const matching = async (nameContains: string) =>
      (await list(user.authorization, { filter: { nameContains } })).nodes.map((node) => node.name).sort();

    expect(await matching('DEPLOY')).toEqual(['DEPLOYMENT', 'Deploy Bot', 'deploy-bot'].sort());
    expect(await matching('deploy bot')).toEqual(['Deploy Bot']);
    expect(await matching('%')).toEqual(['100% done']);
    expect(await matching('0%')).toEqual(['100% done']);
    expect(await matching('_')).toEqual(['a_b']);
    expect(await matching('a_b')).toEqual(['a_b']);
    expect(await matching('\\')).toEqual(['back\\slash']);
    expect(await matching('k\\s')).toEqual(['back\\slash']);
    expect(await matching('no such name')).toEqual([]);
    expect(await matching('ärger')).toEqual(['Ärger Übel']);
    expect(await matching('ÜBEL')).toEqual(['Ärger Übel']);
    expect(await matching('')).toEqual([...names].sort());
    const page = await list(user.authorization, { filter: { nameContains: 'deploy' } });
    expect(page.totalCount).toBe(3);
  });

  it('nameContains: a null byte is refused as BAD_USER_INPUT on nameContains', async () => {
    const user = await service.user();
    const response = await listRequest(user.authorization, { filter: { nameContains: 'a\u0000b' } });
    expectBadInput(response, 'nameContains');
  });

  it('combine: every condition must hold', async () => {
    const user = await service.user();
    const match = await service.createPat(user, ['slo.read'], { name: 'nightly job' });
    await service.createPat(user, ['metrics.read'], { name: 'nightly other' });
    const disabled = await service.createPat(user, ['slo.read'], { name: 'nightly disabled' });
    await service.disable(disabled.id, user.authorization);
    const page = await list(user.authorization, {
      filter: { nameContains: 'NIGHTLY', scopes: ['slo.read'], status: ['ACTIVE'], personalAccessToken: true, ownerId: user.userId },
    });
    expect(ids(page)).toEqual([match.id]);
    expect(page.totalCount).toBe(1);
  });
});

describe('filters by last use and expiry', () => {
  /** The ids of `authorization`'s tokens matching `filter`, sorted. */
  const matching = async (authorization: string, filter: Record<string, unknown>) => ids(await list(authorization, { filter, first: 100 })).sort();
  const sql = (text: string, parameters: unknown[]) => service.service.dataSource.query(text, parameters);

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
    expect(await matching(user.authorization, { lastUsedBefore: inDays(-5) })).toEqual([never.id, old.id, later.id].sort());
    expect(await matching(user.authorization, { lastUsedBefore: inDays(-2) })).toEqual([never.id, old.id, soon.id, later.id].sort());
  });

  it('lastUsedAfter: tokens used since the date, never-used ones excluded', async () => {
    expect(await matching(user.authorization, { lastUsedAfter: inDays(-5) })).toEqual([recent.id, soon.id].sort());
    expect(await matching(user.authorization, { lastUsedAfter: inDays(-20), lastUsedBefore: inDays(-5) })).toEqual([old.id]);
  });

  it('expiringBefore: tokens expiring before the date; tokens without expiry never match', async () => {
    expect(await matching(user.authorization, { expiringBefore: inDays(10) })).toEqual([soon.id]);
    expect(await matching(user.authorization, { expiringBefore: inDays(50) })).toEqual([old.id, soon.id].sort());
    expect(await matching(user.authorization, { expiringBefore: inDays(5000) })).toEqual([old.id, soon.id, later.id].sort());
  });

  it('filters combine with the others and totalCount agrees', async () => {
    const connection = await list(user.authorization, { filter: { lastUsedBefore: inDays(-5), nameContains: 'USED' }, first: 1 });
    expect(connection.totalCount).toBe(2);
    expect(connection.nodes).toHaveLength(1);
  });

  it('an admin filters everyone\'s tokens, e.g. one owner\'s unused ones', async () => {
    const admin = await service.admin();
    expect(await matching(admin.authorization, { ownerId: user.userId, lastUsedBefore: inDays(-5) })).toEqual([never.id, old.id, later.id].sort());
  });
});

describe('pagination', () => {
  it('walks every token exactly once, newest first, in pages of `first`', async () => {
    const user = await service.user();
    const created = await createMany(user, 7, 'paged');
    const pages = await walk(user.authorization, 3);
    expect(pages.map((page) => page.nodes.length)).toEqual([3, 3, 1]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
    for (const page of pages) {
      expect(page.totalCount).toBe(7);
      expect(page.edges.map((edge) => edge.node.id)).toEqual(ids(page));
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    }
    const walked = pages.flatMap((page) => page.nodes);
    expect(walked.map((node) => node.id)).toEqual([...walked].sort(newestFirst).map((node) => node.id));
    expect(new Set(walked.map((node) => node.id)).size).toBe(7);
    expect(walked.map((node) => node.id).sort()).toEqual(created.map((token) => token.id).sort());
    const byId = new Map(walked.map((node) => [node.id, Date.parse(node.creationDate)]));
    const datesInCreationOrder = created.map((token) => byId.get(token.id)!);
    expect(datesInCreationOrder).toEqual([...datesInCreationOrder].sort((a, b) => a - b));
    expect(Date.parse(walked[0].creationDate)).toBe(Math.max(...datesInCreationOrder));
  });

  it('walks tokens created at the same moment exactly once, ordered by id within a millisecond', async () => {
    const user = await service.user();
    const created = await atOnce(16, () => service.createPat(user, ['metrics.read']));
    const walked = await walkNodes(user.authorization, 5);
    expect(walked).toHaveLength(16);
    expect(walked.map((node) => node.id)).toEqual([...walked].sort(newestFirst).map((node) => node.id));
    expect(walked.map((node) => node.id).sort()).toEqual(created.map((token) => token.id).sort());
  });

  it('keeps its place when tokens are added or deleted between pages', async () => {
    const user = await service.user();
    const created = await createMany(user, 6, 'stable');
    const first = await list(user.authorization, { first: 2 });
    await service.ok(DELETE_TOKEN, { id: first.nodes[0].id }, user.authorization);
    const newer = await service.createPat(user, ['metrics.read'], { name: 'newer' });
    const rest = (await list(user.authorization, { first: 100, after: first.pageInfo.endCursor })).nodes.map((node) => node.id);
    expect(rest).not.toContain(newer.id);
    expect([...ids(first), ...rest].sort()).toEqual(created.map((token) => token.id).sort());
  });

  it('returns 20 tokens by default, and up to 100 on request', async () => {
    const user = await service.user();
    await atOnce(21, () => service.createPat(user, ['metrics.read']));
    const byDefault = await list(user.authorization);
    expect(byDefault.nodes).toHaveLength(20);
    expect(byDefault.pageInfo.hasNextPage).toBe(true);
    expect(byDefault.totalCount).toBe(21);
    const { me } = await service.ok(MY_PATS, {}, user.authorization);
    expect(me.personalAccessTokens.nodes).toHaveLength(20);
    expect(me.personalAccessTokens.pageInfo.hasNextPage).toBe(true);
    const all = await list(user.authorization, { first: 100 });
    expect(all.nodes).toHaveLength(21);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const exact = await list(user.authorization, { first: 21 });
    expect(exact.nodes).toHaveLength(21);
    expect(exact.pageInfo.hasNextPage).toBe(false);
  });

  it('me { personalAccessTokens } pages the same way', async () => {
    const user = await service.user();
    const created = await createMany(user, 5, 'mine');
    const seen: string[] = [];
    let after: string | null = null;
    for (let round = 0; round < 10; round += 1) {
      const { me }: { me: { personalAccessTokens: Page } } = await service.ok(MY_PATS, { first: 2, after }, user.authorization);
      seen.push(...ids(me.personalAccessTokens));
      expect(me.personalAccessTokens.totalCount).toBe(5);
      if (!me.personalAccessTokens.pageInfo.hasNextPage) break;
      after = me.personalAccessTokens.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(created.map((token) => token.id).sort());
    expect(new Set(seen).size).toBe(5);
  });

  it.each([101, -1, 1_000_000, -2147483648])('refuses first: %d as BAD_USER_INPUT on first', async (first) => {
    const user = await service.user();
    const response = await listRequest(user.authorization, { first });
    expectBadInput(response, 'first');
    const nested = await service.request(MY_PATS, { first }, user.authorization);
    expectBadInput(nested, 'first');
  });

  const base64url = (text: string) => Buffer.from(text).toString('base64url');
  it.each([
    ['a word', 'garbage'],
    ['an empty string', ''],
    ['a token id', 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX'],
    ['JSON that is not a list', base64url('{"a":1}')],
    ['JSON null', base64url('null')],
    ['a list with a number for the id', base64url('["2024-01-01T00:00:00.000Z",5]')],
    ['a list with a bad date', base64url('["yesterday","dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX"]')],
    ['a date before PostgreSQL\'s range', base64url('["-010000-01-01T00:00:00.000Z","dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX"]')],
    ['an id with a null byte', base64url('["2024-01-01T00:00:00.000Z","dt0c01.\\u0000"]')],
  ])('refuses %s as the after cursor with BAD_USER_INPUT on after', async (_label, after) => {
    const user = await service.user();
    await service.createPat(user, ['metrics.read']);
    const response = await listRequest(user.authorization, { after });
    expectBadInput(response, 'after');
    const nested = await service.request(MY_PATS, { after }, user.authorization);
    expectBadInput(nested, 'after');
  });

  const cursorAt = (key: string) => base64url(JSON.stringify(['CREATION_DATE', 'DESC', key, 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX']));
  it.each([
    ['a month 13, day 45, 25:61:61', '2024-13-45 25:61:61+00'],
    ['February 30th', '2024-02-30 10:00:00+00'],
    ['February 29th of a common year', '2023-02-29 10:00:00+00'],
    ['hour 24', '2024-01-01 24:00:00+00'],
    ['second 60', '2024-01-01 10:00:60+00'],
    ['an offset of 16 hours', '2024-01-01 10:00:00+16'],
    ['year 0', '0000-01-01 00:00:00+00'],
  ])('refuses a well-formed cursor at an impossible time (%s) with BAD_USER_INPUT on after, never a database error', async (_label, key) => {
    const user = await service.user();
    const response = await listRequest(user.authorization, { after: cursorAt(key) });
    expectBadInput(response, 'after');
    const nested = await service.request(MY_PATS, { after: cursorAt(key) }, user.authorization);
    expect(codes(nested)).toEqual(['BAD_USER_INPUT']);
  });

  it('takes a cursor at any real time, a leap day and a half-hour offset included', async () => {
    const user = await service.user();
    for (const key of ['2024-02-29 23:59:59.999999+00', '2024-06-01 10:00:00+05:30', '1999-12-31 00:00:00-09:30', 'infinity']) {
      const response = await listRequest(user.authorization, { after: cursorAt(key) });
      expect({ key, errors: response.errors }).toEqual({ key, errors: undefined });
    }
  });

  it('counts every matching token in totalCount, whatever the page', async () => {
    const user = await service.user();
    await createMany(user, 4, 'counted', ['slo.read']);
    await createMany(user, 2, 'other', ['metrics.read']);
    const first = await list(user.authorization, { first: 1 });
    expect(first.totalCount).toBe(6);
    const second = await list(user.authorization, { first: 1, after: first.pageInfo.endCursor });
    expect(second.totalCount).toBe(6);
    const filtered = await list(user.authorization, { first: 1, filter: { scopes: ['slo.read'] } });
    expect(filtered.totalCount).toBe(4);
    expect((await list(user.authorization, { first: 0 })).totalCount).toBe(6);
  });
});

describe('orderBy with keyset pagination', () => {
  let user: Actor;
  let tokens: CreatedToken[];
  const sql = (text: string, parameters: unknown[]) => service.service.dataSource.query(text, parameters);

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

  const key = (field: string, node: ListedToken): number | string | null => {
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
    const whole = await walkNodes(user.authorization, 100, { orderBy });
    expect(whole).toHaveLength(tokens.length);
    expect(new Set(whole.map((node) => node.id))).toEqual(new Set(tokens.map((token) => token.id)));
    const ranks = whole.map((node) => rank(field, key(field, node)));
    for (let i = 1; i < ranks.length; i += 1) {
      if (direction === 'ASC') expect(ranks[i - 1] <= ranks[i]).toBe(true);
      else expect(ranks[i - 1] >= ranks[i]).toBe(true);
    }
    for (const size of [1, 2, 3]) {
      const paged = await walkNodes(user.authorization, size, { orderBy });
      expect(paged.map((node) => node.id)).toEqual(whole.map((node) => node.id));
    }
  });

  it('EXPIRATION_DATE ASC puts never-expiring tokens last; LAST_USED_DATE ASC puts never-used ones first', async () => {
    const byExpiry = await walkNodes(user.authorization, 3, { orderBy: { field: 'EXPIRATION_DATE', direction: 'ASC' } });
    const firstNull = byExpiry.findIndex((node) => node.expirationDate === null);
    expect(firstNull).toBe(4);
    expect(byExpiry.slice(firstNull).every((node) => node.expirationDate === null)).toBe(true);
    const byUse = await walkNodes(user.authorization, 3, { orderBy: { field: 'LAST_USED_DATE', direction: 'ASC' } });
    expect(byUse.slice(0, 4).every((node) => node.lastUsedDate === null)).toBe(true);
    expect(byUse.slice(4).every((node) => node.lastUsedDate !== null)).toBe(true);
  });

  it('direction defaults to DESC', async () => {
    const implicit = await walkNodes(user.authorization, 3, { orderBy: { field: 'NAME' } });
    const explicit = await walkNodes(user.authorization, 3, { orderBy: { field: 'NAME', direction: 'DESC' } });
    expect(implicit.map((node) => node.id)).toEqual(explicit.map((node) => node.id));
    expect(implicit[0].name).toBe('echo');
  });

  it('an admin walks everyone\'s tokens once each, across owners', async () => {
    const admin = await service.admin();
    const other = await service.user();
    const others = [await service.createPat(other, ['metrics.read'], { name: 'alpha' }), await service.createPat(other, ['metrics.read'], { name: 'zulu' })];
    const filter = { ownerId: null, nameContains: null };
    const all = await walkNodes(admin.authorization, 4, { orderBy: { field: 'NAME', direction: 'ASC' }, filter });
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
      expectBadInput(await listRequest(user.authorization, { orderBy, first: 2, after: cursor }), 'after');
    }
    const dateCursor = (await list(user.authorization, { orderBy: { field: 'EXPIRATION_DATE', direction: 'ASC' }, first: 2 })).pageInfo.endCursor;
    expectBadInput(await listRequest(user.authorization, { orderBy: { field: 'LAST_USED_DATE', direction: 'ASC' }, first: 2, after: dateCursor }), 'after');
  });

  it('a cursor from one direction used with the other direction is BAD_USER_INPUT (field after)', async () => {
    const page = await list(user.authorization, { orderBy: { field: 'NAME', direction: 'ASC' }, first: 2 });
    const response = await listRequest(user.authorization, { orderBy: { field: 'NAME', direction: 'DESC' }, first: 2, after: page.pageInfo.endCursor });
    expectBadInput(response, 'after');
  });

  it('a made-up or tampered cursor is BAD_USER_INPUT (field after)', async () => {
    const page = await list(user.authorization, { orderBy: { field: 'CREATION_DATE', direction: 'ASC' }, first: 2 });
    const decoded = JSON.parse(Buffer.from(page.pageInfo.endCursor!, 'base64url').toString('utf8'));
    const tampered = Buffer.from(JSON.stringify([decoded[0], "x'; DROP TABLE access_token; --", decoded[2]])).toString('base64url');
    for (const after of ['nonsense', tampered, Buffer.from('[1,2,3]').toString('base64url')]) {
      expectBadInput(await listRequest(user.authorization, { orderBy: { field: 'CREATION_DATE', direction: 'ASC' }, first: 2, after }), 'after');
    }
  });
});

describe('the access rule on nested fields', () => {
  it('refuses me { personalAccessTokens } to a token without apiTokens.read, naming the scope', async () => {
    const user = await service.user();
    await service.createPat(user, ['metrics.read']);
    const withoutRead = await service.createPat(user, ['metrics.read', 'apiTokens.write']);
    const response = await service.request('{ me { personalAccessTokens { totalCount } } }', {}, withoutRead.authorization);
    expectForbidden(response, { scope: 'apiTokens.read' });
    expect(response.errors![0].message).toContain('apiTokens.read');
    expect(response.errors![0].path).toEqual(['me', 'personalAccessTokens']);
    expect(JSON.stringify(response.data ?? null)).not.toContain('totalCount');

    const classic = await service.createApiToken(['metrics.read']);
    const classicResponse = await service.request('{ me { personalAccessTokens { nodes { id } } } }', {}, classic.authorization);
    expectForbidden(classicResponse, { scope: 'apiTokens.read' });

    const reader = await service.createPat(user, ['apiTokens.read']);
    const allowed = await service.ok('{ me { personalAccessTokens { totalCount } } }', {}, reader.authorization);
    expect(allowed.me.personalAccessTokens.totalCount).toBe(3);
  });

  it('refuses accessTokens to a token without apiTokens.read, naming the scope', async () => {
    const user = await service.user();
    const withoutRead = await service.createPat(user, ['metrics.read']);
    const response = await listRequest(withoutRead.authorization);
    expectForbidden(response, { scope: 'apiTokens.read' });
  });

  it('refuses the lists without authentication', async () => {
    expect(codes(await service.request(LIST, {}))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await service.request(MY_PATS, {}))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the cost of a list', () => {
  it('is a small number of SQL statements, the same for a page of 5 as for a page of 50', async () => {
    const admin = await service.admin();
    const name = tag();
    const owners = await atOnce(5, () => service.user());
    for (const owner of owners) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          service.createPat(owner, i % 2 === 0 ? ['metrics.read', 'slo.read'] : ['entities.read'], { name: `${name} ${i}` }),
        ),
      );
    }
    const query = `query($first: Int, $filter: AccessTokenFilter) { accessTokens(first: $first, filter: $filter) {
      nodes { id status owner { id subject } scopes { value } } } }`;
    const statementsFor = async (first: number) => {
      const { data, statements } = await service.warmStatements(query, { first, filter: { nameContains: name } }, admin.authorization);
      return { nodes: data.accessTokens.nodes as ListedToken[], statements };
    };
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(small.nodes).toHaveLength(5);
    expect(large.nodes).toHaveLength(50);
    expect(new Set(large.nodes.map((node) => node.owner.id)).size).toBe(5);
    for (const node of large.nodes) expect(node.scopes.length).toBeGreaterThan(0);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(8);
  });
});
describe('a list below a list', () => {
  const NESTED_PAGES = `query($n: Int, $m: Int, $filter: AccessTokenFilter) {
    accessTokens(first: $n, filter: $filter) { nodes { id owner { id
      personalAccessTokens(first: $m) { totalCount pageInfo { hasNextPage endCursor } nodes { id name scopes { value } } } } } } }`;
  const BY_OWNER = `query($owner: ID!, $m: Int, $after: String) {
    accessTokens(first: $m, after: $after, filter: { ownerId: $owner, personalAccessToken: true }) {
      pageInfo { hasNextPage endCursor } nodes { id name scopes { value } } } }`;

  it('loads every owner\'s page in one statement: a page of 3 tokens costs the statements of a page of 24', async () => {
    const admin = await service.admin();
    const name = unique('load');
    const owners = await atOnce(6, () => service.user());
    for (const owner of owners) {
      for (let i = 0; i < 4; i += 1) await service.createPat(owner, i % 2 ? ['metrics.read'] : ['slo.read', 'apiTokens.read'], { name: `${name} ${i}` });
    }
    const filter = { nameContains: name };
    const small = await service.warmStatements(NESTED_PAGES, { n: 3, m: 2, filter }, admin.authorization);
    const large = await service.warmStatements(NESTED_PAGES, { n: 24, m: 2, filter }, admin.authorization);
    expect(small.data.accessTokens.nodes).toHaveLength(3);
    expect(large.data.accessTokens.nodes).toHaveLength(24);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(6);

    // Each nested page is the page the list itself gives for that owner, with the same cursors.
    for (const owner of owners) {
      const nested = large.data.accessTokens.nodes.find((node: any) => node.owner.id === owner.userId).owner.personalAccessTokens;
      const listed = (await service.ok(BY_OWNER, { owner: owner.userId, m: 2 }, admin.authorization)).accessTokens;
      expect(nested.totalCount).toBe(4);
      expect({ pageInfo: nested.pageInfo, nodes: nested.nodes }).toEqual(listed);
    }
  });

  it('continues after a nested cursor as the list does, and refuses a cursor that is not one', async () => {
    const owner = await service.user();
    for (let i = 0; i < 5; i += 1) await service.createPat(owner, ['metrics.read'], { name: `page ${i}` });
    const pat = await service.createPat(owner, ['apiTokens.read'], { name: 'reader' });
    const query = `query($id: ID!, $after: String) { accessToken(id: $id) { owner {
      personalAccessTokens(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { id name scopes { value } } } } } }`;
    const first = (await service.ok(query, { id: pat.id }, owner.authorization)).accessToken.owner.personalAccessTokens;
    const second = (await service.ok(query, { id: pat.id, after: first.pageInfo.endCursor }, owner.authorization)).accessToken.owner.personalAccessTokens;
    const listed = (await service.ok(BY_OWNER, { owner: owner.userId, m: 2, after: first.pageInfo.endCursor }, owner.authorization)).accessTokens;
    expect(second).toEqual(listed);
    expect(second.nodes.map((node: any) => node.id)).not.toContain(first.nodes[0].id);

    const bad = await service.request(query, { id: pat.id, after: 'not-a-cursor' }, owner.authorization);
    expectBadInput(bad, 'after');
    const tooMany = await service.request(query.replace('first: 2', 'first: 101'), { id: pat.id }, owner.authorization);
    expectBadInput(tooMany, 'first');
  });

  it('shows a user nobody else\'s tokens below a user it can reach', async () => {
    const admin = await service.admin();
    await service.createPat(admin, ['metrics.read'], { name: 'the admin\'s own' });
    const user = await service.user();
    const { features } = await service.ok(
      '{ features { updatedBy { id personalAccessTokens { totalCount nodes { id } } } } }',
      {},
      user.authorization,
    );
    expect(features[0].updatedBy.id).toBe(admin.userId);
    expect(features[0].updatedBy.personalAccessTokens).toEqual({ totalCount: 0, nodes: [] });
    const own = await service.ok('{ features { updatedBy { personalAccessTokens { totalCount } } } }', {}, admin.authorization);
    expect(own.features[0].updatedBy.personalAccessTokens.totalCount).toBeGreaterThan(0);
  });
});


describe('a page shows each token as it is', () => {
  // A page reads its rows as JSON (jsonRows); accessToken(id:) reads one row through pg's own type
  // parsers. Every field, the owner's and the scopes' included, must read the same both ways.
  const TOKEN_FIELDS = `id name status personalAccessToken disabledByAdministrator creationDate expirationDate modifiedDate
    lastUsedDate lastUsedIpAddress owner { id subject email name active } scopes { value name }`;

  it('answers every field of every token on the page as accessToken(id:) does', async () => {
    const admin = await service.admin();
    const named = tag();
    const owner = await service.user(unique('owner'), { email: `${unique('mail')}@example.com`, name: 'Owner "Name" 🔑' });
    const other = await service.user();
    const created = [
      await service.createPat(owner, ['metrics.read', 'entities.read', 'settings.read'], { name: `${named} a`, expirationDate: inDays(30) }),
      await service.createPat(other, ['metrics.read'], { name: `${named} b` }),
      await service.createApiToken(['entities.read'], { name: `${named} c` }),
    ];
    await service.disable(created[1].id, admin.authorization);
    await service.update(created[0].id, { name: `${named} a, renamed` }, owner.authorization);
    await service.decide(`Api-Token ${created[0].token}`, 'metrics.read');
    await service.ok('mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: other.userId }, admin.authorization);

    const page = await service.ok(
      `query($filter: AccessTokenFilter) { accessTokens(filter: $filter, first: 10) { nodes { ${TOKEN_FIELDS} } } }`,
      { filter: { nameContains: named } },
      admin.authorization,
    );
    const nodes = page.accessTokens.nodes as { id: string; status: string; owner: { active: boolean } }[];
    expect(nodes.map((node) => node.id).sort()).toEqual(created.map((token) => token.id).sort());
    for (const node of nodes) {
      const { accessToken } = await service.ok(`query($id: ID!) { accessToken(id: $id) { ${TOKEN_FIELDS} } }`, { id: node.id }, admin.authorization);
      expect(node).toEqual(accessToken);
    }
    // The states the page had to compute from its owners and the feature, not just copy.
    expect(nodes.map((node) => node.status).sort()).toEqual(['ACTIVE', 'ACTIVE', 'SUSPENDED']);
  });
});
