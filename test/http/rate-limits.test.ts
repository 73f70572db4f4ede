import { signSession } from '../../src/auth/sign-in';
import { generateToken } from '../../src/tokens/token-secret';
import { type ProbeAnswer, postGraphQL, rawRequest } from '../helpers/http-probe';
import { REPORT_LEAK, mistyped, unique } from '../helpers/operations';
import { TestService } from '../helpers/service';
import { eventually, sleep } from '../helpers/time';

/**
 * Every budget answers 429 with Retry-After and RATE_LIMITED once spent, counts what it says it
 * counts (per address, per caller, per failed sign-in, per leak report), and comes back after its window.
 */
const MADE_UP_TOKEN = `dt0c01.${'A'.repeat(24)}.${'A'.repeat(64)}`;

function expectRateLimited(answer: ProbeAnswer): void {
  expect(answer.status).toBe(429);
  expect(answer.codes).toEqual(['RATE_LIMITED']);
  const retryAfter = Number(answer.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(answer.json.errors[0].extensions.retryAfter).toBe(retryAfter);
}

describe('per client address', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start({ RATE_LIMIT_PER_IP: '5', TRUST_PROXY: 'true' });
  });
  afterAll(() => service?.stop());

  it('answers 429 with Retry-After once the address has spent its budget, before reading the body', async () => {
    const from = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 5; i += 1) {
      const answer = await postGraphQL(service.url, { query: '{ __typename }' }, from);
      expect(answer.status).toBe(200);
    }
    expectRateLimited(await postGraphQL(service.url, { query: '{ __typename }' }, from));
    // Refused before the body is read: even one that would be a 400 or a 413 is a 429.
    const unreadable = await rawRequest(service.url, { headers: { 'content-type': 'application/json', ...from }, body: '{"query": ' });
    expect(unreadable.status).toBe(429);
  });

  it('keeps one address\'s spending away from another address', async () => {
    const answer = await postGraphQL(service.url, { query: '{ __typename }' }, { 'x-forwarded-for': '203.0.113.8' });
    expect(answer.status).toBe(200);
  });

  it('does not limit the health endpoints, which load balancers poll', async () => {
    const base = service.url.replace(/\/graphql$/, '');
    for (let i = 0; i < 8; i += 1) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    }
  });
});

describe('per caller', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start({ RATE_LIMIT_PER_CALLER: '3' });
  });
  afterAll(() => service?.stop());

  it('gives each access token its own budget', async () => {
    // Two requests of the admin's own budget of three: one to sign in, one making both tokens.
    const admin = await service.admin();
    const made = await service.ok(
      `mutation { first: createApiToken(input: { name: "first", scopes: ["metrics.read"] }) { token }
                  second: createApiToken(input: { name: "second", scopes: ["metrics.read"] }) { token } }`,
      {},
      admin.authorization,
    );
    const first = { authorization: `Api-Token ${made.first.token}` };
    const second = { authorization: `Api-Token ${made.second.token}` };
    const ask = (authorization: string) => postGraphQL(service.url, { query: '{ authorize(scope: "metrics.read") { allowed } }' }, { authorization });
    for (let i = 0; i < 3; i += 1) expect((await ask(first.authorization)).json.data).toEqual({ authorize: { allowed: true } });
    expectRateLimited(await ask(first.authorization));
    expect((await ask(second.authorization)).status).toBe(200);
  });

  it('gives each signed-in user its own budget, whatever sign-in token it sends', async () => {
    const subject = unique('user');
    const answers: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      // A new sign-in token each time (another name claim): the budget follows the user, not the header.
      const authorization = await service.sessionHeader(subject, { name: `name ${i}` });
      answers.push((await postGraphQL(service.url, { query: '{ me { id } }' }, { authorization })).status);
    }
    expect(answers).toEqual([200, 200, 200, 429]);
  });

  it('counts anonymous callers by their address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await postGraphQL(service.url, { query: '{ __typename }' })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('failed authentication', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start({ RATE_LIMIT_AUTH_FAILURES: '3', TRUST_PROXY: 'true' });
    await service.setFeature(true);
  });
  afterAll(() => service?.stop());

  it('answers 401 to the first failures of an address, then 429 to invalid credentials of any kind from it', async () => {
    const from = { 'x-forwarded-for': '198.51.100.1' };
    const revoked = await service.createApiToken(['metrics.read']);
    const admin = await service.admin();
    await service.revoke(revoked.id, admin.authorization);
    const attempts = [`Api-Token ${MADE_UP_TOKEN}`, 'Bearer not-a-jwt', await service.sessionHeader('x', {}, { expiresIn: '-1m' })];
    for (const authorization of attempts) {
      const answer = await postGraphQL(service.url, { query: '{ me { id } }' }, { ...from, authorization });
      expect(answer.status).toBe(401);
    }
    const forged = `Api-Token ${generateToken().token}`;
    const wrongSecret = `Api-Token ${generateToken(revoked.id).token}`;
    for (const authorization of [...attempts, forged, wrongSecret, revoked.authorization, 'Basic YWRtaW46YWRtaW4=']) {
      expectRateLimited(await postGraphQL(service.url, { query: '{ me { id } }' }, { ...from, authorization }));
    }
    // Anonymous calls from there still work, and other addresses are not affected.
    expect((await postGraphQL(service.url, { query: '{ __typename }' }, from)).status).toBe(200);
    const elsewhere = await postGraphQL(service.url, { query: '{ me { id } }' }, { 'x-forwarded-for': '198.51.100.2', authorization: attempts[0] });
    expect(elsewhere.status).toBe(401);
  });

  it('lets credentials through that verify without the database from an address that has spent its budget: nobody is locked out by others', async () => {
    const from = { 'x-forwarded-for': '198.51.100.4' };
    const user = await service.user();
    const cachedPat = await service.createPat(user, ['metrics.read']);
    expect((await postGraphQL(service.url, { query: '{ me { id } }' }, { authorization: cachedPat.authorization })).status).toBe(200);
    const unseenPat = await service.createApiToken(['metrics.read']);
    for (let i = 0; i < 4; i += 1) await postGraphQL(service.url, { query: '{ me { id } }' }, { ...from, authorization: 'Bearer not-a-jwt' });
    expectRateLimited(await postGraphQL(service.url, { query: '{ me { id } }' }, { ...from, authorization: 'Bearer not-a-jwt' }));

    // A sign-in never seen before (a new user, too), and a PAT the verified-token cache holds.
    const newcomer = await service.sessionHeader(unique('user'));
    for (const authorization of [newcomer, user.authorization, cachedPat.authorization]) {
      const answer = await postGraphQL(service.url, { query: '{ me { id } }' }, { ...from, authorization });
      expect({ status: answer.status, data: Boolean(answer.json.data?.me?.id) }).toEqual({ status: 200, data: true });
    }
    // A token this instance has not verified lately cannot be told from a guess without the database: it waits for the window.
    expectRateLimited(await postGraphQL(service.url, { query: '{ me { id } }' }, { ...from, authorization: unseenPat.authorization }));
    expect((await postGraphQL(service.url, { query: '{ me { id } }' }, { authorization: unseenPat.authorization })).status).toBe(200);
  });

  it('refuses what it cannot verify without the database, past the budget, before any database work', async () => {
    const from = { 'x-forwarded-for': '198.51.100.5' };
    for (let i = 0; i < 4; i += 1) await postGraphQL(service.url, { query: '{ me { id } }' }, { ...from, authorization: 'Bearer not-a-jwt' });
    const forgedJwt = await signSession('a secret that is not the service\'s, long enough', { sub: 'admin' });
    // A made-up secret with a right checksum (anyone can compute one), for an unknown id and for a cached token's id.
    const user = await service.user();
    const cached = await service.createPat(user, ['metrics.read']);
    await service.ok('{ me { id } }', {}, cached.authorization);
    const forgedForCached = `Api-Token ${generateToken(cached.id).token}`;
    for (const authorization of ['Bearer not-a-jwt', `Api-Token ${mistyped(generateToken().token)}`, `Bearer ${forgedJwt}`, 'Api-Token x', `Api-Token ${generateToken().token}`, forgedForCached]) {
      const before = service.service.queryCounter.count;
      expectRateLimited(await postGraphQL(service.url, { query: '{ me { id } }' }, { ...from, authorization }));
      expect({ authorization: authorization.slice(0, 20), statements: service.service.queryCounter.count - before }).toEqual({
        authorization: authorization.slice(0, 20),
        statements: 0,
      });
    }
  });

  it('does not count successful authentications', async () => {
    const from = { 'x-forwarded-for': '198.51.100.3' };
    const admin = await service.admin();
    for (let i = 0; i < 6; i += 1) {
      expect((await postGraphQL(service.url, { query: '{ me { id } }' }, { ...from, authorization: admin.authorization })).status).toBe(200);
    }
  });
});

describe('leak reports', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start({ RATE_LIMIT_LEAK_REPORTS: '3', TRUST_PROXY: 'true' });
  });
  afterAll(() => service?.stop());

  const report = (from: string, token = MADE_UP_TOKEN) =>
    postGraphQL(service.url, { query: REPORT_LEAK, variables: { token } }, { 'x-forwarded-for': from });

  it('answers 429 once an address has reported its budget of tokens, and revokes nothing more', async () => {
    for (let i = 0; i < 3; i += 1) expect((await report('192.0.2.1')).json).toEqual({ data: { reportLeakedToken: true } });
    const token = await service.createApiToken(['metrics.read']);
    expectRateLimited(await report('192.0.2.1', token.token));
    const stillWorks = await postGraphQL(service.url, { query: '{ authorize(scope: "metrics.read") { allowed } }' }, { authorization: token.authorization });
    expect(stillWorks.json.data).toEqual({ authorize: { allowed: true } });
  });

  it('counts every aliased report of one request', async () => {
    const aliased = 'mutation { a: reportLeakedToken(token: "x") b: reportLeakedToken(token: "y") c: reportLeakedToken(token: "z") d: reportLeakedToken(token: "w") }';
    expectRateLimited(await postGraphQL(service.url, { query: aliased }, { 'x-forwarded-for': '192.0.2.2' }));
    const viaFragment = 'mutation { ...R ...R } fragment R on Mutation { a: reportLeakedToken(token: "x") b: reportLeakedToken(token: "y") }';
    expectRateLimited(await postGraphQL(service.url, { query: viaFragment }, { 'x-forwarded-for': '192.0.2.3' }));
  });

  it('does not charge other operations to the leak budget', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await postGraphQL(service.url, { query: '{ __typename }' }, { 'x-forwarded-for': '192.0.2.4' })).status).toBe(200);
    }
    expect((await report('192.0.2.4')).status).toBe(200);
  });
});

describe('the window', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start({ RATE_LIMIT_PER_CALLER: '2', RATE_LIMIT_WINDOW_S: '1' });
  });
  afterAll(() => service?.stop());

  it('gives the budget back once Retry-After has passed', async () => {
    const ask = () => postGraphQL(service.url, { query: '{ __typename }' });
    let refused: ProbeAnswer | undefined;
    // Three requests within one second spend the budget; a few more allow for a slow machine.
    for (let i = 0; i < 20 && !refused; i += 1) {
      const answer = await ask();
      if (answer.status === 429) refused = answer;
    }
    expect(refused).toBeDefined();
    await sleep(Number(refused!.headers['retry-after']) * 1000);
    expect(await eventually(async () => (await ask()).status === 200, 3000, 200)).toBe(true);
  });
});
