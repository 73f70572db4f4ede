import type { DirectoryService } from '../directory/directory.service';
import { invalidCredentials } from '../graphql/errors';
import type { TokenAuthentication } from '../tokens/token-authentication';
import { looksLikeAccessToken } from '../tokens/token-secret';
import type { AuthenticationFailure } from './authentication-failure';
import { Caller, type GrantLoader } from './caller';
import type { SignInVerifier } from './sign-in';

const SCHEME = /^(bearer|api-token)\s+(\S+)\s*$/i;

/**
 * Turns an `Authorization` header into a Caller: `Bearer <JWT>` for a sign-in, `Api-Token <token>`
 * or `Bearer <token>` for an access token. Any credential that is sent and not valid fails the
 * whole request with the same 401, whatever the reason.
 */
export interface AuthenticatorDependencies {
  signIns: SignInVerifier;
  tokens: TokenAuthentication;
  directory: DirectoryService;
  /** Why a credential was refused, for the metrics; the caller only ever hears UNAUTHENTICATED. */
  onRefused: (reason: AuthenticationFailure) => void;
}

export class Authenticator {
  private readonly signIns: SignInVerifier;
  private readonly tokens: TokenAuthentication;
  private readonly directory: DirectoryService;
  private readonly onRefused: (reason: AuthenticationFailure) => void;

  constructor(dependencies: AuthenticatorDependencies) {
    ({ signIns: this.signIns, tokens: this.tokens, directory: this.directory, onRefused: this.onRefused } = dependencies);
  }

  /**
   * `onRefused`: also told why this request's credential was refused (for its log line in
   * development). `cachedOnly`: the address spent its failure budget; an access token counts only
   * when this instance has it verified in its cache (see RateLimits.context).
   */
  async authenticate(
    header: string | undefined,
    request: { ip: string; loadGrants: GrantLoader; onRefused?: (reason: AuthenticationFailure) => void; cachedOnly?: boolean },
  ): Promise<Caller> {
    const { ip, loadGrants, onRefused } = request;
    const refused = onRefused
      ? (reason: AuthenticationFailure) => {
          this.onRefused(reason);
          onRefused(reason);
        }
      : this.onRefused;
    if (header === undefined || header.trim() === '') return Caller.anonymous(ip);
    const match = SCHEME.exec(header);
    if (!match) throw this.refuse('malformed', refused);
    const [, scheme, credential] = match;
    if (scheme.toLowerCase() === 'api-token' || looksLikeAccessToken(credential)) {
      const found = await this.tokens.authenticate(credential, Caller.anonymous(ip), refused, { cachedOnly: request.cachedOnly });
      if (!found) throw invalidCredentials();
      return Caller.token(found.owner, found.credential, ip, loadGrants);
    }
    const claims = await this.signIns.verify(credential);
    if (typeof claims === 'string') throw this.refuse(claims, refused);
    const user = await this.directory.signIn(claims);
    if (!user.active) throw this.refuse('user_deactivated', refused);
    return Caller.session(user, ip, loadGrants);
  }

  private refuse(reason: AuthenticationFailure, refused: (reason: AuthenticationFailure) => void): Error {
    refused(reason);
    return invalidCredentials();
  }
}
