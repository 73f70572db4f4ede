import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { signSession } from '../../src/auth/sign-in';
import { ChangeNotifier, ChangeTopic } from '../../src/database/change-notifier';
import { type TestDatabase, createTestDatabase } from '../helpers/database';
import { type ProbeAnswer, graphqlData, postGraphQL } from '../helpers/http-probe';
import { ADD_MEMBER, DELETE_TOKEN, DISABLE_PATS, ENABLE_PATS, REMOVE_MEMBER, REPORT_LEAK } from '../helpers/operations';
import { TestService } from '../helpers/service';
import { type ServiceProcess, startServiceProcess } from '../helpers/service-process';
import { eventually, sleep } from '../helpers/time';

/**
 * Several instances on one database behave as one service: what is revoked, disabled, rotated,
 * switched off or taken away through one is refused by every other within a second. Today no
 * instance caches any of it; the change notifier is there for the caches to come, and is checked
 * here across instances too.
 */
const ONE_SECOND = 1000;

describe('two processes on one database', () => {
  const JWT_SECRET = randomBytes(32).toString('hex');
  let database: TestDatabase;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let admin: string;
  let alice: { authorization: string; id: string };
  let aliceGroup: string;

  const authorize = (instance: ServiceProcess, token: string): Promise<ProbeAnswer> =>
    postGraphQL(instance.url, { query: '{ authorize(scope: "metrics.read") { allowed reason } }' }, { authorization: `Api-Token ${token}` });
  const allowedOn = async (instance: ServiceProcess, token: string) => (await authorize(instance, token)).json?.data?.authorize?.allowed === true;
  const refusedOn = async (instance: ServiceProcess, token: string) => (await authorize(instance, token)).status === 401;
  const createApiToken = async () =>
    (await graphqlData(a.url, 'mutation { createApiToken(input: { name: "shared", scopes: ["metrics.read"] }) { token accessToken { id } } }', admin))
      .createApiToken;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      TOKEN_PEPPER: randomBytes(32).toString('hex'),
      AUTH_JWT_SECRET: JWT_SECRET,
      BOOTSTRAP_ADMIN_SUBJECT: 'admin',
    };
    [a, b] = await Promise.all([startServiceProcess(env), startServiceProcess(env)]);
    admin = `Bearer ${await signSession(JWT_SECRET, { sub: 'admin' })}`;
    const aliceSession = `Bearer ${await signSession(JWT_SECRET, { sub: 'alice' })}`;
    alice = { authorization: aliceSession, id: (await graphqlData(b.url, '{ me { id } }', aliceSession)).me.id };
    await graphqlData(a.url, ENABLE_PATS, admin);
    aliceGroup = (await graphqlData(a.url, 'mutation { createGroup(input: { name: "viewers", permissions: [{ permission: VIEWER }] }) { id } }', admin))
      .createGroup.id;
    await graphqlData(a.url, ADD_MEMBER, admin, { g: aliceGroup, u: alice.id });
  }, 120_000);

  afterAll(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
    expect(codes).toEqual([0, 0]);
  }, 60_000);

  it('refuses on B, within a second, a token revoked through A', async () => {
    const { token, accessToken } = await createApiToken();
    expect(await allowedOn(b, token)).toBe(true);
    await graphqlData(a.url, 'mutation($id: ID!) { revokeAccessToken(id: $id) { status } }', admin, { id: accessToken.id });
    expect(await eventually(() => refusedOn(b, token), ONE_SECOND, 20)).toBe(true);
  });

  it('refuses on B a token disabled through A, and accepts it again once enabled through A', async () => {
    const { token, accessToken } = await createApiToken();
    expect(await allowedOn(b, token)).toBe(true);
    await graphqlData(a.url, 'mutation($id: ID!) { updateAccessToken(id: $id, input: { enabled: false }) { id } }', admin, { id: accessToken.id });
    expect(await eventually(() => refusedOn(b, token), ONE_SECOND, 20)).toBe(true);
    await graphqlData(a.url, 'mutation($id: ID!) { updateAccessToken(id: $id, input: { enabled: true }) { id } }', admin, { id: accessToken.id });
    expect(await eventually(() => allowedOn(b, token), ONE_SECOND, 20)).toBe(true);
  });

  it('refuses on B the old secret of a token rotated through A, and accepts the new one', async () => {
    const { token, accessToken } = await createApiToken();
    expect(await allowedOn(b, token)).toBe(true);
    const rotated = await graphqlData(a.url, 'mutation($id: ID!) { rotateAccessToken(id: $id) { token } }', admin, { id: accessToken.id });
    expect(await allowedOn(b, rotated.rotateAccessToken.token)).toBe(true);
    // Last: the old secret used after its (zero) grace period revokes the token, reuse detection.
    expect(await eventually(() => refusedOn(b, token), ONE_SECOND, 20)).toBe(true);
  });

  it('refuses on B a personal access token once A switches the feature off', async () => {
    const pat = (await graphqlData(b.url, 'mutation { createPersonalAccessToken(input: { name: "pat", scopes: ["metrics.read"] }) { token } }', alice.authorization))
      .createPersonalAccessToken.token;
    expect(await allowedOn(b, pat)).toBe(true);
    await graphqlData(a.url, DISABLE_PATS, admin);
    try {
      expect(await eventually(() => refusedOn(b, pat), ONE_SECOND, 20)).toBe(true);
    } finally {
      await graphqlData(a.url, ENABLE_PATS, admin);
    }
    expect(await eventually(() => allowedOn(b, pat), ONE_SECOND, 20)).toBe(true);
  });

  it('denies on B what a personal access token\'s owner lost through A', async () => {
    const pat = (await graphqlData(b.url, 'mutation { createPersonalAccessToken(input: { name: "pat", scopes: ["metrics.read"] }) { token } }', alice.authorization))
      .createPersonalAccessToken.token;
    expect(await allowedOn(b, pat)).toBe(true);
    await graphqlData(a.url, REMOVE_MEMBER, admin, { g: aliceGroup, u: alice.id });
    const denied = async () => (await authorize(b, pat)).json?.data?.authorize?.allowed === false;
    expect(await eventually(denied, ONE_SECOND, 20)).toBe(true);
    await graphqlData(a.url, ADD_MEMBER, admin, { g: aliceGroup, u: alice.id });
    expect(await eventually(() => allowedOn(b, pat), ONE_SECOND, 20)).toBe(true);
  });
});

describe('the change notifier across two instances', () => {
  let a: TestService;
  let b: TestService;
  const heard = Object.fromEntries(Object.values(ChangeTopic).map((topic) => [topic, []])) as unknown as Record<ChangeTopic, (string | null)[]>;

  const heardOnB = (topic: ChangeTopic, key: string | null) => eventually(async () => heard[topic].includes(key), ONE_SECOND, 10);

  beforeAll(async () => {
    a = await TestService.start();
    b = await a.another();
    for (const topic of Object.values(ChangeTopic)) b.service.changes.subscribe(topic, (key) => heard[topic].push(key));
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });
  beforeEach(() => {
    for (const topic of Object.values(ChangeTopic)) heard[topic].length = 0;
  });

  it('tells B about every change to a token made through A', async () => {
    const admin = await a.admin();
    const created = await a.createApiToken(['metrics.read']);
    await a.disable(created.id, admin.authorization);
    expect(await heardOnB(ChangeTopic.ACCESS_TOKEN, created.id)).toBe(true);
    heard[ChangeTopic.ACCESS_TOKEN].length = 0;
    await a.rotate(created.id, admin.authorization);
    expect(await heardOnB(ChangeTopic.ACCESS_TOKEN, created.id)).toBe(true);
    heard[ChangeTopic.ACCESS_TOKEN].length = 0;
    await a.revoke(created.id, admin.authorization);
    expect(await heardOnB(ChangeTopic.ACCESS_TOKEN, created.id)).toBe(true);
    heard[ChangeTopic.ACCESS_TOKEN].length = 0;
    await a.ok(DELETE_TOKEN, { id: created.id }, admin.authorization);
    expect(await heardOnB(ChangeTopic.ACCESS_TOKEN, created.id)).toBe(true);

    const leaked = await a.createApiToken(['metrics.read']);
    await a.ok(REPORT_LEAK, { token: leaked.token });
    expect(await heardOnB(ChangeTopic.ACCESS_TOKEN, leaked.id)).toBe(true);
  });

  it('tells B about a feature switched through A, and not about a switch that changed nothing', async () => {
    await a.setFeature(true);
    expect(await heardOnB(ChangeTopic.FEATURE, 'PERSONAL_ACCESS_TOKENS')).toBe(true);
    heard[ChangeTopic.FEATURE].length = 0;
    await a.setFeature(true);
    await a.setFeature(false);
    expect(await heardOnB(ChangeTopic.FEATURE, 'PERSONAL_ACCESS_TOKENS')).toBe(true);
    expect(heard[ChangeTopic.FEATURE]).toEqual(['PERSONAL_ACCESS_TOKENS']);
  });

  it('tells B whose permissions changed through A', async () => {
    const user = await a.user();
    const group = await a.grant(user, { permission: 'VIEWER' });
    expect(await heardOnB(ChangeTopic.USER, user.userId)).toBe(true);
    const admin = await a.admin();
    await a.ok('mutation($g: ID!) { setGroupPermissions(groupId: $g, permissions: []) { id } }', { g: group }, admin.authorization);
    expect(await heardOnB(ChangeTopic.USER, null)).toBe(true);
    heard[ChangeTopic.USER].length = 0;
    await a.ok(REMOVE_MEMBER, { g: group, u: user.userId }, admin.authorization);
    expect(await heardOnB(ChangeTopic.USER, user.userId)).toBe(true);
    heard[ChangeTopic.USER].length = 0;
    await a.ok('mutation($u: ID!) { deactivateUser(id: $u) { id } }', { u: user.userId }, admin.authorization);
    expect(await heardOnB(ChangeTopic.USER, user.userId)).toBe(true);
  });
});

describe('the change notifier', () => {
  let database: TestDatabase;
  let publisher: Client;
  const notifiers: ChangeNotifier[] = [];

  const notifier = async () => {
    const made = new ChangeNotifier({ url: database.url, publisher, channel: 'tessera_test_changes', maxReconnectDelayMs: 500 });
    notifiers.push(made);
    await made.start();
    return made;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    publisher = new Client({ connectionString: database.url });
    await publisher.connect();
  });
  afterAll(async () => {
    for (const made of notifiers) await made.stop();
    await publisher?.end();
    await database?.drop();
  });

  it('sends a change made in a transaction only when it commits', async () => {
    const sender = await notifier();
    const heard: (string | null)[] = [];
    (await notifier()).subscribe(ChangeTopic.ACCESS_TOKEN, (key) => heard.push(key));
    await publisher.query('BEGIN');
    await sender.publish(ChangeTopic.ACCESS_TOKEN, 'rolled back', publisher);
    await publisher.query('ROLLBACK');
    await publisher.query('BEGIN');
    await sender.publish(ChangeTopic.ACCESS_TOKEN, 'committed', publisher);
    await sleep(100);
    expect(heard).toEqual([]);
    await publisher.query('COMMIT');
    expect(await eventually(async () => heard.includes('committed'), ONE_SECOND, 10)).toBe(true);
    expect(heard).toEqual(['committed']);
  });

  it('listens again after its connection is killed, and tells subscribers to start afresh', async () => {
    const sender = await notifier();
    const listener = await notifier();
    const heard: (string | null)[] = [];
    listener.subscribe(ChangeTopic.FEATURE, (key) => heard.push(key));
    const { rows } = await publisher.query(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'tessera-changes'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(await eventually(async () => heard.includes(null) && listener.listening, 5000, 20)).toBe(true);
    await sender.publish(ChangeTopic.FEATURE, 'PERSONAL_ACCESS_TOKENS');
    expect(await eventually(async () => heard.includes('PERSONAL_ACCESS_TOKENS'), ONE_SECOND, 10)).toBe(true);
  });

  it('keeps other subscribers hearing when one of them throws', async () => {
    const sender = await notifier();
    const listener = await notifier();
    const heard: (string | null)[] = [];
    listener.subscribe(ChangeTopic.USER, () => {
      throw new Error('a broken subscriber');
    });
    listener.subscribe(ChangeTopic.USER, (key) => heard.push(key));
    await sender.publish(ChangeTopic.USER, 'someone');
    expect(await eventually(async () => heard.includes('someone'), ONE_SECOND, 10)).toBe(true);
  });
});
