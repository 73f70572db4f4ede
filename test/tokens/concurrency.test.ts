import { Client } from 'pg';
import { hashToken } from '../../src/tokens/token-secret';
import { codes } from '../helpers/expectations';
import { unique } from '../helpers/operations';
import { type Actor, type GraphQLResponse, TestService } from '../helpers/service';

/**
 * The same thing done many times at once: nothing is lost or duplicated, every answer is one a
 * client can act on, and a unique index that refuses a write comes back as BAD_USER_INPUT, never
 * as an SQL message. (Concurrent feature switches and group changes are covered in test/features
 * and test/directory.)
 */
const SQL_WORDING = /duplicate key|violates|constraint|unique|relation|SQL|insert|update/i;
const PARALLEL = 12;

let service: TestService;
let admin: Actor;
let sql: Client;

beforeAll(async () => {
  service = await TestService.start();
  admin = await service.admin();
  sql = new Client({ connectionString: service.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await service?.stop();
});

function times<T>(count: number, action: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => action(index)));
}

/** Exactly one answer succeeded; every other was refused as BAD_USER_INPUT on `field`, in words a user can read. */
function expectOneWinner(answers: GraphQLResponse[], field: string): void {
  const won = answers.filter((answer) => !answer.errors);
  const lost = answers.filter((answer) => answer.errors);
  expect(won).toHaveLength(1);
  for (const answer of lost) {
    expect(answer.status).toBe(200);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0].extensions.field).toBe(field);
    expect(answer.errors![0].message).not.toMatch(/duplicate key|violates|constraint/i);
  }
}

describe('creating many tokens at once', () => {
  it('gives each its own id and secret, all of which work', async () => {
    const created = await times(PARALLEL * 2, (i) => service.createApiToken(['metrics.read'], { name: `parallel ${i}` }));
    expect(new Set(created.map((token) => token.id)).size).toBe(created.length);
    expect(new Set(created.map((token) => token.token)).size).toBe(created.length);
    const answers = await times(created.length, (i) =>
      service.request('{ authorize(scope: "metrics.read") { allowed } }', {}, created[i].authorization),
    );
    expect(answers.map((answer) => answer.data)).toEqual(created.map(() => ({ authorize: { allowed: true } })));
  });

  it('gives one user\'s parallel personal access tokens their own ids, and lists them all', async () => {
    await service.setFeature(true);
    const user = await service.user();
    const created = await times(PARALLEL, () => service.createPat(user, ['metrics.read']));
    expect(new Set(created.map((token) => token.id)).size).toBe(PARALLEL);
    const listed = await service.ok('{ me { personalAccessTokens(first: 100) { nodes { id } } } }', {}, user.authorization);
    expect(new Set(listed.me.personalAccessTokens.nodes.map((node: { id: string }) => node.id))).toEqual(new Set(created.map((token) => token.id)));
  });
});

describe('one name claimed many times at once', () => {
  it('creates one group and refuses the others as BAD_USER_INPUT', async () => {
    const name = unique('race');
    const answers = await times(PARALLEL, (i) =>
      service.request(
        'mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }',
        { input: { name: i % 2 === 0 ? name : name.toUpperCase(), permissions: [{ permission: 'VIEWER' }] } },
        admin.authorization,
      ),
    );
    expectOneWinner(answers, 'name');
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM user_group WHERE lower(name) = $1', [name]);
    expect(rows[0].n).toBe(1);
  });

  it('creates one management zone and refuses the others as BAD_USER_INPUT', async () => {
    const name = unique('zone-race');
    const answers = await times(PARALLEL, (i) =>
      service.request(
        'mutation($name: String!) { createManagementZone(name: $name) { id } }',
        { name: i % 2 === 0 ? name : name.toUpperCase() },
        admin.authorization,
      ),
    );
    expectOneWinner(answers, 'name');
  });

  it('creates one user for a subject that signs in for the first time on many requests at once', async () => {
    const subject = unique('first');
    const authorization = await service.sessionHeader(subject, { email: `${subject}@example.com` });
    const answers = await times(PARALLEL, () => service.request('{ me { id subject } }', {}, authorization));
    expect(answers.map((answer) => answer.errors)).toEqual(answers.map(() => undefined));
    expect(new Set(answers.map((answer) => answer.data.me.id)).size).toBe(1);
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM app_user WHERE subject = $1', [subject]);
    expect(rows[0].n).toBe(1);
  });
});

describe('one membership or grant set written many times at once', () => {
  it('keeps one membership when a user is added to a group many times at once', async () => {
    const user = await service.user();
    const { createGroup } = await service.ok(
      'mutation { createGroup(input: { name: "members race", permissions: [] }) { id } }',
      {},
      admin.authorization,
    );
    const answers = await times(PARALLEL, () =>
      service.request('mutation($g: ID!, $u: ID!) { addGroupMember(groupId: $g, userId: $u) { id } }', { g: createGroup.id, u: user.userId }, admin.authorization),
    );
    expect(answers.flatMap((answer) => codes(answer))).toEqual([]);
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM group_member WHERE group_id = $1 AND user_id = $2', [createGroup.id, user.userId]);
    expect(rows[0].n).toBe(1);
  });

  it('ends with exactly one of the grant sets written at once, never a mix', async () => {
    const zones = await times(3, () => service.createZone());
    const { createGroup } = await service.ok(
      'mutation { createGroup(input: { name: "grants race", permissions: [] }) { id } }',
      {},
      admin.authorization,
    );
    const sets = Array.from({ length: PARALLEL }, (_, i) => [
      { permission: 'VIEWER', managementZoneId: zones[i % 3] },
      { permission: 'MANAGE_SETTINGS', managementZoneId: zones[(i + 1) % 3] },
      ...(i % 2 === 0 ? [{ permission: 'ADMIN' }] : []),
    ]);
    const answers = await times(PARALLEL, (i) =>
      service.request('mutation($g: ID!, $p: [PermissionGrantInput!]!) { setGroupPermissions(groupId: $g, permissions: $p) { id } }', { g: createGroup.id, p: sets[i] }, admin.authorization),
    );
    expect(answers.flatMap((answer) => codes(answer))).toEqual([]);
    const { rows } = await sql.query(
      `SELECT permission::text, management_zone_id AS "managementZoneId" FROM permission_grant WHERE group_id = $1`,
      [createGroup.id],
    );
    const key = (grants: { permission: string; managementZoneId?: string | null }[]) =>
      grants.map((grant) => `${grant.permission}/${grant.managementZoneId ?? ''}`).sort().join(',');
    expect(sets.map(key)).toContain(key(rows));
  });
});

describe('one token changed many times at once', () => {
  it('revokes once, and answers every revocation with the revoked token', async () => {
    const token = await service.createApiToken(['metrics.read']);
    const answers = await times(PARALLEL, () =>
      service.request('mutation($id: ID!) { revokeAccessToken(id: $id) { status } }', { id: token.id }, admin.authorization),
    );
    expect(answers.map((answer) => answer.data?.revokeAccessToken?.status)).toEqual(answers.map(() => 'REVOKED'));
    const { rows } = await sql.query('SELECT revoked_at FROM access_token WHERE id = $1', [token.id]);
    expect(rows[0].revoked_at).not.toBeNull();
    const { rows: audit } = await sql.query(`SELECT count(*)::int AS n FROM audit_event WHERE target_id = $1 AND action = 'TOKEN_REVOKED'`, [token.id]);
    expect(audit[0].n).toBe(1);
  });

  it('keeps exactly one of the secrets of parallel rotations', async () => {
    const token = await service.createApiToken(['metrics.read']);
    const answers = await times(6, () =>
      service.request('mutation($id: ID!) { rotateAccessToken(id: $id) { token } }', { id: token.id }, admin.authorization),
    );
    expect(answers.flatMap((answer) => codes(answer))).toEqual([]);
    const secrets = answers.map((answer) => answer.data.rotateAccessToken.token as string);
    expect(new Set(secrets).size).toBe(secrets.length);
    const { rows } = await sql.query('SELECT secret_hash FROM access_token WHERE id = $1', [token.id]);
    const current = secrets.filter((secret) => hashToken(service.config.tokenPepper!, secret).equals(rows[0].secret_hash));
    expect(current).toHaveLength(1);
  });

  it('answers a change racing a deletion with NOT_FOUND or success, never an internal error', async () => {
    const token = await service.createApiToken(['metrics.read']);
    const answers = await Promise.all([
      service.request('mutation($id: ID!) { deleteAccessToken(id: $id) }', { id: token.id }, admin.authorization),
      ...Array.from({ length: 4 }, () =>
        service.request('mutation($id: ID!) { updateAccessToken(id: $id, input: { name: "renamed", scopes: ["entities.read"] }) { id } }', { id: token.id }, admin.authorization),
      ),
      service.request('mutation($id: ID!) { deleteAccessToken(id: $id) }', { id: token.id }, admin.authorization),
    ]);
    for (const answer of answers) {
      for (const error of answer.errors ?? []) {
        expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(error.extensions.code);
        expect(error.message).not.toMatch(SQL_WORDING);
      }
    }
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM access_token_scope WHERE token_id = $1', [token.id]);
    expect(rows[0].n).toBe(0);
  });
});
