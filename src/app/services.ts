import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Authenticator } from '../auth/authenticator';
import { AuthorizeService } from '../auth/authorize.service';
import { SignInVerifier } from '../auth/sign-in';
import type { Config } from '../config';
import { ChangeAwareCache } from '../database/change-aware-cache';
import type { Changes } from '../database/change-notifier';
import { DirectoryService } from '../directory/directory.service';
import type { EffectiveGrant } from '../directory/effective-grant';
import type { User } from '../directory/user.entity';
import { FeatureService } from '../features/feature.service';
import type { Metrics } from '../observability/metrics';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import { AccessTokenRepository } from '../tokens/access-token.repository';
import { AccessTokenService } from '../tokens/access-token.service';
import { LastUseRecorder } from '../tokens/last-use.recorder';
import { type KnownToken, TokenAuthentication } from '../tokens/token-authentication';
import type { TokenPolicy } from '../tokens/token-policy.entity';
import { TokenPolicyService } from '../tokens/token-policy.service';
import type { Services } from './context';

/**
 * The hot paths' caches, each emptied by the change notifications its service subscribes to
 * (from this instance at once, from the others within milliseconds), with a time-to-live as the
 * backstop. CACHE_TTL_MS=0 makes each a cache that keeps nothing: every service still has one.
 */
export function createCaches(ttlMs: number, metrics: Metrics) {
  const cache = <V extends {}>(name: string, max: number) => new ChangeAwareCache<V>({ max, ttlMs, metrics: metrics.cache(name) });
  return {
    verifiedTokens: cache<KnownToken>('verified_tokens', 50_000),
    usersBySubject: cache<User>('users', 20_000),
    grants: cache<EffectiveGrant[]>('grants', 20_000),
    features: cache<{ enabled: boolean }>('features', 10),
    tokenPolicy: cache<TokenPolicy>('token_policy', 1),
  };
}

export type Caches = ReturnType<typeof createCaches>;

export interface ServiceParts {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  catalog: ScopeCatalog;
  changes: Changes;
  caches: Caches;
  metrics: Metrics;
  /** The server secret of token hashes, and the HS256 sign-in secret (or none, with a key set). */
  secrets: { tokenPepper: string; jwtSecret?: string };
}

/**
 * Every service, in the order they depend on each other, each given what it needs when it is
 * made: nothing is assigned afterwards, so a service cannot start without its change
 * notifier or its cache. The last-use recorder is returned too: the service starts and stops it.
 */
export function createServices(parts: ServiceParts): { services: Services; lastUse: LastUseRecorder } {
  const { config, logger, dataSource, catalog, changes, caches, metrics, secrets } = parts;
  const lastUse = new LastUseRecorder(dataSource, config.lastUsedFlushMs, (error) =>
    logger.warn({ err: error }, 'could not record last token use; will retry'),
  );
  const audit = new AuditService({ dataSource });
  const directory = new DirectoryService({
    dataSource,
    audit,
    changes,
    caches: { usersBySubject: caches.usersBySubject, grants: caches.grants },
    bootstrapAdminSubject: config.auth.bootstrapAdminSubject,
  });
  const features = new FeatureService({ dataSource, audit, changes, states: caches.features });
  const policy = new TokenPolicyService({ dataSource, audit, changes, policies: caches.tokenPolicy });
  const tokenRepository = new AccessTokenRepository({ dataSource, catalog, lastUse });
  const tokens = new AccessTokenService({
    dataSource,
    tokens: tokenRepository,
    catalog,
    features,
    policy,
    audit,
    changes,
    events: metrics.tokenEvents,
    pepper: secrets.tokenPepper,
  });
  const tokenAuthentication = new TokenAuthentication({
    tokens: tokenRepository,
    commands: tokens,
    pepper: secrets.tokenPepper,
    cache: caches.verifiedTokens,
    changes,
    lastUse,
  });
  const services: Services = {
    audit,
    policy,
    catalog,
    directory,
    features,
    tokens,
    tokenRepository,
    tokenAuthentication,
    authorization: new AuthorizeService({ catalog, directory }),
    authenticator: new Authenticator({
      signIns: new SignInVerifier({ ...config.auth, jwtSecret: secrets.jwtSecret }),
      tokens: tokenAuthentication,
      directory,
      onRefused: (reason) => metrics.recordAuthenticationFailure(reason),
    }),
  };
  return { services, lastUse };
}
