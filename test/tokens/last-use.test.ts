import { Client } from 'pg';
import { expectAccepted, expectRefused } from '../helpers/expectations';
import { DELETE_TOKEN } from '../helpers/operations';
import { type Actor, type CreatedToken, TestService } from '../helpers/service';
import { eventually, sleep } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  // Nothing is flushed during this file unless a test asks for it; X-Forwarded-For is believed.
  service = await TestService.start({ LAST_USED_FLUSH_MS: '600000', TRUST_PROXY: 'true' });
  await service.setFeature(true);
});
afterAll(() => service?.stop());

const LAST_USE = `query($id: ID!) {
  accessToken(id: $id) { id lastUsedDate lastUsedIpAddress recentIpAddresses { ipAddress lastUsedDate } }
}`;

interface LastUse {
  lastUsedDate: string | null;
  lastUsedIpAddress: string | null;
  recentIpAddresses: { ipAddress: string; lastUsedDate: string }[];
}

async function lastUse(on: TestService, id: string, owner: Actor): Promise<LastUse> {
  return (await on.ok(LAST_USE, { id }, owner.authorization)).accessToken;
}

/** One request with the token, optionally as if forwarded for `ip`; it must succeed. */
async function use(url: string, token: CreatedToken, forwardedFor?: string): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: token.authorization };
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: '{ me { id } }' }) });
  const body = (await response.json()) as { errors?: unknown[]; data?: { me: { id: string } } };
  expect(response.status).toBe(200);
  expect(body.errors).toBeUndefined();
}

async function row(on: TestService, id: string): Promise<{ last_used_at: Date | null; last_used_ip: string | null }> {
  const [found] = await on.service.dataSource.query('SELECT last_used_at, last_used_ip FROM access_token WHERE id = $1', [id]);
  return found;
}

async function ipRows(on: TestService, id: string): Promise<{ ip: string; last_used_at: Date }[]> {
  return on.service.dataSource.query('SELECT ip, last_used_at FROM access_token_ip WHERE token_id = $1 ORDER BY last_used_at DESC', [id]);
}

describe('last use without a write per request', () => {
  it('a token never used shows no last use', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    expect(await lastUse(service, token.id, user)).toMatchObject({ lastUsedDate: null, lastUsedIpAddress: null, recentIpAddresses: [] });
  });

  it('shows a use at once on the same instance while the database row is still untouched', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    const before = Date.now();
    await use(service.url, token);
    const after = Date.now();

    const seen = await lastUse(service, token.id, user);
    expect(seen.lastUsedIpAddress).toBe('127.0.0.1');
    expect(Date.parse(seen.lastUsedDate!)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(seen.lastUsedDate!)).toBeLessThanOrEqual(after + 5);
    expect(seen.recentIpAddresses).toEqual([{ ipAddress: '127.0.0.1', lastUsedDate: seen.lastUsedDate }]);

    // No write per request: nothing reached the database yet.
    expect(await row(service, token.id)).toEqual({ last_used_at: null, last_used_ip: null });
    expect(await ipRows(service, token.id)).toEqual([]);

    // The list shows the same.
    const { accessTokens } = await service.ok('{ accessTokens { nodes { id lastUsedDate lastUsedIpAddress } } }', {}, user.authorization);
    expect(accessTokens.nodes).toEqual([{ id: token.id, lastUsedDate: seen.lastUsedDate, lastUsedIpAddress: '127.0.0.1' }]);
  });

  it('a later use moves the date forward', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    await use(service.url, token);
    const first = await lastUse(service, token.id, user);
    await sleep(30);
    await use(service.url, token);
    const second = await lastUse(service, token.id, user);
    expect(Date.parse(second.lastUsedDate!)).toBeGreaterThan(Date.parse(first.lastUsedDate!));
    expect(second.recentIpAddresses).toEqual([{ ipAddress: '127.0.0.1', lastUsedDate: second.lastUsedDate }]);
  });

  it('a refused attempt (disabled token) is not a use', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    await service.disable(token.id, user.authorization);
    await expectRefused(service, token.authorization);
    expect(await lastUse(service, token.id, user)).toMatchObject({ lastUsedDate: null, lastUsedIpAddress: null, recentIpAddresses: [] });
  });

  it('the token reading itself counts as a use', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['apiTokens.read']);
    const { accessToken } = await service.ok(LAST_USE, { id: token.id }, token.authorization);
    expect(accessToken.lastUsedIpAddress).toBe('127.0.0.1');
    expect(accessToken.lastUsedDate).not.toBeNull();
  });
});

describe('recentIpAddresses', () => {
  it('keeps the 5 newest distinct addresses, newest first (X-Forwarded-For with TRUST_PROXY)', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', '2001:db8::7']) {
      await use(service.url, token, ip);
      await sleep(5);
    }
    await use(service.url, token, '10.0.0.3');
    const seen = await lastUse(service, token.id, user);
    expect(seen.lastUsedIpAddress).toBe('10.0.0.3');
    expect(seen.recentIpAddresses.map((entry) => entry.ipAddress)).toEqual(['10.0.0.3', '2001:db8::7', '10.0.0.6', '10.0.0.5', '10.0.0.4']);
    const dates = seen.recentIpAddresses.map((entry) => Date.parse(entry.lastUsedDate));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    expect(seen.recentIpAddresses[0].lastUsedDate).toBe(seen.lastUsedDate);
  });

  it('the same address used again is listed once', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    await use(service.url, token, '198.51.100.1');
    await sleep(5);
    await use(service.url, token, '198.51.100.2');
    await sleep(5);
    await use(service.url, token, '198.51.100.1');
    const seen = await lastUse(service, token.id, user);
    expect(seen.recentIpAddresses.map((entry) => entry.ipAddress)).toEqual(['198.51.100.1', '198.51.100.2']);
  });

  it('addresses of one token do not show on another', async () => {
    const user = await service.user();
    const a = await service.createPat(user, ['metrics.read']);
    const b = await service.createPat(user, ['metrics.read']);
    await use(service.url, a, '192.0.2.10');
    await use(service.url, b, '192.0.2.20');
    expect((await lastUse(service, a.id, user)).recentIpAddresses.map((entry) => entry.ipAddress)).toEqual(['192.0.2.10']);
    expect((await lastUse(service, b.id, user)).recentIpAddresses.map((entry) => entry.ipAddress)).toEqual(['192.0.2.20']);
  });

  it('the audit log records the forwarded address too', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['apiTokens.write', 'apiTokens.read']);
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token.authorization, 'x-forwarded-for': '203.0.113.77' },
      body: JSON.stringify({ query: 'mutation($id: ID!) { updateAccessToken(id: $id, input: { name: "via proxy" }) { id } }', variables: { id: token.id } }),
    });
    expect(response.status).toBe(200);
    const admin = await service.admin();
    const { auditEvents } = await service.ok(
      'query($id: ID!, $after: String) { auditEvents(filter: { targetId: $id, actions: [TOKEN_UPDATED] }, after: $after) { nodes { clientIp } } }',
      { id: token.id, after: null },
      admin.authorization,
    );
    expect(auditEvents.nodes).toEqual([{ clientIp: '203.0.113.77' }]);
  });
});

describe('X-Forwarded-For that is not an IP address (TRUST_PROXY=true)', () => {
  const NOT_ADDRESSES = ['not-an-ip', '<script>alert(1)</script>', '203.0.113.9:8080', '999.1.1.1', 'unknown', '2001:db8::zz'];

  it('is replaced by the socket\'s address in last use and recent addresses', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['metrics.read']);
    for (const forwarded of NOT_ADDRESSES) {
      await use(service.url, token, forwarded);
      expect({ forwarded, ip: (await lastUse(service, token.id, user)).lastUsedIpAddress }).toEqual({ forwarded, ip: '127.0.0.1' });
    }
    expect((await lastUse(service, token.id, user)).recentIpAddresses.map((entry) => entry.ipAddress)).toEqual(['127.0.0.1']);
    await use(service.url, token, '2001:db8::9');
    expect((await lastUse(service, token.id, user)).lastUsedIpAddress).toBe('2001:db8::9');
  });

  it('is replaced by the socket\'s address in the audit log', async () => {
    const user = await service.user();
    const token = await service.createPat(user, ['apiTokens.write', 'apiTokens.read']);
    for (const [index, forwarded] of NOT_ADDRESSES.entries()) {
      const response = await fetch(service.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: token.authorization, 'x-forwarded-for': forwarded },
        body: JSON.stringify({ query: 'mutation($id: ID!, $name: String!) { updateAccessToken(id: $id, input: { name: $name }) { id } }', variables: { id: token.id, name: `renamed ${index}` } }),
      });
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    }
    const admin = await service.admin();
    const { auditEvents } = await service.ok(
      'query($id: ID!) { auditEvents(filter: { targetId: $id, actions: [TOKEN_UPDATED] }) { nodes { clientIp } } }',
      { id: token.id },
      admin.authorization,
    );
    expect(auditEvents.nodes.map((node: { clientIp: string }) => node.clientIp)).toEqual(NOT_ADDRESSES.map(() => '127.0.0.1'));
  });
});

describe('flushing', () => {
  let fast: TestService;

  beforeAll(async () => {
    fast = await TestService.start({ LAST_USED_FLUSH_MS: '200', TRUST_PROXY: 'true' });
    await fast.setFeature(true);
  });
  afterAll(() => fast?.stop());

  it('with a short interval the row gets written, with the date and address shown before', async () => {
    const user = await fast.user();
    const token = await fast.createPat(user, ['metrics.read']);
    await use(fast.url, token, '198.51.100.9');
    const shown = await lastUse(fast, token.id, user);
    expect(await eventually(async () => (await row(fast, token.id)).last_used_at !== null)).toBe(true);
    const written = await row(fast, token.id);
    expect(written.last_used_ip).toBe('198.51.100.9');
    expect(written.last_used_at!.getTime()).toBe(Date.parse(shown.lastUsedDate!));
    expect((await ipRows(fast, token.id)).map((r) => r.ip)).toEqual(['198.51.100.9']);
    // After the flush it reads the same from the database.
    expect(await lastUse(fast, token.id, user)).toEqual(shown);
  });

  it('keeps at most 5 addresses in the database, the newest', async () => {
    const user = await fast.user();
    const token = await fast.createPat(user, ['metrics.read']);
    const ips = ['172.16.0.1', '172.16.0.2', '172.16.0.3', '172.16.0.4', '172.16.0.5', '172.16.0.6', '172.16.0.7'];
    for (const ip of ips) {
      await use(fast.url, token, ip);
      await sleep(5);
    }
    const expected = ['172.16.0.7', '172.16.0.6', '172.16.0.5', '172.16.0.4', '172.16.0.3'];
    expect((await lastUse(fast, token.id, user)).recentIpAddresses.map((entry) => entry.ipAddress)).toEqual(expected);
    expect(await eventually(async () => (await row(fast, token.id)).last_used_ip === '172.16.0.7')).toBe(true);
    await sleep(400);
    expect((await ipRows(fast, token.id)).map((r) => r.ip)).toEqual(expected);
    expect((await lastUse(fast, token.id, user)).recentIpAddresses.map((entry) => entry.ipAddress)).toEqual(expected);
  });

  it('a use counts in the list\'s lastUsedAfter and lastUsedBefore filters once it is flushed', async () => {
    const user = await fast.user();
    const token = await fast.createPat(user, ['metrics.read']);
    const since = new Date(Date.now() - 1000).toISOString();
    const listed = async (filter: Record<string, unknown>): Promise<string[]> =>
      (await fast.ok('query($filter: AccessTokenFilter) { accessTokens(filter: $filter, first: 100) { nodes { id } } }', { filter }, user.authorization))
        .accessTokens.nodes.map((node: { id: string }) => node.id);
    expect(await listed({ lastUsedAfter: since })).toEqual([]);
    await expectAccepted(fast, token.authorization, user.userId);
    expect(await eventually(async () => (await listed({ lastUsedAfter: since })).length === 1)).toBe(true);
    expect(await listed({ lastUsedBefore: since })).toEqual([]);
  });

  it('uses spread over several flushes still give the 5 newest addresses', async () => {
    const user = await fast.user();
    const token = await fast.createPat(user, ['metrics.read']);
    const ips = ['10.9.0.1', '10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6'];
    for (const ip of ips) {
      await use(fast.url, token, ip);
      await sleep(250);
    }
    const expected = ['10.9.0.6', '10.9.0.5', '10.9.0.4', '10.9.0.3', '10.9.0.2'];
    expect((await lastUse(fast, token.id, user)).recentIpAddresses.map((entry) => entry.ipAddress)).toEqual(expected);
    await sleep(500);
    expect((await ipRows(fast, token.id)).map((r) => r.ip)).toEqual(expected);
  });
});

describe('a clean shutdown', () => {
  /** The token's last use and addresses as the database holds them, read past the service. */
  async function stored(on: TestService, id: string) {
    const client = new Client({ connectionString: on.database.url });
    await client.connect();
    try {
      const token = (await client.query('SELECT last_used_at, last_used_ip FROM access_token WHERE id = $1', [id])).rows[0];
      const ips = (await client.query('SELECT ip, last_used_at FROM access_token_ip WHERE token_id = $1', [id])).rows;
      return { token, ips };
    } finally {
      await client.end();
    }
  }

  /** A service that writes last uses only when it stops. */
  async function startQuiet(env: Record<string, string> = {}): Promise<TestService> {
    const started = await TestService.start({ LAST_USED_FLUSH_MS: '600000', ...env });
    await started.setFeature(true);
    return started;
  }

  it('flushes pending uses at stop; a second instance on the same database shows them', async () => {
    const first = await startQuiet();
    let second: TestService | undefined;
    try {
      const owner = await first.user('shutdown-owner');
      const created = await first.createPat(owner, ['metrics.read'], { name: 'survivor' });
      await use(first.url, created);
      const shown = await lastUse(first, created.id, owner);
      expect(shown.lastUsedIpAddress).toBe('127.0.0.1');
      expect((await stored(first, created.id)).token.last_used_at).toBeNull();

      await first.service.stop();

      const written = await stored(first, created.id);
      expect(written.token.last_used_ip).toBe('127.0.0.1');
      expect(written.token.last_used_at?.getTime()).toBe(Date.parse(shown.lastUsedDate!));
      expect(written.ips.map((r: { ip: string }) => r.ip)).toEqual(['127.0.0.1']);

      second = await first.another();
      expect(await lastUse(second, created.id, owner)).toEqual(shown);
    } finally {
      await second?.stop();
      await first.stop();
    }
  });

  it('a token deleted before the flush does not keep the other tokens\' uses from being written', async () => {
    const running = await startQuiet();
    try {
      const owner = await running.user('deleting-owner');
      const gone = await running.createPat(owner, ['metrics.read'], { name: 'gone' });
      const kept = await running.createPat(owner, ['metrics.read'], { name: 'kept' });
      await use(running.url, gone);
      await use(running.url, kept);
      await running.ok(DELETE_TOKEN, { id: gone.id }, owner.authorization);
      await running.service.stop();
      const written = await stored(running, kept.id);
      expect(written.token.last_used_ip).toBe('127.0.0.1');
      expect(written.token.last_used_at).not.toBeNull();
      expect(written.ips.map((r: { ip: string }) => r.ip)).toEqual(['127.0.0.1']);
    } finally {
      await running.stop();
    }
  });

  it('without TRUST_PROXY an X-Forwarded-For header is ignored', async () => {
    const running = await startQuiet({ TRUST_PROXY: 'false' });
    try {
      const owner = await running.user('spoofing-owner');
      const created = await running.createPat(owner, ['metrics.read'], { name: 's' });
      await use(running.url, created, '203.0.113.5');
      const seen = await lastUse(running, created.id, owner);
      expect(seen.lastUsedIpAddress).toBe('127.0.0.1');
      expect(seen.recentIpAddresses.map((entry) => entry.ipAddress)).toEqual(['127.0.0.1']);
    } finally {
      await running.stop();
    }
  });
});
