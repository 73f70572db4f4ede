import { createHash, randomBytes } from 'node:crypto';
import {
  generateToken,
  hashToken,
  isTokenId,
  matchesVerifiedDigest,
  parseToken,
  tokenMatches,
  verifiedDigest,
} from '../../src/tokens/token-secret';
import { codes, expectUnauthenticated } from '../helpers/expectations';
import { REPORT_LEAK, mistyped, secretOf } from '../helpers/operations';
import { type GraphQLResponse, TestService } from '../helpers/service';
import { atOnce } from '../helpers/time';

/** The format the contract promises, and the pattern secret scanners already know. */
const TOKEN_FORMAT = /^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$/;
const SCANNER_PATTERN = /dt0[a-zA-Z][0-9]{2}\.[A-Z0-9]{24}\.[A-Z0-9]{64}/;
const ID_FORMAT = /^dt0c01\.[A-Z0-9]{24}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

let service: TestService;

beforeAll(async () => {
  // No background flush of last uses: the statement counts below must see only the request's own SQL.
  service = await TestService.start({ LAST_USED_FLUSH_MS: '600000' });
  await service.setFeature(true);
});
afterAll(() => service?.stop());

/** The same token with the character at `index` replaced by another character of the token alphabet. */
function withCharacterChanged(token: string, index: number): string {
  const current = token[index];
  const replacement = BASE32[(BASE32.indexOf(current) + 1) % BASE32.length];
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('the format of a created token', () => {
  it('is dt0c01.<24>.<64> of [A-Z0-9], which the secret scanners\' pattern matches', async () => {
    const user = await service.user();
    const pat = await service.createPat(user, ['metrics.read']);
    const api = await service.createApiToken(['metrics.read']);
    for (const { token } of [pat, api]) {
      expect(token).toMatch(TOKEN_FORMAT);
      expect(token).toMatch(SCANNER_PATTERN);
      expect(SCANNER_PATTERN.exec(`found in a log: ${token} (end)`)?.[0]).toBe(token);
    }
  });

  it('has the id dt0c01.<public>, which is the token\'s prefix and names the token', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    expect(created.id).toMatch(ID_FORMAT);
    const [prefix, publicPart, secretPart] = created.token.split('.');
    expect(created.id).toBe(`${prefix}.${publicPart}`);
    expect(created.token.startsWith(`${created.id}.`)).toBe(true);
    expect(secretPart).toHaveLength(64);
    expect(publicPart).not.toBe(secretPart.slice(0, 24));
    const token = await service.token(created.id, user.authorization);
    expect(token.id).toBe(created.id);
  });

  it('keeps the id and the format when rotated, with a new secret', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['apiTokens.write']);
    const rotated = await service.rotate(created.id, user.authorization);
    expect(rotated.token).toMatch(TOKEN_FORMAT);
    expect(rotated.accessToken.id).toBe(created.id);
    expect(rotated.token.startsWith(`${created.id}.`)).toBe(true);
    expect(rotated.token).not.toBe(created.token);
  });

  it('is different for every token, in its id and in its secret', async () => {
    const user = await service.user();
    const created = await atOnce(30, () => service.createPat(user, ['metrics.read']));
    expect(new Set(created.map((token) => token.token)).size).toBe(30);
    expect(new Set(created.map((token) => token.id)).size).toBe(30);
    expect(new Set(created.map((token) => secretOf(token.token))).size).toBe(30);
  });

  it('is accepted as Api-Token <token> and as Bearer <token>, whatever the scheme\'s case', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    for (const authorization of [`Api-Token ${created.token}`, `Bearer ${created.token}`, `api-token ${created.token}`]) {
      const { me } = await service.ok('{ me { id } }', {}, authorization);
      expect(me.id).toBe(user.userId);
    }
  });
});

describe('a mistyped or made-up token', () => {
  it('is refused without any database work when its checksum is wrong', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    const changed = withCharacterChanged(created.token, created.token.length - 20);
    let response: GraphQLResponse | undefined;
    const statements = await service.statements(async () => {
      response = await service.request('{ me { id } }', {}, `Api-Token ${changed}`);
    });
    expectUnauthenticated(response!);
    expect(statements).toBe(0);
  });

  it('is refused without any database work when the token it names is cached, in its secret or its checksum', async () => {
    const user = await service.user();
    const created = await service.createPat(user, ['metrics.read']);
    // One use puts the token in the verified-token cache.
    await service.ok('{ me { id } }', {}, `Api-Token ${created.token}`);
    for (const index of [created.token.length - 30, created.token.length - 3]) {
      const changed = withCharacterChanged(created.token, index);
      let response: GraphQLResponse | undefined;
      const statements = await service.statements(async () => {
        response = await service.request('{ me { id } }', {}, `Api-Token ${changed}`);
      });
      expect({ index, status: response!.status, codes: codes(response!), statements }).toEqual({
        index,
        status: 401,
        codes: ['UNAUTHENTICATED'],
        statements: 0,
      });
    }
    const { me } = await service.ok('{ me { id } }', {}, `Api-Token ${created.token}`);
    expect(me.id).toBe(user.userId);
  });

  it('is refused after a database look-up only when its checksum is right (a well-formed unknown token)', async () => {
    const unknown = generateToken();
    let response: GraphQLResponse | undefined;
    const statements = await service.statements(async () => {
      response = await service.request('{ me { id } }', {}, `Api-Token ${unknown.token}`);
    });
    expectUnauthenticated(response!);
    expect(statements).toBeGreaterThan(0);
  });

  it('is reported as leaked with no database work, and revokes nothing', async () => {
    const fresh = await service.createApiToken(['metrics.read']);
    let answer: unknown;
    const statements = await service.statements(async () => {
      answer = (await service.request(REPORT_LEAK, { token: mistyped(fresh.token) })).data;
    });
    expect(answer).toEqual({ reportLeakedToken: true });
    expect(statements).toBe(0);
    const still = await service.request('{ authorize(scope: "metrics.read") { allowed } }', {}, fresh.authorization);
    expect(still.data).toEqual({ authorize: { allowed: true } });
  });

  it('is looked up with no database work beyond authenticating the caller', async () => {
    const admin = await service.admin();
    const api = await service.createApiToken(['metrics.read']);
    const authenticating = await service.statements(() => service.request('{ __typename }', {}, admin.authorization));
    const lookingUp = await service.statements(() =>
      service.request('query($t: String!) { lookupAccessToken(token: $t) { id } }', { t: mistyped(api.token) }, admin.authorization),
    );
    expect(lookingUp).toBe(authenticating);
  });
});

describe('token-secret (unit)', () => {
  it('generates tokens that parse back to their own id', () => {
    for (let i = 0; i < 200; i += 1) {
      const generated = generateToken();
      expect(generated.token).toMatch(TOKEN_FORMAT);
      expect(isTokenId(generated.id)).toBe(true);
      expect(parseToken(generated.token)).toEqual({ id: generated.id, token: generated.token });
    }
  });

  it('generates a new secret for a given id (rotation)', () => {
    const first = generateToken();
    const second = generateToken(first.id);
    expect(second.id).toBe(first.id);
    expect(second.token).not.toBe(first.token);
    expect(parseToken(second.token)?.id).toBe(first.id);
  });

  it('never repeats a token or an id', () => {
    const generated = Array.from({ length: 5000 }, () => generateToken());
    expect(new Set(generated.map((token) => token.token)).size).toBe(5000);
    expect(new Set(generated.map((token) => token.id)).size).toBe(5000);
  });

  it('refuses every one-character change, in the public part, the secret and the checksum', () => {
    const { token } = generateToken();
    const start = 'dt0c01.'.length;
    for (let index = start; index < token.length; index += 1) {
      if (token[index] === '.') continue;
      expect(parseToken(withCharacterChanged(token, index))).toBeNull();
    }
  });

  it('refuses two swapped neighbouring characters', () => {
    const { token } = generateToken();
    let index = token.lastIndexOf('.') + 1;
    while (token[index] === token[index + 1]) index += 1;
    const swapped = token.slice(0, index) + token[index + 1] + token[index] + token.slice(index + 2);
    expect(swapped).not.toBe(token);
    expect(parseToken(swapped)).toBeNull();
  });

  it.each([
    ['an empty string', ''],
    ['garbage', 'garbage'],
    ['the prefix alone', 'dt0c01.'],
    ['an id without its secret', 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX'],
    ['10,000 characters', 'A'.repeat(10_000)],
    ['the right shape made of characters outside the alphabet', `dt0c01.${'0'.repeat(24)}.${'1'.repeat(64)}`],
    ['null bytes', `dt0c01.${'\u0000'.repeat(24)}.${'\u0000'.repeat(64)}`],
  ])('returns null for %s', (_label, candidate) => {
    expect(parseToken(candidate)).toBeNull();
  });

  it('returns null for a valid token with anything around it or with another prefix', () => {
    const { token } = generateToken();
    for (const candidate of [
      ` ${token}`,
      `${token} `,
      `${token}\n`,
      `${token}A`,
      token.slice(0, -1),
      token.toLowerCase(),
      token.replace('dt0c01.', 'dt0c02.'),
      token.replace('dt0c01.', 'DT0C01.'),
    ]) {
      expect(parseToken(candidate)).toBeNull();
    }
  });

  it('hashes with a key: 32 bytes, stable for one pepper, different for another, never the plain SHA-256', () => {
    const { token } = generateToken();
    const pepper = randomBytes(32).toString('hex');
    const otherPepper = randomBytes(32).toString('hex');
    const hash = hashToken(pepper, token);
    expect(hash).toHaveLength(32);
    expect(hashToken(pepper, token).equals(hash)).toBe(true);
    expect(hashToken(otherPepper, token).equals(hash)).toBe(false);
    expect(hash.equals(createHash('sha256').update(token).digest())).toBe(false);
    expect(hash.equals(createHash('sha256').update(secretOf(token)).digest())).toBe(false);
    expect(hashToken(pepper, generateToken().token).equals(hash)).toBe(false);
  });

  it('matches a token only against its own hash under the same pepper', () => {
    const { token } = generateToken();
    const pepper = randomBytes(32).toString('hex');
    const stored = hashToken(pepper, token);
    expect(tokenMatches(pepper, token, stored)).toBe(true);
    expect(tokenMatches(randomBytes(32).toString('hex'), token, stored)).toBe(false);
    expect(tokenMatches(pepper, generateToken().token, stored)).toBe(false);
    expect(tokenMatches(pepper, token, stored.subarray(0, 16))).toBe(false);
    expect(tokenMatches(pepper, token, Buffer.alloc(0))).toBe(false);
  });

  it('recognises a verified token by its in-memory digest, and no other token', () => {
    const { id, token } = generateToken();
    const digest = verifiedDigest(token);
    expect(matchesVerifiedDigest(token, digest)).toBe(true);
    expect(matchesVerifiedDigest(generateToken(id).token, digest)).toBe(false);
    expect(matchesVerifiedDigest(withCharacterChanged(token, token.length - 1), digest)).toBe(false);
    expect(matchesVerifiedDigest(token, digest.subarray(0, 16))).toBe(false);
  });

  it('tells token ids from anything else', () => {
    const { id, token } = generateToken();
    expect(isTokenId(id)).toBe(true);
    expect(isTokenId(token)).toBe(false);
    expect(isTokenId(`${id} `)).toBe(false);
    expect(isTokenId('dt0c01.short')).toBe(false);
    expect(isTokenId('')).toBe(false);
  });
});
