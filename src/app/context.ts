import type { AuditService } from '../audit/audit.service';
import type { Authenticator } from '../auth/authenticator';
import type { AuthorizeService } from '../auth/authorize.service';
import type { Caller } from '../auth/caller';
import { directoryLoaders, type DirectoryLoaders } from '../directory/directory.loaders';
import type { DirectoryService } from '../directory/directory.service';
import { Feature } from '../features/feature.enum';
import type { FeatureService } from '../features/feature.service';
import type { RequestTrace } from '../observability/request-trace';
import type { ScopeCatalog } from '../scopes/scope.catalog';
import { accessTokenLoaders, type AccessTokenLoaders } from '../tokens/access-token.loaders';
import type { AccessTokenRepository } from '../tokens/access-token.repository';
import type { AccessTokenService } from '../tokens/access-token.service';
import type { TokenAuthentication } from '../tokens/token-authentication';
import type { TokenPolicyService } from '../tokens/token-policy.service';
import { lazily } from '../graphql/lazily';

/** The services of one process, made once at start. */
export interface Services {
  audit: AuditService;
  policy: TokenPolicyService;
  catalog: ScopeCatalog;
  directory: DirectoryService;
  features: FeatureService;
  tokens: AccessTokenService;
  tokenRepository: AccessTokenRepository;
  tokenAuthentication: TokenAuthentication;
  authorization: AuthorizeService;
  authenticator: Authenticator;
}

/** What every resolver of one request sees. */
export interface Context {
  caller: Caller;
  ip: string;
  /** This request's id and what it did, for its log line and metrics. */
  trace: RequestTrace;
  services: Services;
  loaders: DirectoryLoaders & AccessTokenLoaders;
  /** Read at most once per request; once read, answered without a promise. */
  patFeatureEnabled(): boolean | Promise<boolean>;
}

/**
 * Makes each request's context: authenticates its caller and gives it DataLoaders of its own.
 * `explainRefusals` (development): a refused credential's reason goes into the request's trace, for its log line.
 */
export function contextMaker(
  services: Services,
  options: { explainRefusals?: boolean } = {},
): (request: { authorization?: string; ip: string; trace: RequestTrace; cachedOnly?: boolean }) => Promise<Context> {
  const newLoaders = lazily({ ...directoryLoaders(services.directory), ...accessTokenLoaders({ tokens: services.tokens, repository: services.tokenRepository, catalog: services.catalog }) });
  return async (request) => {
    const loaders = newLoaders();
    const caller = await services.authenticator.authenticate(request.authorization, {
      ip: request.ip,
      // A cached grant set needs no loader (and no promise); the loader batches what must be read.
      loadGrants: (userId) => services.directory.cachedGrants(userId) ?? loaders.grantsOfUser.load(userId),
      onRefused: options.explainRefusals ? (reason) => (request.trace.refusal = reason) : undefined,
      cachedOnly: request.cachedOnly,
    });
    let feature: boolean | Promise<boolean> | undefined;
    return {
      caller,
      ip: request.ip,
      trace: request.trace,
      services,
      loaders,
      patFeatureEnabled: () => (feature ??= services.features.isEnabled(Feature.PERSONAL_ACCESS_TOKENS).then((enabled) => (feature = enabled))),
    };
  };
}
