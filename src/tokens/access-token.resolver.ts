import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../directory/permission.enum';
import { User } from '../directory/user.entity';
import { Auth, Public } from '../graphql/access-rules';
import type { Context } from '../app/context';
import { ManagementZone } from '../directory/management-zone.entity';
import { Scope } from '../scopes/scope.entity';
import { AccessTokenStatus } from './access-token-status';
import { AccessTokenConnection } from './access-token.connection';
import { AccessToken, OWNER_OR_TOKEN_ADMINISTRATOR } from './access-token.entity';
import {
  AccessTokenFilter,
  AccessTokenOrder,
  CreateApiTokenInput,
  CreatePersonalAccessTokenInput,
  RotateAccessTokenInput,
  UpdateAccessTokenInput,
} from './access-token.input';
import { AccessTokenIp } from './access-token-ip.entity';
import type { TokenPage } from './access-token.repository';
import type { CreatedToken } from './access-token.service';
import { CreatedAccessToken } from './created-access-token.type';
import { AFTER_ARGUMENT, FIRST_ARGUMENT } from '../graphql/pagination';

const READ = { scope: 'apiTokens.read' };
const WRITE = { scope: 'apiTokens.write' };

/** The answer that carries a secret; its owner and scopes are known, so showing them costs no query. */
function created(result: CreatedToken, context: Context): CreatedAccessToken {
  const { token, accessToken, scopes } = result;
  if (context.caller.user?.id === accessToken.ownerId) context.loaders.users.prime(accessToken.ownerId, context.caller.user);
  context.loaders.scopesOfToken.prime(accessToken.id, scopes.map((value) => context.services.catalog.get(value)!));
  return Object.assign(new CreatedAccessToken(), { token, accessToken });
}

/** A page as its connection; the owners and scopes read with it prime the request's loaders, so showing them costs no query. */
function connection(page: TokenPage, context: Context): AccessTokenConnection {
  for (const owner of page.owners ?? []) context.loaders.users.prime(owner.id, owner);
  for (const [id, values] of page.scopes ?? []) context.loaders.scopesOfToken.prime(id, values.map((value) => context.services.catalog.get(value)!));
  return AccessTokenConnection.of(page);
}

@Resolver(() => AccessToken)
export class AccessTokenResolver {
  @Query(() => AccessToken, { nullable: true, description: 'One token: the caller\'s own, or any token for an admin.' })
  @Auth(READ)
  accessToken(@Arg('id', () => ID, { description: 'The token id, dt0c01.<public part>.' }) id: string, @Ctx() context: Context): Promise<AccessToken> {
    return context.services.tokens.get(context.caller, id);
  }

  @Query(() => AccessTokenConnection, { description: 'The caller\'s own tokens, or every token for an admin.' })
  @Auth(READ)
  async accessTokens(
    @Arg('filter', () => AccessTokenFilter, { nullable: true, description: 'Every token the caller may see when omitted.' }) filter: AccessTokenFilter | null,
    @Arg('first', () => Int, { nullable: true, description: FIRST_ARGUMENT }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_ARGUMENT }) after: string | null,
    @Arg('orderBy', () => AccessTokenOrder, { nullable: true, description: 'Newest first when omitted.' })
    orderBy: AccessTokenOrder | null,
    @Ctx() context: Context,
  ): Promise<AccessTokenConnection> {
    return connection(await context.services.tokens.list(context.caller, filter ?? {}, { first, after, orderBy }), context);
  }

  @Query(() => AccessTokenConnection, {
    description:
      'The caller\'s tokens (every token for an admin) that expire within the given days and are not revoked or ' +
      'expired yet, soonest first: for a frontend to warn.',
  })
  @Auth(READ)
  async expiringAccessTokens(
    @Arg('withinDays', () => Int, { description: 'Days from now, 1 to 366.' }) withinDays: number,
    @Arg('first', () => Int, { nullable: true, description: FIRST_ARGUMENT }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_ARGUMENT }) after: string | null,
    @Ctx() context: Context,
  ): Promise<AccessTokenConnection> {
    return connection(await context.services.tokens.expiring(context.caller, withinDays, { first, after }), context);
  }

  @Query(() => AccessToken, {
    nullable: true,
    description: 'Metadata of the token whose secret is given. Works with a token of any scope.',
  })
  @Auth()
  lookupAccessToken(@Arg('token', { description: 'A whole token, secret included (dt0c01.<public>.<secret>).' }) token: string, @Ctx() context: Context): Promise<AccessToken | null> {
    return context.services.tokenAuthentication.lookup(token);
  }

  @Mutation(() => CreatedAccessToken, {
    description: 'A token bound to the caller and checked against the caller\'s permissions at every use.',
  })
  @Auth(WRITE)
  async createPersonalAccessToken(
    @Arg('input', () => CreatePersonalAccessTokenInput, { description: 'What the new token is for and may do.' }) input: CreatePersonalAccessTokenInput,
    @Ctx() context: Context,
  ): Promise<CreatedAccessToken> {
    return created(await context.services.tokens.createPersonal(context.caller, input), context);
  }

  @Mutation(() => CreatedAccessToken, { description: 'A classic API token, checked on its scopes alone. Admins only.' })
  @Auth({ ...WRITE, permission: Permission.ADMIN })
  async createApiToken(
    @Arg('input', () => CreateApiTokenInput, { description: 'What the new token is for and may do.' }) input: CreateApiTokenInput,
    @Ctx() context: Context,
  ): Promise<CreatedAccessToken> {
    return created(await context.services.tokens.createApiToken(context.caller, input), context);
  }

  @Mutation(() => AccessToken)
  @Auth(WRITE)
  updateAccessToken(
    @Arg('id', () => ID, { description: 'The token id, dt0c01.<public part>.' }) id: string,
    @Arg('input', () => UpdateAccessTokenInput, { description: 'What to change; omitted fields are kept.' }) input: UpdateAccessTokenInput,
    @Ctx() context: Context,
  ): Promise<AccessToken> {
    return context.services.tokens.update(context.caller, id, input);
  }

  @Mutation(() => CreatedAccessToken, {
    description:
      'A new secret for the same token; the old secret stops working, at once or after the grace period. ' +
      'The old secret used after that revokes the token (reuse detection).',
  })
  @Auth(WRITE)
  async rotateAccessToken(
    @Arg('id', () => ID, { description: 'The token id, dt0c01.<public part>.' }) id: string,
    @Arg('input', () => RotateAccessTokenInput, { nullable: true, description: 'Grace period and new expiry; none and the current expiry when omitted.' }) input: RotateAccessTokenInput | null,
    @Ctx() context: Context,
  ): Promise<CreatedAccessToken> {
    return created(await context.services.tokens.rotate(context.caller, id, input ?? {}), context);
  }

  @Mutation(() => AccessToken)
  @Auth(WRITE)
  revokeAccessToken(@Arg('id', () => ID, { description: 'The token id, dt0c01.<public part>.' }) id: string, @Ctx() context: Context): Promise<AccessToken> {
    return context.services.tokens.revoke(context.caller, id);
  }

  @Mutation(() => Int, {
    description:
      'Revokes every token matching the filter (at least one criterion), except the calling token; answers how many. ' +
      'E.g. all tokens of a departing user, or all tokens carrying a scope.',
  })
  @Auth({ ...WRITE, permission: Permission.ADMIN })
  revokeAccessTokens(
    @Arg('filter', () => AccessTokenFilter, { description: 'Which tokens to revoke; at least one criterion.' }) filter: AccessTokenFilter,
    @Ctx() context: Context,
  ): Promise<number> {
    return context.services.tokens.revokeMatching(context.caller, filter);
  }

  @Mutation(() => ID)
  @Auth(WRITE)
  deleteAccessToken(@Arg('id', () => ID, { description: 'The token id, dt0c01.<public part>.' }) id: string, @Ctx() context: Context): Promise<string> {
    return context.services.tokens.delete(context.caller, id);
  }

  @Mutation(() => Boolean, {
    description: 'Anyone who finds a leaked token can report it; a valid token is revoked. Always answers true.',
  })
  @Public()
  async reportLeakedToken(@Arg('token', { description: 'The whole token as it was found.' }) token: string, @Ctx() context: Context): Promise<boolean> {
    await context.services.tokenAuthentication.reportLeaked(context.caller, token);
    return true;
  }

  @FieldResolver(() => AccessTokenStatus)
  status(@Root() token: AccessToken, @Ctx() context: Context): AccessTokenStatus | Promise<AccessTokenStatus> {
    // On a page, the owner and the feature's state are known already: the status is then computed in place.
    const owner = token.personalAccessToken ? context.loaders.users.load(token.ownerId) : null;
    const featureEnabled = context.patFeatureEnabled();
    if (owner instanceof Promise || featureEnabled instanceof Promise) {
      return Promise.all([owner, featureEnabled]).then(([known, enabled]) => context.services.tokens.status(token, enabled, known?.active ?? true));
    }
    return context.services.tokens.status(token, featureEnabled, owner?.active ?? true);
  }

  @FieldResolver(() => User)
  owner(@Root() token: AccessToken, @Ctx() context: Context): User | Promise<User> {
    return context.loaders.users.load(token.ownerId);
  }

  @FieldResolver(() => [Scope])
  scopes(@Root() token: AccessToken, @Ctx() context: Context): Scope[] | Promise<Scope[]> {
    return context.loaders.scopesOfToken.load(token.id);
  }

  @FieldResolver(() => [ManagementZone], {
    nullable: true,
    description: 'The zones a PAT was restricted to at creation; null: not restricted.',
  })
  @Auth(OWNER_OR_TOKEN_ADMINISTRATOR)
  async managementZones(@Root() token: AccessToken, @Ctx() context: Context): Promise<ManagementZone[] | null> {
    const zoneIds = await context.loaders.zoneRestrictionOfToken.load(token.id);
    return zoneIds.length === 0 ? null : Promise.all(zoneIds.map((id) => context.loaders.zones.load(id)));
  }

  @FieldResolver(() => [AccessTokenIp], { description: 'The last few addresses the token was used from, newest first.' })
  @Auth(OWNER_OR_TOKEN_ADMINISTRATOR)
  recentIpAddresses(@Root() token: AccessToken, @Ctx() context: Context): Promise<AccessTokenIp[]> {
    return context.loaders.recentAddressesOfToken.load(token.id);
  }

  @FieldResolver(() => Date, { name: 'lastUsedDate', nullable: true })
  lastUsedDate(@Root() token: AccessToken, @Ctx() context: Context): Date | null {
    return context.services.tokens.lastUsed(token).date;
  }

  @FieldResolver(() => String, { name: 'lastUsedIpAddress', nullable: true })
  @Auth(OWNER_OR_TOKEN_ADMINISTRATOR)
  lastUsedIpAddress(@Root() token: AccessToken, @Ctx() context: Context): string | null {
    return context.services.tokens.lastUsed(token).ip;
  }
}
