import { generateToken } from '../../src/tokens/token-secret';
import { codes, expectRefused } from '../helpers/expectations';
import { DELETE_TOKEN, LOOKUP, REPORT_LEAK, mistyped, secretOf } from '../helpers/operations';
import { type GraphQLResponse, TestService } from '../helpers/service';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
  await service.setFeature(true);
});
afterAll(() => service?.stop());

/** What anybody but the owner and admins may read of a token's owner: its id and name. */
const LOOKUP_BY_ANOTHER = `query($token: String!) { lookupAccessToken(token: $token) { id personalAccessToken owner { id name } } }`;

function lookup(token: string, authorization: string): Promise<GraphQLResponse> {
  return service.request(LOOKUP, { token }, authorization);
}

/** The raw HTTP answer to a leak report, sent without any credentials. */
async function reportRaw(token: string): Promise<{ status: number; body: string; contentType: string | null }> {
  const response = await fetch(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: REPORT_LEAK, variables: { token } }),
  });
  return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') };
}

describe('lookupAccessToken', () => {
  it('returns the metadata of the token whose secret is given', async () => {
    const owner = await service.user();
    const created = await service.createPat(owner, ['metrics.read', 'slo.read'], { name: 'found by secret' });
    const response = await lookup(created.token, owner.authorization);
    expect(codes(response)).toEqual([]);
    expect(response.data.lookupAccessToken).toMatchObject({
      id: created.id,
      name: 'found by secret',
      personalAccessToken: true,
      status: 'ACTIVE',
      owner: { id: owner.userId },
    });
    expect(response.data.lookupAccessToken.scopes.map((scope: { value: string }) => scope.value)).toEqual(['metrics.read', 'slo.read']);
  });

  it('works for a token of any owner, called with a token of any scope', async () => {
    const owner = await service.user();
    const finder = await service.user();
    const target = await service.createPat(owner, ['entities.read'], { name: 'someone else\'s' });
    const finderToken = await service.createPat(finder, ['metrics.read']);
    const classic = await service.createApiToken(['slo.read']);
    for (const authorization of [finder.authorization, finderToken.authorization, classic.authorization]) {
      // The owner's identity beyond id and name stays the owner's and the admins' (see authority.test.ts).
      const response = await service.request(LOOKUP_BY_ANOTHER, { token: target.token }, authorization);
      expect(codes(response)).toEqual([]);
      expect(response.data.lookupAccessToken).toMatchObject({ id: target.id, owner: { id: owner.userId } });
    }
    const apiTarget = await service.createApiToken(['metrics.read'], { name: 'classic target' });
    const response = await service.request(LOOKUP_BY_ANOTHER, { token: apiTarget.token }, finderToken.authorization);
    expect(response.data.lookupAccessToken).toMatchObject({ id: apiTarget.id, personalAccessToken: false });
  });

  it('does not open the owner\'s other tokens to the finder', async () => {
    const owner = await service.user();
    const finder = await service.user();
    const found = await service.createPat(owner, ['metrics.read']);
    await service.createPat(owner, ['metrics.read'], { name: 'another of the owner\'s' });
    const response = await service.request(
      `query($token: String!) { lookupAccessToken(token: $token) { id owner { id personalAccessTokens { totalCount nodes { id } } } } }`,
      { token: found.token },
      finder.authorization,
    );
    const owned = response.data?.lookupAccessToken?.owner?.personalAccessTokens;
    if (owned) {
      expect(owned.nodes).toEqual([]);
      expect(owned.totalCount).toBe(0);
    } else {
      expect(codes(response).length).toBeGreaterThan(0);
      expect(codes(response)).not.toContain('INTERNAL_SERVER_ERROR');
    }
  });

  it('shows a revoked or disabled token with its status', async () => {
    const owner = await service.user();
    const revoked = await service.createPat(owner, ['metrics.read']);
    const disabled = await service.createPat(owner, ['metrics.read']);
    await service.revoke(revoked.id, owner.authorization);
    await service.disable(disabled.id, owner.authorization);
    expect((await lookup(revoked.token, owner.authorization)).data.lookupAccessToken).toMatchObject({ id: revoked.id, status: 'REVOKED' });
    expect((await lookup(disabled.token, owner.authorization)).data.lookupAccessToken).toMatchObject({ id: disabled.id, status: 'DISABLED' });
  });

  it('returns null for an unknown, garbled, rotated-away or deleted secret, and for an id', async () => {
    const owner = await service.user();
    const created = await service.createPat(owner, ['metrics.read']);
    const rotated = await service.createPat(owner, ['metrics.read']);
    await service.rotate(rotated.id, owner.authorization);
    const deleted = await service.createPat(owner, ['metrics.read']);
    await service.ok(DELETE_TOKEN, { id: deleted.id }, owner.authorization);
    const unknown = generateToken();
    const wrongSecretForRealId = generateToken(created.id);
    for (const candidate of [
      unknown.token,
      wrongSecretForRealId.token,
      mistyped(created.token),
      created.token.toLowerCase(),
      ` ${created.token}`,
      created.id,
      rotated.token,
      deleted.token,
      '',
      'garbage',
      'x'.repeat(10_000),
      "'; SELECT * FROM access_token; --",
    ]) {
      const response = await lookup(candidate, owner.authorization);
      expect(codes(response)).toEqual([]);
      expect(response.data.lookupAccessToken).toBeNull();
    }
    expect((await lookup(created.token, owner.authorization)).data.lookupAccessToken.id).toBe(created.id);
  });

  it('needs authentication', async () => {
    const owner = await service.user();
    const created = await service.createPat(owner, ['metrics.read']);
    const response = await service.request(LOOKUP, { token: created.token });
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data?.lookupAccessToken ?? null).toBeNull();
  });
});

describe('reportLeakedToken', () => {
  it('works without authentication and revokes a valid token: REVOKED, refused from then on', async () => {
    const owner = await service.user();
    const leaked = await service.createPat(owner, ['metrics.read']);
    const other = await service.createPat(owner, ['metrics.read']);
    const response = await service.request(REPORT_LEAK, { token: leaked.token });
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual([]);
    expect(response.data.reportLeakedToken).toBe(true);
    expect((await service.token(leaked.id, owner.authorization)).status).toBe('REVOKED');
    await expectRefused(service, leaked.authorization);
    expect((await service.token(other.id, owner.authorization)).status).toBe('ACTIVE');
    const enabled = await service.request(
      `mutation($id: ID!) { updateAccessToken(id: $id, input: { enabled: true }) { status } }`,
      { id: leaked.id },
      owner.authorization,
    );
    expect(codes(enabled)).toEqual(['BAD_USER_INPUT']);
    await expectRefused(service, leaked.authorization);
  });

  it('revokes classic API tokens and disabled tokens too', async () => {
    const owner = await service.user();
    const admin = await service.admin();
    const classic = await service.createApiToken(['metrics.read']);
    const disabled = await service.createPat(owner, ['metrics.read']);
    await service.disable(disabled.id, owner.authorization);
    expect((await service.ok(REPORT_LEAK, { token: classic.token })).reportLeakedToken).toBe(true);
    expect((await service.ok(REPORT_LEAK, { token: disabled.token })).reportLeakedToken).toBe(true);
    expect((await service.token(classic.id, admin.authorization)).status).toBe('REVOKED');
    expect((await service.token(disabled.id, owner.authorization)).status).toBe('REVOKED');
    await expectRefused(service, classic.authorization);
  });

  it('answers true for any input, and revokes nothing for an input that is not a valid secret', async () => {
    const owner = await service.user();
    const bystander = await service.createPat(owner, ['metrics.read']);
    const revoked = await service.createPat(owner, ['metrics.read']);
    await service.ok(REPORT_LEAK, { token: revoked.token });
    for (const candidate of [
      revoked.token,
      mistyped(bystander.token),
      generateToken().token,
      generateToken(bystander.id).token,
      bystander.id,
      '',
      ' ',
      'malformed',
      'y'.repeat(10_000),
      '\u0000',
      'dt0c01.🔑',
      "'); DROP TABLE access_token; --",
    ]) {
      const response = await service.request(REPORT_LEAK, { token: candidate });
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual([]);
      expect(response.data.reportLeakedToken).toBe(true);
    }
    expect((await service.token(bystander.id, owner.authorization)).status).toBe('ACTIVE');
    await service.ok('{ me { id } }', {}, bystander.authorization);
  });

  it('does not revoke a token for a secret that was rotated away', async () => {
    const owner = await service.user();
    const created = await service.createPat(owner, ['metrics.read']);
    const rotated = await service.rotate(created.id, owner.authorization);
    expect((await service.ok(REPORT_LEAK, { token: created.token })).reportLeakedToken).toBe(true);
    expect((await service.token(created.id, owner.authorization)).status).toBe('ACTIVE');
    await service.ok('{ me { id } }', {}, rotated.authorization);
  });

  it('gives the same answer, byte for byte, for a valid secret, a revoked one and garbage', async () => {
    const owner = await service.user();
    const valid = await service.createPat(owner, ['metrics.read']);
    const answers = [
      await reportRaw(valid.token),
      await reportRaw(valid.token),
      await reportRaw(generateToken().token),
      await reportRaw(mistyped(valid.token)),
      await reportRaw('garbage'),
      await reportRaw(''),
      await reportRaw('z'.repeat(10_000)),
    ];
    expect(answers[0]).toEqual({ status: 200, body: expect.any(String), contentType: expect.any(String) });
    expect(JSON.parse(answers[0].body)).toEqual({ data: { reportLeakedToken: true } });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect((await service.token(valid.id, owner.authorization)).status).toBe('REVOKED');
  });

  it('also works when sent with credentials, and with the leaked token\'s own credentials', async () => {
    const owner = await service.user();
    const first = await service.createPat(owner, ['metrics.read']);
    const second = await service.createPat(owner, ['metrics.read']);
    expect((await service.ok(REPORT_LEAK, { token: first.token }, owner.authorization)).reportLeakedToken).toBe(true);
    expect((await service.ok(REPORT_LEAK, { token: second.token }, second.authorization)).reportLeakedToken).toBe(true);
    expect((await service.token(first.id, owner.authorization)).status).toBe('REVOKED');
    expect((await service.token(second.id, owner.authorization)).status).toBe('REVOKED');
  });

  it('never echoes the reported secret', async () => {
    const owner = await service.user();
    const created = await service.createPat(owner, ['metrics.read']);
    const secret = secretOf(created.token);
    for (const answer of [await reportRaw(created.token), await reportRaw(mistyped(created.token))]) {
      expect(answer.body).not.toContain(secret.slice(0, 40));
    }
  });
});
