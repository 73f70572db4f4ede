import { randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JWK, type KeyLike, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { generateToken } from '../../src/tokens/token-secret';
import { codes, expectForbidden, expectRefused, expectUnauthenticated } from '../helpers/expectations';
import { unique } from '../helpers/operations';
import { TestService } from '../helpers/service';
import { atOnce } from '../helpers/time';

let service: TestService;

beforeAll(async () => {
  service = await TestService.start();
});
afterAll(() => service?.stop());

const ME = '{ me { id subject email name } }';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** Sends each credential to `target`: every one is refused as a whole, and all with one same message, which never says why. */
async function expectAllRefusedAlike(target: TestService, cases: Record<string, string>): Promise<void> {
  const messages = new Set<string>();
  for (const [reason, authorization] of Object.entries(cases)) {
    const response = await target.request(ME, {}, authorization);
    try {
      expectUnauthenticated(response);
    } catch (error) {
      throw new Error(`${reason}: ${(error as Error).message}`);
    }
    messages.add(response.errors![0].message);
  }
  expect([...messages]).toHaveLength(1);
}

describe('HS256 sign-in', () => {
  it('creates the user on its first request, with email and name from the claims', async () => {
    const subject = unique('alice');
    const authorization = await service.sessionHeader(subject, { email: 'alice@example.com', name: 'Alice Example' });
    const first = await service.request(ME, {}, authorization);
    expect(first.status).toBe(200);
    expect(first.errors).toBeUndefined();
    expect(first.data.me).toMatchObject({ subject, email: 'alice@example.com', name: 'Alice Example' });
    expect(typeof first.data.me.id).toBe('string');

    // A brand-new user has no groups, hence no grants.
    const { me } = await service.ok('{ me { permissions { permission } } }', {}, authorization);
    expect(me.permissions).toEqual([]);
  });

  it('reuses the same user on a second sign-in (a new token for the same sub)', async () => {
    const subject = unique('bob');
    const first = await service.ok(ME, {}, await service.sessionHeader(subject, { email: 'bob@example.com', name: 'Bob' }));
    const again = await service.ok(ME, {}, await service.sessionHeader(subject, { email: 'bob@example.com', name: 'Bob' }));
    expect(again.me.id).toBe(first.me.id);
    expect(again.me).toEqual(first.me);
  });

  it('creates exactly one user when a new subject signs in with many requests at once', async () => {
    const subject = unique('burst');
    const authorization = await service.sessionHeader(subject, { email: 'burst@example.com' });
    const responses = await atOnce(12, () => service.request('{ me { id subject } }', {}, authorization));
    for (const response of responses) expect(response.errors).toBeUndefined();
    const ids = new Set(responses.map((response) => response.data.me.id));
    expect(ids.size).toBe(1);
    const [{ count }] = await service.service.dataSource.query('SELECT count(*)::int AS count FROM app_user WHERE subject = $1', [subject]);
    expect(count).toBe(1);
  });

  it('refuses every bad credential with HTTP 401, UNAUTHENTICATED, a WWW-Authenticate header and one same message', async () => {
    const secret = service.service.jwtSecret!;
    const now = Math.floor(Date.now() / 1000);
    const subject = unique('mallory');

    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(secretKey(secret));
    const wrongSignature = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secretKey(randomBytes(32).toString('hex')));
    const algNone = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: subject, iat: now, exp: now + 3600 })}.`;
    const missingSub = await new SignJWT({ email: 'nosub@example.com' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secretKey(secret));
    const valid = await service.sessionHeader(subject);

    const cases: Record<string, string> = {
      expired: `Bearer ${expired}`,
      'wrong signature': `Bearer ${wrongSignature}`,
      'alg none': `Bearer ${algNone}`,
      'missing sub': `Bearer ${missingSub}`,
      garbage: 'Bearer not-a-jwt-at-all',
      'unknown scheme (Basic)': `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      'unknown scheme carrying a valid token': valid.replace(/^Bearer /, 'Token '),
      'made-up access token': `Api-Token dt0c01.${'A'.repeat(24)}.${'B'.repeat(64)}`,
      'a sign-in token sent as an access token': valid.replace(/^Bearer /, 'Api-Token '),
    };
    await expectAllRefusedAlike(service, cases);

    // None of the refused attempts created a user for the subject: its first valid sign-in does.
    const { me } = await service.ok('{ me { subject } }', {}, valid);
    expect(me.subject).toBe(subject);
  });

  it('refuses a sign-in whose subject holds a null byte as invalid credentials', async () => {
    expectUnauthenticated(await service.request(ME, {}, await service.sessionHeader('evil\u0000admin')));
  });

  it('refuses malformed Authorization headers with 401, not 500', async () => {
    for (const authorization of ['Bearer', 'Bearer a b', 'Basic YWRtaW46YWRtaW4=', `Api-Token ${'x'.repeat(5000)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.']) {
      const response = await service.request(ME, {}, authorization);
      expect({ authorization: authorization.slice(0, 40), status: response.status }).toEqual({ authorization: authorization.slice(0, 40), status: 401 });
    }
  });

  it('fails the whole request with 401 even when the fields asked for are public', async () => {
    const response = await service.request(
      'mutation { reportLeakedToken(token: "nothing") }',
      {},
      'Bearer garbage.garbage.garbage',
    );
    expectUnauthenticated(response);
  });

  it('answers `me` without an Authorization header with UNAUTHENTICATED and HTTP 200', async () => {
    const response = await service.request(ME);
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('lets a public field answer without an Authorization header', async () => {
    const response = await service.request('mutation { reportLeakedToken(token: "nothing") }');
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data.reportLeakedToken).toBe(true);
  });
});

describe('sign-in tokens are checked strictly', () => {
  const secret = () => secretKey(service.service.jwtSecret!);

  async function jwt(build: (jwt: SignJWT) => SignJWT): Promise<string> {
    return `Bearer ${await build(new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(`jwt-${Date.now()}`)).sign(secret())}`;
  }

  it('a JWT without exp is refused', async () => {
    await expectRefused(service, await jwt((token) => token.setIssuedAt()));
  });

  it('a JWT issued in the future, or not valid before a future time, is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(service, await jwt((token) => token.setIssuedAt(now + 10 * 365 * 86_400).setExpirationTime(now + 10 * 365 * 86_400 + 3600)));
    await expectRefused(service, await jwt((token) => token.setIssuedAt(now + 600).setExpirationTime(now + 3600)));
    await expectRefused(service, await jwt((token) => token.setIssuedAt(now).setNotBefore(now + 600).setExpirationTime(now + 3600)));
  });

  it('a JWT living longer than the accepted lifetime is refused; within it, and within the clock skew, it passes', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(service, await jwt((token) => token.setIssuedAt(now).setExpirationTime(now + 30 * 86_400)));
    await expectRefused(service, await jwt((token) => token.setExpirationTime(now + 30 * 86_400)));
    const fine = await jwt((token) => token.setIssuedAt(now + 20).setExpirationTime(now + 12 * 3600));
    expect(codes(await service.request('{ me { id } }', {}, fine))).toEqual([]);
  });
});
describe('access tokens in the Authorization header', () => {
  it('works as `Bearer <token>` and as `Api-Token <token>`', async () => {
    await service.setFeature(true);
    const owner = await service.user(unique('carol'));
    const pat = await service.createPat(owner, ['apiTokens.read']);
    const classic = await service.createApiToken(['apiTokens.read']);
    const admin = await service.admin();

    for (const [created, ownerId] of [
      [pat, owner.userId],
      [classic, admin.userId],
    ] as const) {
      for (const authorization of [`Bearer ${created.token}`, `Api-Token ${created.token}`]) {
        const response = await service.request(
          'query($id: ID!) { me { id } accessToken(id: $id) { id } }',
          { id: created.id },
          authorization,
        );
        expect(response.status).toBe(200);
        expect(response.errors).toBeUndefined();
        expect(response.data.me.id).toBe(ownerId);
        expect(response.data.accessToken.id).toBe(created.id);
      }
    }
  });

  it('refuses a well-formed token whose secret is wrong with the same 401', async () => {
    await service.setFeature(true);
    const owner = await service.user(unique('dave'));
    const pat = await service.createPat(owner, ['apiTokens.read']);
    // A mistyped secret (caught by the checksum) and a well-formed one for the same id with a wrong secret.
    const flipped = pat.token.slice(0, 40) + (pat.token[40] === 'A' ? 'B' : 'A') + pat.token.slice(41);
    const { token: wrongSecret } = generateToken(pat.id);
    expect(wrongSecret).not.toBe(pat.token);
    const wrongOnes = [`Bearer ${flipped}`, `Api-Token ${flipped}`, `Bearer ${wrongSecret}`, `Api-Token ${wrongSecret}`];
    for (const authorization of wrongOnes) expectUnauthenticated(await service.request(ME, {}, authorization));
    // Once the right secret was used, the token is cached with its verified secret: a wrong one is still refused.
    expect((await service.ok(ME, {}, `Api-Token ${pat.token}`)).me.id).toBe(owner.userId);
    for (const authorization of wrongOnes) expectUnauthenticated(await service.request(ME, {}, authorization));
    expect((await service.ok(ME, {}, `Bearer ${pat.token}`)).me.id).toBe(owner.userId);
  });
});

describe('the bootstrap administrator', () => {
  it('holds ADMIN environment-wide without any group', async () => {
    const admin = await service.admin();
    const { me } = await service.ok('{ me { id subject permissions { permission managementZone { id } } } }', {}, admin.authorization);
    expect(me.subject).toBe('admin');
    expect(me.permissions).toContainEqual({ permission: 'ADMIN', managementZone: null });

    const { groups } = await service.ok('{ groups { id members { id } } }', {}, admin.authorization);
    for (const group of groups) expect(group.members.map((member: { id: string }) => member.id)).not.toContain(admin.userId);
  });

  it('is the only user holding ADMIN by default', async () => {
    const someone = await service.user(unique('admin'));
    const { me } = await service.ok('{ me { permissions { permission } } }', {}, someone.authorization);
    expect(me.permissions).toEqual([]);
  });
});

/** A JWKS endpoint on 127.0.0.1, as an identity provider serves one. */
interface IdentityProvider {
  url: string;
  rsa: { privateKey: KeyLike; kid: string };
  ec: { privateKey: KeyLike; kid: string };
  /** A key pair whose public key is not published. */
  stranger: { privateKey: KeyLike; kid: string };
  close(): Promise<void>;
}

async function startIdentityProvider(): Promise<IdentityProvider> {
  const rsa = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('RS256');
  const keys: JWK[] = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  const server: Server = createServer((request, response) => {
    if (request.url === '/jwks.json') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    rsa: { privateKey: rsa.privateKey, kid: 'rsa-1' },
    ec: { privateKey: ec.privateKey, kid: 'ec-1' },
    stranger: { privateKey: stranger.privateKey, kid: 'rsa-1' },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('sign-in against an identity provider (JWKS)', () => {
  const ISSUER = 'https://idp.test';
  const AUDIENCE = 'tessera';
  const IDP_ADMIN = 'idp-admin';
  let idp: IdentityProvider;
  let jwksService: TestService;

  beforeAll(async () => {
    idp = await startIdentityProvider();
    jwksService = await TestService.start({
      AUTH_JWT_SECRET: '',
      AUTH_JWKS_URL: idp.url,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      BOOTSTRAP_ADMIN_SUBJECT: IDP_ADMIN,
    });
  });
  afterAll(async () => {
    await jwksService?.stop();
    await idp?.close();
  });

  async function idpToken(
    key: { privateKey: KeyLike | Uint8Array; kid?: string },
    alg: string,
    claims: { sub?: string; email?: string; name?: string; iss?: string; aud?: string },
  ): Promise<string> {
    const jwt = new SignJWT({ email: claims.email, name: claims.name })
      .setProtectedHeader({ alg, typ: 'JWT', ...(key.kid ? { kid: key.kid } : {}) })
      .setIssuedAt()
      .setExpirationTime('10m')
      .setIssuer(claims.iss ?? ISSUER)
      .setAudience(claims.aud ?? AUDIENCE);
    if (claims.sub !== undefined) jwt.setSubject(claims.sub);
    return `Bearer ${await jwt.sign(key.privateKey)}`;
  }

  it('runs without an HS256 secret', () => {
    expect(jwksService.service.jwtSecret).toBeUndefined();
  });

  it('accepts RS256 and ES256 tokens with the right issuer and audience', async () => {
    for (const [key, alg] of [
      [idp.rsa, 'RS256'],
      [idp.ec, 'ES256'],
    ] as const) {
      const subject = unique(`idp-${alg}`);
      const authorization = await idpToken(key, alg, { sub: subject, email: `${subject}@idp.test`, name: `User ${alg}` });
      const response = await jwksService.request(ME, {}, authorization);
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data.me).toMatchObject({ subject, email: `${subject}@idp.test`, name: `User ${alg}` });
      // A second token of the same subject is the same user.
      const again = await jwksService.ok(ME, {}, await idpToken(key, alg, { sub: subject }));
      expect(again.me.id).toBe(response.data.me.id);
    }
  });

  it('refuses a wrong audience, a wrong issuer, an unpublished key, a missing sub and an HS256 token with 401', async () => {
    const subject = unique('idp-bad');
    const cases: Record<string, string> = {
      'wrong audience': await idpToken(idp.rsa, 'RS256', { sub: subject, aud: 'someone-else' }),
      'wrong issuer': await idpToken(idp.ec, 'ES256', { sub: subject, iss: 'https://evil.test' }),
      'unpublished key': await idpToken(idp.stranger, 'RS256', { sub: subject }),
      'missing sub': await idpToken(idp.rsa, 'RS256', {}),
      HS256: await idpToken({ privateKey: secretKey(randomBytes(32).toString('hex')) }, 'HS256', { sub: subject }),
      'HS256 with the test harness secret of another service': await service.sessionHeader(subject),
    };
    await expectAllRefusedAlike(jwksService, cases);
  });

  it('gives BOOTSTRAP_ADMIN_SUBJECT ADMIN environment-wide with no groups, and nobody else', async () => {
    const admin = await jwksService.ok(
      '{ me { id subject permissions { permission managementZone { id } } } }',
      {},
      await idpToken(idp.rsa, 'RS256', { sub: IDP_ADMIN }),
    );
    expect(admin.me.subject).toBe(IDP_ADMIN);
    expect(admin.me.permissions).toEqual([{ permission: 'ADMIN', managementZone: null }]);

    const adminAuthorization = await idpToken(idp.ec, 'ES256', { sub: IDP_ADMIN });
    const { groups } = await jwksService.ok('{ groups { members { id } } }', {}, adminAuthorization);
    expect(groups.flatMap((group: { members: { id: string }[] }) => group.members.map((member) => member.id))).not.toContain(admin.me.id);

    // "admin" is the harness default, not this service's administrator.
    const notAdmin = await jwksService.ok('{ me { permissions { permission } } }', {}, await idpToken(idp.rsa, 'RS256', { sub: 'admin' }));
    expect(notAdmin.me.permissions).toEqual([]);
    const refused = await jwksService.request('{ groups { id } }', {}, await idpToken(idp.rsa, 'RS256', { sub: 'admin' }));
    expectForbidden(refused, { permission: 'ADMIN' });
  });
});
