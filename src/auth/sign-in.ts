import { type JWTPayload, type JWTVerifyGetKey, SignJWT, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { SignInClaims } from '../directory/directory.service';
import { isPlainText } from '../validation';

/** Why a sign-in token is refused: it does not verify (or lacks a usable sub), or it verifies but has expired. */
export type SignInRefusal = 'bad_jwt' | 'expired_jwt';

export interface SignInOptions {
  jwtSecret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** The longest lifetime accepted (exp minus iat, and exp minus now). */
  maxLifetimeSeconds: number;
  /** How far the issuer's clock may be ahead or behind, for exp, nbf and iat. */
  clockSkewSeconds: number;
}

/**
 * Verifies users' sign-in tokens: HS256 with a shared secret, or RS256/ES256 against an
 * identity provider's key set. `sub` and `exp` are required; a token issued or valid only in the
 * future (beyond the clock skew), or living longer than `maxLifetimeSeconds`, is refused: a
 * stolen signing key or a careless issuer must not mint sign-ins that last for years.
 */
export class SignInVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];
  private readonly verified = new LRUCache<string, SignInClaims>({ max: 10_000, ttlAutopurge: false });

  constructor(private readonly options: SignInOptions) {
    if (options.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(options.jwksUrl));
      this.algorithms = ['RS256', 'ES256'];
    } else if (options.jwtSecret) {
      this.key = new TextEncoder().encode(options.jwtSecret);
      this.algorithms = ['HS256'];
    } else {
      throw new Error('Sign-in needs AUTH_JWT_SECRET or AUTH_JWKS_URL');
    }
  }

  /** The claims of a valid sign-in token, or why it is refused: `expired_jwt` for one whose signature holds but whose exp has passed. */
  async verify(jwt: string): Promise<SignInClaims | SignInRefusal> {
    const known = this.verified.get(jwt);
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, this.key as Uint8Array, {
        algorithms: this.algorithms,
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['exp'],
        clockTolerance: this.options.clockSkewSeconds,
      }));
    } catch (error) {
      // jose checks the signature before the claims: only a token this service (or its provider) signed is "expired".
      return error instanceof errors.JWTExpired ? 'expired_jwt' : 'bad_jwt';
    }
    if (!isClaim(payload.sub) || !this.hasAcceptableLifetime(payload)) return 'bad_jwt';
    const claims = {
      subject: payload.sub,
      // An identity provider's profile claims are taken when they are plain text, and ignored otherwise.
      email: isClaim(payload.email) ? payload.email : undefined,
      name: isClaim(payload.name) ? payload.name : undefined,
    };
    // A valid JWT stays valid until it expires, so a verified one is kept a short while (never past
    // its exp): a sign-in reused for many requests is checked once. A negative answer is not kept.
    const ttl = Math.min(VERIFIED_TTL_MS, payload.exp ? payload.exp * 1000 - Date.now() : VERIFIED_TTL_MS);
    if (ttl > 0) this.verified.set(jwt, claims, { ttl });
    return claims;
  }

  /** jose has checked exp and nbf; iat is a number when present. */
  private hasAcceptableLifetime(payload: JWTPayload): boolean {
    const now = Date.now() / 1000;
    const { maxLifetimeSeconds, clockSkewSeconds } = this.options;
    const exp = payload.exp!;
    if (payload.iat !== undefined && payload.iat > now + clockSkewSeconds) return false;
    if (payload.iat !== undefined && exp - payload.iat > maxLifetimeSeconds) return false;
    return exp - now <= maxLifetimeSeconds + clockSkewSeconds;
  }
}

const VERIFIED_TTL_MS = 60_000;

function isClaim(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.length <= 320 && isPlainText(value);
}

/** Issues an HS256 sign-in token, for development (`npm run session`) and tests. */
export async function signSession(
  secret: string,
  claims: { sub: string; email?: string; name?: string },
  options: { expiresIn?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  const jwt = new SignJWT({ email: claims.email, name: claims.name })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
