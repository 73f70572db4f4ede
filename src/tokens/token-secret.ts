import { createHash, createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The token format: `dt0c01.<public>.<secret>`, 24 and 64 characters of [A-Z2-7] (RFC 4648
 * base32, a subset of [A-Z0-9]), so secret scanners' pattern for this prefix matches it.
 * The public part carries 120 random bits and names the token; the secret's first 56 characters
 * carry 280 random bits and its last 8 a checksum of everything before, so a mistyped or made-up
 * token is refused without a database look-up.
 */
export const TOKEN_PREFIX = 'dt0c01';
const PUBLIC_LENGTH = 24;
const RANDOM_SECRET_LENGTH = 56;
const CHECKSUM_LENGTH = 8;
const TOKEN_PATTERN = /^dt0c01\.([A-Z2-7]{24})\.([A-Z2-7]{64})$/;
const ID_PATTERN = /^dt0c01\.[A-Z0-9]{24}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer, length: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

function checksum(body: string): string {
  return base32(createHash('sha256').update(body).digest().subarray(0, 5), CHECKSUM_LENGTH);
}

export interface ParsedToken {
  /** `dt0c01.<public>`: the token's id, safe to log. */
  id: string;
  /** The whole token; never logged, returned or stored. */
  token: string;
}

/** A new token for a new id, or, given an id, a new secret for it (rotation). */
export function generateToken(id?: string): ParsedToken {
  const tokenId = id ?? `${TOKEN_PREFIX}.${base32(randomBytes(15), PUBLIC_LENGTH)}`;
  const body = `${tokenId}.${base32(randomBytes(35), RANDOM_SECRET_LENGTH)}`;
  return { id: tokenId, token: body + checksum(body) };
}

/** The id a token names when its format is right; its checksum is not looked at. */
export function tokenIdOf(candidate: string): string | null {
  const match = TOKEN_PATTERN.exec(candidate);
  return match ? `${TOKEN_PREFIX}.${match[1]}` : null;
}

/** Whether the last characters are the checksum of the rest: a mistyped or made-up token is not. */
export function hasValidChecksum(candidate: string): boolean {
  const expected = Buffer.from(checksum(candidate.slice(0, -CHECKSUM_LENGTH)));
  const sent = Buffer.from(candidate.slice(-CHECKSUM_LENGTH));
  return expected.length === sent.length && timingSafeEqual(expected, sent);
}

/** The token's id when its format and checksum are right, else null; no database work either way. */
export function parseToken(candidate: string): ParsedToken | null {
  const id = tokenIdOf(candidate);
  return id !== null && hasValidChecksum(candidate) ? { id, token: candidate } : null;
}

export function looksLikeAccessToken(candidate: string): boolean {
  return candidate.startsWith(`${TOKEN_PREFIX}.`);
}

export function isTokenId(candidate: string): boolean {
  return ID_PATTERN.test(candidate);
}

/** The keyed hash that is stored instead of the secret: HMAC-SHA256 under the server's pepper. */
export function hashToken(pepper: string, token: string): Buffer {
  return createHmac('sha256', pepper).update(token).digest();
}

export function tokenMatches(pepper: string, token: string, storedHash: Buffer): boolean {
  const actual = hashToken(pepper, token);
  return storedHash.length === actual.length && timingSafeEqual(actual, storedHash);
}

/**
 * The SHA-256 of a whole token, kept in memory (never stored) once the token was verified against
 * its keyed hash, so its next uses are recognised with one call instead of an HMAC. The token's
 * 280 random bits make the digest as impossible to reverse as the keyed hash.
 */
export function verifiedDigest(token: string): Buffer {
  return hash('sha256', token, 'buffer');
}

export function matchesVerifiedDigest(token: string, digest: Buffer): boolean {
  const actual = verifiedDigest(token);
  return actual.length === digest.length && timingSafeEqual(actual, digest);
}
