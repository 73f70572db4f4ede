import { AuditAction } from '../audit/audit-action.enum';
import type { Caller, TokenCredential } from '../auth/caller';
import type { ChangeAwareCache } from '../database/change-aware-cache';
import { type Changes, ChangeTopic } from '../database/change-notifier';
import type { User } from '../directory/user.entity';
import { AccessTokenStatus, tokenStatus } from './access-token-status';
import type { AccessToken } from './access-token.entity';
import type { AccessTokenRepository } from './access-token.repository';
import type { AccessTokenService } from './access-token.service';
import type { LastUseRecorder } from './last-use.recorder';
import { REFUSAL_OF_STATUS, type TokenRefusal } from './token-events';
import { hasValidChecksum, hashToken, matchesVerifiedDigest, parseToken, tokenIdOf, tokenMatches, verifiedDigest } from './token-secret';

/** A token that authenticated a request, with its owner and what it may do. */
export interface AuthenticatedToken {
  token: AccessToken;
  owner: User;
  credential: TokenCredential;
}

/**
 * What authenticating a token needs, made from one row of the authentication query: entities and
 * a credential that its users only read, so a cached one is handed out as it is at every request.
 */
export interface KnownToken {
  token: AccessToken;
  owner: User;
  credential: TokenCredential;
  patFeatureEnabled: boolean;
  /** The digest of a secret already found to match the token's current hash (see verifiedDigest). */
  currentSecret?: Buffer;
}

/** Which secret matched: the current one, the previous one within its grace, or a replaced one past it (reuse). */
type SecretMatch = 'current' | 'previous' | 'previous-after-grace';

interface FoundBySecret extends Omit<KnownToken, 'currentSecret'> {
  match: SecretMatch;
}

export interface TokenAuthenticationDependencies {
  tokens: AccessTokenRepository;
  /** Writes what authenticating finds out: a reused secret revokes its token, a first use after expiry is audited. */
  commands: AccessTokenService;
  /** The server secret of the stored hashes (TOKEN_PEPPER). */
  pepper: string;
  /** Verified tokens by id; dropped on every change of a token, its owner or the PAT feature. */
  cache: ChangeAwareCache<KnownToken>;
  changes: Changes;
  lastUse: LastUseRecorder;
}

/**
 * From a secret to the token it belongs to: format and checksum first (a made-up token costs no
 * SQL), then the keyed hash in constant time, against the current secret, the one a rotation
 * replaced (within its grace: reads only; after it: reuse, which revokes the token), and the
 * secrets retired before that. Verified tokens are cached, and their secrets still checked.
 */
export class TokenAuthentication {
  private readonly tokens: AccessTokenRepository;
  private readonly commands: AccessTokenService;
  private readonly pepper: string;
  private readonly cache: ChangeAwareCache<KnownToken>;
  private readonly lastUse: LastUseRecorder;

  constructor(dependencies: TokenAuthenticationDependencies) {
    ({ tokens: this.tokens, commands: this.commands, pepper: this.pepper, cache: this.cache, lastUse: this.lastUse } = dependencies);
    const { changes } = dependencies;
    changes.subscribe(ChangeTopic.ACCESS_TOKEN, (id) => (id === null ? this.cache.clear() : this.cache.delete(id)));
    // Each cached token carries the PAT feature's state, and its owner.
    changes.subscribe(ChangeTopic.FEATURE, () => this.cache.clear());
    changes.subscribe(ChangeTopic.USER, (id) => (id === null ? this.cache.clear() : this.cache.deleteWhere((known) => known.token.ownerId === id)));
  }

  /**
   * The token behind a secret when it may be used now, else null. Records the use. A secret
   * replaced by a rotation and used after its grace period revokes the token (reuse detection).
   */
  async authenticate(
    secret: string,
    caller: Caller,
    onRefused: (reason: TokenRefusal) => void = () => undefined,
    options: { cachedOnly?: boolean } = {},
  ): Promise<AuthenticatedToken | null> {
    const found = await this.findBySecret(secret, options.cachedOnly ? 'only' : 'use');
    if (!found) {
      onRefused(!parseToken(secret) ? 'malformed' : options.cachedOnly ? 'unverified' : 'unknown');
      return null;
    }
    if (found.match === 'previous-after-grace') {
      if (!found.token.revokedAt) await this.commands.revokeFound(caller, found.token, AuditAction.TOKEN_REUSE_DETECTED);
      onRefused('replaced_secret');
      return null;
    }
    const status = tokenStatus(found.token, found.patFeatureEnabled, found.owner.active);
    if (status === AccessTokenStatus.EXPIRED && !found.token.expiryAudited) await this.commands.recordExpiry(caller, found.token);
    if (status !== AccessTokenStatus.ACTIVE) {
      onRefused(REFUSAL_OF_STATUS[status]);
      return null;
    }
    this.lastUse.record(found.token.id, caller.ip ?? 'unknown');
    // The cached credential is shared by every request of the token; one in its grace period is marked on a copy.
    const credential = found.match === 'previous' ? { ...found.credential, inGracePeriod: true } : found.credential;
    return { token: found.token, owner: found.owner, credential };
  }

  /** Metadata of the token whose (currently valid) secret is given, whoever owns it; null otherwise. */
  async lookup(secret: string): Promise<AccessToken | null> {
    const found = await this.findBySecret(secret, 'skip');
    return found && found.match !== 'previous-after-grace' ? found.token : null;
  }

  /** Revokes the token when the secret still works; says nothing either way. */
  async reportLeaked(caller: Caller, secret: string): Promise<void> {
    const found = await this.findBySecret(secret, 'skip');
    if (found && found.match !== 'previous-after-grace' && !found.token.revokedAt) {
      await this.commands.revokeFound(caller, found.token, AuditAction.TOKEN_REPORTED_LEAKED);
    }
  }

  /**
   * At most a round trip: the token, its owner, scopes and zones, and whether PATs are enabled.
   * A cached token's secret, once it matched, is recognised by its digest (verifiedDigest) rather
   * than another HMAC. A well-formed secret that matches nothing of a cached token is checked once
   * more against the row as it is now: another instance may have rotated the token a moment ago.
   * `cache`: 'use' reads and fills the verified-token cache, 'skip' goes to the database, 'only'
   * answers from the cache alone (a throttled address: no database work for what is not there).
   */
  private async findBySecret(secret: string, cache: 'use' | 'skip' | 'only'): Promise<FoundBySecret | null> {
    const id = tokenIdOf(secret);
    if (id === null) return null;
    let known = cache === 'skip' ? undefined : this.cache.get(id);
    const fromCache = known !== undefined;
    if (!fromCache && cache === 'only') return null;
    // The checksum spares PostgreSQL the look-up of a mistyped or made-up token.
    if (!fromCache && !hasValidChecksum(secret)) return null;
    known ??= await this.knownToken(id, cache === 'use');
    if (!known) return null;
    let match = this.match(secret, known);
    if (!match && fromCache) {
      if (cache === 'only' || !hasValidChecksum(secret)) return null;
      known = await this.knownToken(id, true);
      if (!known) return null;
      match = this.match(secret, known);
    }
    // Secrets are retired from the previous-secret slot: a token that never had one has none.
    if (!match && known.token.previousSecretHash && (await this.tokens.isRetiredSecret(id, hashToken(this.pepper, secret)))) {
      match = 'previous-after-grace';
    }
    if (!match) return null;
    const { token, owner, credential, patFeatureEnabled } = known;
    return { token, owner, credential, patFeatureEnabled, match };
  }

  /** Which of the token's secrets `secret` is, by its current and previous hashes. */
  private match(secret: string, known: KnownToken): SecretMatch | null {
    const { token } = known;
    if (known.currentSecret && matchesVerifiedDigest(secret, known.currentSecret)) return 'current';
    if (tokenMatches(this.pepper, secret, token.secretHash)) {
      known.currentSecret = verifiedDigest(secret);
      return 'current';
    }
    if (token.previousSecretHash && tokenMatches(this.pepper, secret, token.previousSecretHash)) {
      return token.previousSecretValidUntil && token.previousSecretValidUntil > new Date() ? 'previous' : 'previous-after-grace';
    }
    return null;
  }

  /** The token as authenticating needs it; kept in the cache when `cache`. */
  private async knownToken(id: string, cache: boolean): Promise<KnownToken | undefined> {
    const generation = this.cache.currentGeneration;
    const row = await this.tokens.authenticationRow(id);
    if (!row) return undefined;
    const { token, owner, scopes, zoneIds, patFeatureEnabled } = row;
    const known: KnownToken = {
      token,
      owner,
      credential: {
        id: token.id,
        personalAccessToken: token.personalAccessToken,
        scopes: new Set(scopes),
        zoneRestriction: zoneIds.length > 0 ? new Set(zoneIds) : null,
        expirationDate: token.expirationDate,
      },
      patFeatureEnabled,
    };
    if (cache) this.cache.set(id, known, generation);
    return known;
  }
}
