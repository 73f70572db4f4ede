import type { DirectoryService } from '../directory/directory.service';
import { invalidCredentials } from '../graphql/errors';
import type { AccessTokenService } from '../tokens/access-token.service';
import { looksLikeAccessToken } from '../tokens/token-secret';
import { Caller, type GrantLoader } from './caller';
import type { SignInVerifier } from './sign-in';

const SCHEME = /^(bearer|api-token)\s+(\S+)\s*$/i;

/**
 * Turns an `Authorization` header into a Caller: `Bearer <JWT>` for a sign-in, `Api-Token <token>`
 * or `Bearer <token>` for an access token. Any credential that is sent and not valid fails the
 * whole request with the same 401, whatever the reason.
 */
export class Authenticator {
  constructor(
    private readonly signIns: SignInVerifier,
    private readonly tokens: AccessTokenService,
    private readonly directory: DirectoryService,
  ) {}

  async authenticate(
    header: string | undefined,
    ip: string,
    loadGrants: GrantLoader,
  ): Promise<Caller> {
    if (header === undefined || header.trim() === '') return Caller.anonymous(ip);
    const match = SCHEME.exec(header);
    if (!match) throw invalidCredentials();
    const [, scheme, credential] = match;
    if (scheme.toLowerCase() === 'api-token' || looksLikeAccessToken(credential)) {
      const found = await this.tokens.authenticate(credential, Caller.anonymous(ip));
      if (!found) throw invalidCredentials();
      return Caller.token(found.owner, found.credential, ip, loadGrants);
    }
    const claims = await this.signIns.verify(credential);
    if (!claims) throw invalidCredentials();
    const user = await this.directory.signIn(claims);
    if (!user.active) throw invalidCredentials();
    return Caller.session(user, ip, loadGrants);
  }
}
