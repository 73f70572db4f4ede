// What a person pastes to sign in, read the way they are likely to paste it.

export interface Credential {
  /** The Authorization header value. */
  authorization: string;
  /** The sign-in token's `sub`, to name the user and the command that signs it in again. */
  subject?: string;
  expiresAt?: Date;
}

export type SignInReading =
  | { ok: true; credential: Credential }
  | { ok: false; problem: 'empty' | 'access-token' | 'not-a-sign-in-token' }
  | { ok: false; problem: 'expired'; subject?: string; expiredAt: Date };

const ACCESS_TOKEN = /^dt0[a-zA-Z][0-9]{2}\.[A-Z0-9]{24}(\.[A-Z0-9]{64})?$/;

function base64UrlDecode(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** The claims of a JWT, unverified: only to name the user and warn of expiry; the service verifies it. */
export function jwtClaims(token: string): { sub?: string; exp?: number } | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(parts[1])) as unknown;
    return claims && typeof claims === 'object' ? (claims as { sub?: string; exp?: number }) : null;
  } catch {
    return null;
  }
}

/**
 * Takes a sign-in token as `npm start` or `npm run session` print it (`Authorization: Bearer …`),
 * as GraphiQL's headers hold it (`{"Authorization": "Bearer …"}`), or the bare token.
 */
export function readSignIn(input: string, now: Date): SignInReading {
  let text = input.trim();
  if (text.startsWith('{')) {
    try {
      const headers = JSON.parse(text) as Record<string, unknown>;
      const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
      if (typeof value === 'string') text = value.trim();
    } catch {
      // Not JSON after all: read it as text.
    }
  }
  text = text.replace(/^authorization\s*:\s*/i, '').replace(/^["']|["']$/g, '').trim();
  const scheme = /^(bearer|api-token)\s+/i.exec(text);
  if (scheme) text = text.slice(scheme[0].length).trim();
  if (!text) return { ok: false, problem: 'empty' };
  if (ACCESS_TOKEN.test(text)) return { ok: false, problem: 'access-token' };
  const claims = jwtClaims(text);
  if (!claims) return { ok: false, problem: 'not-a-sign-in-token' };
  const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
  const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) return { ok: false, problem: 'expired', subject, expiredAt: expiresAt };
  return { ok: true, credential: { authorization: `Bearer ${text}`, subject, expiresAt } };
}

/** The command that prints a new sign-in token for the user, quoted for a POSIX shell when it must be. */
export function sessionCommand(subject?: string): string {
  if (!subject) return 'npm run session -- --sub <you>';
  const quoted = /^[A-Za-z0-9@._:+-]+$/.test(subject) ? subject : `'${subject.replace(/'/g, `'\\''`)}'`;
  return `npm run session -- --sub ${quoted}`;
}

export function isExpired(credential: Credential, now: Date): boolean {
  return Boolean(credential.expiresAt && credential.expiresAt.getTime() <= now.getTime());
}
