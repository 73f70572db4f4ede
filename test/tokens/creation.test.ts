import { codes, expectBadInput, expectForbidden } from '../helpers/expectations';
import { CREATE_PAT } from '../helpers/operations';
import { type Actor, TestService } from '../helpers/service';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

describe('creating a personal access token', () => {
  it('returns the token once, active, owned by the caller, with the scopes sorted and deduplicated', async () => {
    const user = await service.user();
    const before = Date.now();
    const response = await service.tryCreatePat(user, {
      name: 'ci pipeline',
      scopes: ['metrics.read', 'apiTokens.write', 'metrics.read', 'entities.read', 'apiTokens.write'],
    });
    expect(codes(response)).toEqual([]);
    const { token, accessToken } = response.data.createPersonalAccessToken;
    expect(token.startsWith(`${accessToken.id}.`)).toBe(true);
    expect(accessToken).toMatchObject({
      name: 'ci pipeline',
      enabled: true,
      personalAccessToken: true,
      status: 'ACTIVE',
      owner: { id: user.userId, subject: user.subject },
      expirationDate: null,
      modifiedDate: null,
      lastUsedDate: null,
      lastUsedIpAddress: null,
    });
    expect(accessToken.scopes.map((scope: { value: string }) => scope.value)).toEqual([
      'apiTokens.write',
      'entities.read',
      'metrics.read',
    ]);
    const created = Date.parse(accessToken.creationDate);
    expect(created).toBeGreaterThanOrEqual(before - 2000);
    expect(created).toBeLessThanOrEqual(Date.now() + 2000);
    expect(await service.tokensOwnedBy(user.userId)).toBe(1);

    const { me } = await service.ok('{ me { id } }', {}, `Api-Token ${token}`);
    expect(me.id).toBe(user.userId);
  });

  it('keeps the expirationDate given, as the same instant', async () => {
    const user = await service.user();
    const expirationDate = '2031-06-01T12:00:00+02:00';
    const response = await service.tryCreatePat(user, { expirationDate });
    expect(codes(response)).toEqual([]);
    expect(Date.parse(response.data.createPersonalAccessToken.accessToken.expirationDate)).toBe(Date.parse(expirationDate));
    const stored = await service.token(response.data.createPersonalAccessToken.accessToken.id, user.authorization);
    expect(Date.parse(stored.expirationDate)).toBe(Date.parse(expirationDate));
  });

  it('takes a date alone as the end of that day in UTC, as a variable or written in the query, and answers a full date-time', async () => {
    const user = await service.user();
    const asVariable = await service.tryCreatePat(user, { expirationDate: '2031-01-31' });
    expect(codes(asVariable)).toEqual([]);
    expect(asVariable.data.createPersonalAccessToken.accessToken.expirationDate).toBe('2031-01-31T23:59:59.999Z');

    const inQuery = await service.request(
      'mutation { createApiToken(input: { name: "dated", scopes: ["metrics.read"], expirationDate: "2031-02-28" }) { accessToken { id expirationDate } } }',
      {},
      (await service.admin()).authorization,
    );
    expect(codes(inQuery)).toEqual([]);
    expect(inQuery.data.createApiToken.accessToken.expirationDate).toBe('2031-02-28T23:59:59.999Z');

    // Filters read a date alone the same way: a token that expires at the end of 2031-01-31 does not expire before
    // 2031-01-31 (its very end), and does before 2031-02-01.
    const { accessTokens } = await service.ok(
      'query($before: DateTime) { accessTokens(filter: { expiringBefore: $before }) { nodes { id } } }',
      { before: '2031-01-31' },
      (await service.admin()).authorization,
    );
    const ids = accessTokens.nodes.map((node: { id: string }) => node.id);
    expect(ids).not.toContain(asVariable.data.createPersonalAccessToken.accessToken.id);
    expect(ids).not.toContain(inQuery.data.createApiToken.accessToken.id);
    const { accessTokens: later } = await service.ok(
      'query($before: DateTime) { accessTokens(filter: { expiringBefore: $before }) { nodes { id } } }',
      { before: '2031-02-01' },
      (await service.admin()).authorization,
    );
    expect(later.nodes.map((node: { id: string }) => node.id)).toContain(asVariable.data.createPersonalAccessToken.accessToken.id);
  });

  it('accepts an expirationDate far in the future', async () => {
    const user = await service.user();
    const expirationDate = '9999-12-31T23:59:59.999Z';
    const response = await service.tryCreatePat(user, { expirationDate });
    expect(codes(response)).toEqual([]);
    expect(response.data.createPersonalAccessToken.accessToken).toMatchObject({ expirationDate, status: 'ACTIVE' });
  });

  it('answers an expirationDate only milliseconds ahead with a token or BAD_USER_INPUT, never an internal error', async () => {
    // Whether such a date is still ahead when the token is stored is a race; either answer is fine, a crash is not.
    const user = await service.user();
    const seen = new Map<string, number>();
    for (let round = 0; round < 4; round += 1) {
      for (let aheadMs = 0; aheadMs < 25; aheadMs += 1) {
        const response = await service.tryCreatePat(user, { expirationDate: new Date(Date.now() + aheadMs).toISOString() });
        const outcome = response.errors ? `${codes(response).join(',')} on ${response.errors[0].extensions.field}` : 'created';
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      }
    }
    expect([...seen.keys()].filter((outcome) => outcome !== 'created' && outcome !== 'BAD_USER_INPUT on expirationDate')).toEqual([]);
    expect(await service.tokensOwnedBy(user.userId)).toBe(seen.get('created') ?? 0);
  });

  it('accepts any scope, whatever the permissions of the user', async () => {
    const nobody = await service.user();
    const response = await service.tryCreatePat(nobody, { scopes: ['hub.install', 'settings.write', 'securityProblems.write'] });
    expect(codes(response)).toEqual([]);
    expect(response.data.createPersonalAccessToken.accessToken.scopes.map((scope: { value: string }) => scope.value)).toEqual([
      'hub.install',
      'securityProblems.write',
      'settings.write',
    ]);
  });

  it('can be done with one of the user\'s own PATs carrying apiTokens.write and the scopes; the new PAT belongs to the same user', async () => {
    const user = await service.user();
    const writer = await service.createPat(user, ['apiTokens.write', 'metrics.read']);
    const response = await service.tryCreatePat(writer, { scopes: ['metrics.read'] });
    expect(codes(response)).toEqual([]);
    expect(response.data.createPersonalAccessToken.accessToken.owner.id).toBe(user.userId);
    expect(response.data.createPersonalAccessToken.accessToken.personalAccessToken).toBe(true);
  });

  it('is FORBIDDEN for a PAT without apiTokens.write', async () => {
    const user = await service.user();
    const reader = await service.createPat(user, ['apiTokens.read', 'metrics.read']);
    const before = await service.tokensOwnedBy(user.userId);
    const response = await service.tryCreatePat(reader);
    expectForbidden(response, { scope: 'apiTokens.write' });
    expect(await service.tokensOwnedBy(user.userId)).toBe(before);
  });

  it('is FORBIDDEN for a classic API token, even with apiTokens.write', async () => {
    const apiToken = await service.createApiToken(['apiTokens.write', 'apiTokens.read']);
    const admin = await service.admin();
    const before = await service.tokensOwnedBy(admin.userId);
    const response = await service.tryCreatePat(apiToken);
    expectForbidden(response);
    expect(response.data?.createPersonalAccessToken ?? null).toBeNull();
    expect(await service.tokensOwnedBy(admin.userId)).toBe(before);
  });

  it('needs authentication', async () => {
    const response = await service.tryCreatePat({ authorization: '' });
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

});

describe('creating a classic API token', () => {
  it('is for admins: the token is owned by the admin, not personal, active', async () => {
    const admin = await service.admin();
    const response = await service.tryCreateApiToken({ name: 'monitoring agent', scopes: ['metrics.write', 'entities.read', 'metrics.write'] }, admin);
    expect(codes(response)).toEqual([]);
    const { token, accessToken } = response.data.createApiToken;
    expect(token.startsWith(`${accessToken.id}.`)).toBe(true);
    expect(accessToken).toMatchObject({
      name: 'monitoring agent',
      enabled: true,
      personalAccessToken: false,
      status: 'ACTIVE',
      owner: { id: admin.userId },
    });
    expect(accessToken.scopes.map((scope: { value: string }) => scope.value)).toEqual(['entities.read', 'metrics.write']);
  });

  it('is FORBIDDEN to a user without ADMIN, naming the permission, and creates nothing', async () => {
    const user = await service.user();
    await service.grant(user, { permission: 'MANAGE_SETTINGS' });
    const response = await service.tryCreateApiToken({}, user);
    expectForbidden(response, { permission: 'ADMIN' });
    expect(await service.tokensOwnedBy(user.userId)).toBe(0);
  });

  it('is FORBIDDEN to a non-admin\'s PAT carrying apiTokens.write', async () => {
    const user = await service.user();
    const writer = await service.createPat(user, ['apiTokens.write']);
    const response = await service.tryCreateApiToken({}, writer);
    expectForbidden(response, { permission: 'ADMIN' });
    expect(await service.tokensOwnedBy(user.userId)).toBe(1);
  });

  it('validates its input like a PAT', async () => {
    const admin = await service.admin();
    const before = await service.tokensOwnedBy(admin.userId);
    expectBadInput(await service.tryCreateApiToken({ name: '' }, admin), 'name');
    expectBadInput(await service.tryCreateApiToken({ scopes: ['no.such.scope'] }, admin), 'scopes');
    expectBadInput(await service.tryCreateApiToken({ scopes: [] }, admin), 'scopes');
    expectBadInput(await service.tryCreateApiToken({ expirationDate: new Date(Date.now() - 60_000).toISOString() }, admin), 'expirationDate');
    expect(await service.tokensOwnedBy(admin.userId)).toBe(before);
  });
});

describe('refused input', () => {
  it('names every unknown scope, and creates nothing', async () => {
    const user = await service.user();
    const response = await service.tryCreatePat(user, { scopes: ['metrics.read', 'no.such.scope', 'also.bogus', 'METRICS.READ'] });
    expectBadInput(response, 'scopes');
    const { message, extensions } = response.errors![0];
    expect(message).toContain('no.such.scope');
    expect(message).toContain('also.bogus');
    expect(message).toContain('METRICS.READ');
    expect((extensions.unknownScopes as { value: string }[]).map(({ value }) => value)).toEqual(['no.such.scope', 'also.bogus', 'METRICS.READ']);
    expect(await service.tokensOwnedBy(user.userId)).toBe(0);
  });

  it('suggests the closest known scopes for each mistyped one, nothing for one like no scope at all', async () => {
    const user = await service.user();
    const response = await service.tryCreatePat(user, { scopes: ['metrics.raed', 'MetricsRead', 'zzzzzzzz'] });
    expectBadInput(response, 'scopes');
    const unknown = response.errors![0].extensions.unknownScopes as { value: string; suggestions: string[] }[];
    expect(unknown.map(({ value, suggestions }) => ({ value, first: suggestions[0] ?? null }))).toEqual([
      { value: 'metrics.raed', first: 'metrics.read' },
      { value: 'MetricsRead', first: 'metrics.read' },
      { value: 'zzzzzzzz', first: null },
    ]);
    expect(unknown.every(({ suggestions }) => suggestions.length <= 3)).toBe(true);
    expect(response.errors![0].message).toContain('"metrics.read"');
    expect(await service.tokensOwnedBy(user.userId)).toBe(0);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an empty list of scopes', { scopes: [] }, 'scopes'],
    ['an empty scope value', { scopes: [''] }, 'scopes'],
    ['an empty name', { name: '' }, 'name'],
    ['a name of spaces', { name: '   ' }, 'name'],
    ['a name of whitespace characters', { name: ' \t\n ' }, 'name'],
    ['a 10,000-character name', { name: 'x'.repeat(10_000) }, 'name'],
    ['a name of 201 characters', { name: 'n'.repeat(201) }, 'name'],
    ['a name of 201 emoji', { name: '🔑'.repeat(201) }, 'name'],
    ['a null byte in the name', { name: 'before\u0000after' }, 'name'],
    ['a newline in the name', { name: 'line one\nline two' }, 'name'],
    ['a terminal escape in the name', { name: 'red \u001b[31malert' }, 'name'],
    ['DEL in the name', { name: 'delete\u007f' }, 'name'],
    ['a lone surrogate in the name', { name: 'broken \ud800 text' }, 'name'],
    ['an expirationDate in the past', { expirationDate: new Date(Date.now() - 60_000).toISOString() }, 'expirationDate'],
    ['an expirationDate long past', { expirationDate: '2001-01-01T00:00:00Z' }, 'expirationDate'],
  ])('refuses %s as BAD_USER_INPUT on that field, and creates nothing', async (_label, input, field) => {
    const user = await service.user();
    expectBadInput(await service.tryCreatePat(user, input), field);
    expect(await service.tokensOwnedBy(user.userId)).toBe(0);
  });

  it.each([
    ['C1 control character NEL', 'next\u0085line'],
    ['C1 control character CSI', 'red \u009b31m alert'],
  ])('refuses a %s in the name (a control character like any other)', async (_label, name) => {
    const user = await service.user();
    expectBadInput(await service.tryCreatePat(user, { name }), 'name');
    expect(await service.tokensOwnedBy(user.userId)).toBe(0);
  });

  it.each([
    ['a word', 'tomorrow'],
    ['a date without a time', 'not-a-date-2030'],
    ['month 13', '2030-13-01T00:00:00Z'],
    ['a number', 1893456000000],
  ])('refuses a malformed expirationDate (%s) as BAD_USER_INPUT, and creates nothing', async (_label, expirationDate) => {
    const user = await service.user();
    const response = await service.tryCreatePat(user, { expirationDate });
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.data?.createPersonalAccessToken ?? null).toBeNull();
    expect(await service.tokensOwnedBy(user.userId)).toBe(0);
  });

  it.each([
    ['an impossible day', '2031-02-30'],
    ['a month without leading zero', '2031-1-05'],
  ])('refuses a date-only expirationDate that is not a date (%s) as BAD_USER_INPUT', async (_label, expirationDate) => {
    const user = await service.user();
    const response = await service.tryCreatePat(user, { expirationDate });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await service.tokensOwnedBy(user.userId)).toBe(0);
  });

  it('accepts a name of exactly 200 characters, and of 200 emoji, verbatim', async () => {
    const user = await service.user();
    for (const name of ['n'.repeat(200), '🔑'.repeat(200)]) {
      const response = await service.tryCreatePat(user, { name });
      expect(codes(response)).toEqual([]);
      expect(response.data.createPersonalAccessToken.accessToken.name).toBe(name);
    }
    expect(await service.tokensOwnedBy(user.userId)).toBe(2);
  });

  it.each([
    ['SQL', "'); DROP TABLE access_token; --"],
    ['quotes and backslashes', `it's "quoted" \\ back\\slashed \\'`],
    ['unicode and emoji', 'Ünïcödé 🔑 токен 令牌 👩‍👩‍👧‍👦 עברית'],
    ['surrounding spaces', '  padded name  '],
    ['LIKE wildcards', '100% _done_'],
  ])('stores and returns a name with %s verbatim', async (_label, name) => {
    const user = await service.user();
    const response = await service.tryCreatePat(user, { name });
    expect(codes(response)).toEqual([]);
    const { id } = response.data.createPersonalAccessToken.accessToken;
    expect(response.data.createPersonalAccessToken.accessToken.name).toBe(name);
    expect((await service.token(id, user.authorization)).name).toBe(name);
    const [row] = await service.service.dataSource.query('SELECT name FROM access_token WHERE id = $1', [id]);
    expect(row.name).toBe(name);
    const [{ count }] = await service.service.dataSource.query('SELECT count(*)::int AS count FROM access_token');
    expect(count).toBeGreaterThan(0);
  });

  it('refuses a missing input field at validation, before anything runs', async () => {
    const user = await service.user();
    const response = await service.request(CREATE_PAT, { input: { name: 'no scopes' } }, user.authorization);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await service.tokensOwnedBy(user.userId)).toBe(0);
  });
});

describe('creating for somebody else', () => {
  it('is impossible: the input has no owner, and an unknown input field is refused', async () => {
    const user = await service.user();
    const victim: Actor = await service.user();
    const response = await service.request(
      CREATE_PAT,
      { input: { name: 'for somebody else', scopes: ['metrics.read'], ownerId: victim.userId } },
      user.authorization,
    );
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await service.tokensOwnedBy(victim.userId)).toBe(0);
    expect(await service.tokensOwnedBy(user.userId)).toBe(0);
  });
});
