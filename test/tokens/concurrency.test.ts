import { Client } from 'pg';
import { hashToken } from '../../src/tokens/token-secret';
import { codes, expectRefused } from '../helpers/expectations';
import { DELETE_TOKEN, REVOKE, ROTATE, UPDATE_TOKEN } from '../helpers/operations';
import { type Actor, TestService } from '../helpers/service';
import { atOnce } from '../helpers/time';

/**
 * The same thing done to tokens many times at once: nothing is lost or duplicated, every answer is
 * one a client can act on, never an SQL message. (Names, memberships and grants written at once
 * are in test/directory/concurrency.test.ts, feature switches in test/features.)
 */
const SQL_WORDING = /duplicate key|violates|constraint|unique|relation|SQL|insert|update/i;
const PARALLEL = 12;

let service: TestService;
let admin: Actor;
let sql: Client;

beforeAll(async () => {
  service = await TestService.start();
  admin = await service.admin();
  await service.setFeature(true);
  sql = new Client({ connectionString: service.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await service?.stop();
});

describe('creating many tokens at once', () => {
  it('gives each its own id and secret, all of which work', async () => {
    const created = await atOnce(PARALLEL * 2, (i) => service.createApiToken(['metrics.read'], { name: `parallel ${i}` }));
    expect(new Set(created.map((token) => token.id)).size).toBe(created.length);
    expect(new Set(created.map((token) => token.token)).size).toBe(created.length);
    const answers = await atOnce(created.length, (i) =>
      service.request('{ authorize(scope: "metrics.read") { allowed } }', {}, created[i].authorization),
    );
    expect(answers.map((answer) => answer.data)).toEqual(created.map(() => ({ authorize: { allowed: true } })));
  });

  it('gives one user\'s parallel personal access tokens their own ids, and lists them all', async () => {
    const user = await service.user();
    const created = await atOnce(PARALLEL, () => service.createPat(user, ['metrics.read']));
    expect(new Set(created.map((token) => token.id)).size).toBe(PARALLEL);
    const listed = await service.ok('{ me { personalAccessTokens(first: 100) { nodes { id } } } }', {}, user.authorization);
    expect(new Set(listed.me.personalAccessTokens.nodes.map((node: { id: string }) => node.id))).toEqual(new Set(created.map((token) => token.id)));
  });
});

describe('one token changed many times at once', () => {
  it('revokes once, and answers every revocation with the revoked token', async () => {
    const token = await service.createApiToken(['metrics.read']);
    const answers = await atOnce(PARALLEL, () =>
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
    const answers = await atOnce(6, () =>
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
      service.request(DELETE_TOKEN, { id: token.id }, admin.authorization),
      ...Array.from({ length: 4 }, () =>
        service.request('mutation($id: ID!) { updateAccessToken(id: $id, input: { name: "renamed", scopes: ["entities.read"] }) { id } }', { id: token.id }, admin.authorization),
      ),
      service.request(DELETE_TOKEN, { id: token.id }, admin.authorization),
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

  it('lets a revocation win over an enable and a rotation sent at the same moment: nothing revives the token', async () => {
    const user = await service.user();
    for (let round = 0; round < 5; round += 1) {
      const created = await service.createPat(user, ['metrics.read']);
      await service.disable(created.id, user.authorization);
      const [, , rotation] = await Promise.all([
        service.request(REVOKE, { id: created.id }, user.authorization),
        service.request(UPDATE_TOKEN, { id: created.id, input: { enabled: true } }, user.authorization),
        service.request(ROTATE, { id: created.id }, user.authorization),
      ]);
      expect((await service.token(created.id, user.authorization)).status).toBe('REVOKED');
      await expectRefused(service, created.authorization);
      if (rotation.data?.rotateAccessToken) await expectRefused(service, `Api-Token ${rotation.data.rotateAccessToken.token}`);
    }
  });

  // Each rotation takes the token's lock before it retires a secret, so none retires a secret another already replaced.
  it('still recognises the original secret as reuse after parallel rotations, and revokes the token', async () => {
    const owner = await service.user();
    const pat = await service.createPat(owner, ['metrics.read']);
    const rotations = await atOnce(6, () => service.request(ROTATE, { id: pat.id }, owner.authorization));
    for (const rotation of rotations) expect(codes(rotation)).toEqual([]);
    const secrets = new Set(rotations.map((rotation) => rotation.data.rotateAccessToken.token));
    expect(secrets.size).toBe(6);

    await expectRefused(service, pat.authorization);
    expect(await service.statusOf(pat.id)).toBe('REVOKED');
  });
});

describe('a command on a token the caller may not see', () => {
  it('answers NOT_FOUND without waiting for, or taking, the token\'s lock', async () => {
    const alice = await service.user();
    const bob = await service.user();
    const bobs = await service.createPat(bob, ['metrics.read']);
    const holder = new Client({ connectionString: service.database.url });
    await holder.connect();
    try {
      // Bob's token is locked, as a rotation of it would lock it.
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM access_token WHERE id = $1 FOR UPDATE', [bobs.id]);
      const commands = Promise.all([
        service.request(REVOKE, { id: bobs.id }, alice.authorization),
        service.request(ROTATE, { id: bobs.id }, alice.authorization),
        service.request(UPDATE_TOKEN, { id: bobs.id, input: { enabled: false } }, alice.authorization),
        service.request(DELETE_TOKEN, { id: bobs.id }, alice.authorization),
      ]);
      // A command that queued behind the lock would still be waiting when this gives up.
      let giveUp: NodeJS.Timeout | undefined;
      const waited = new Promise<'still waiting for the lock'>((resolve) => {
        giveUp = setTimeout(() => resolve('still waiting for the lock'), 5000);
      });
      const answers = await Promise.race([commands, waited]);
      clearTimeout(giveUp);
      expect(answers).not.toBe('still waiting for the lock');
      if (answers !== 'still waiting for the lock') for (const answer of answers) expect(codes(answer)).toEqual(['NOT_FOUND']);
      await holder.query('ROLLBACK');
      await commands;
    } finally {
      await holder.end();
    }
    expect(await service.statusOf(bobs.id)).toBe('ACTIVE');
    // The same commands by its owner still take their turn at the lock and work.
    expect(codes(await service.request(REVOKE, { id: bobs.id }, bob.authorization))).toEqual([]);
  });
});
