import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../directory/permission.enum';
import { User } from '../directory/user.entity';
import { Auth, Public } from '../graphql/access-rules';
import type { Context } from '../graphql/context';
import { Scope } from '../scopes/scope.entity';
import { AccessTokenStatus } from './access-token-status';
import { AccessTokenConnection } from './access-token.connection';
import { AccessToken } from './access-token.entity';
import {
  AccessTokenFilter,
  CreateApiTokenInput,
  CreatePersonalAccessTokenInput,
  UpdateAccessTokenInput,
} from './access-token.input';
import type { CreatedToken } from './access-token.service';
import { CreatedAccessToken } from './created-access-token.type';

const READ = { scope: 'apiTokens.read' };
const WRITE = { scope: 'apiTokens.write' };

function created(result: CreatedToken): CreatedAccessToken {
  return Object.assign(new CreatedAccessToken(), result);
}

@Resolver(() => AccessToken)
export class AccessTokenResolver {
  @Query(() => AccessToken, { nullable: true, description: 'One token: the caller\'s own, or any token for an admin.' })
  @Auth(READ)
  accessToken(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<AccessToken> {
    return context.services.tokens.get(context.caller, id);
  }

  @Query(() => AccessTokenConnection, { description: 'The caller\'s own tokens, or every token for an admin.' })
  @Auth(READ)
  async accessTokens(
    @Arg('filter', () => AccessTokenFilter, { nullable: true }) filter: AccessTokenFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: Context,
  ): Promise<AccessTokenConnection> {
    return AccessTokenConnection.of(await context.services.tokens.list(context.caller, filter ?? {}, { first, after }));
  }

  @Query(() => AccessToken, {
    nullable: true,
    description: 'Metadata of the token whose secret is given. Works with a token of any scope.',
  })
  @Auth()
  lookupAccessToken(@Arg('token') token: string, @Ctx() context: Context): Promise<AccessToken | null> {
    return context.services.tokens.lookup(token);
  }

  @Mutation(() => CreatedAccessToken, {
    description: 'A token bound to the caller and checked against the caller\'s permissions at every use.',
  })
  @Auth(WRITE)
  async createPersonalAccessToken(
    @Arg('input', () => CreatePersonalAccessTokenInput) input: CreatePersonalAccessTokenInput,
    @Ctx() context: Context,
  ): Promise<CreatedAccessToken> {
    return created(await context.services.tokens.createPersonal(context.caller, input));
  }

  @Mutation(() => CreatedAccessToken, { description: 'A classic API token, checked on its scopes alone. Admins only.' })
  @Auth({ ...WRITE, permission: Permission.ADMIN })
  async createApiToken(
    @Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput,
    @Ctx() context: Context,
  ): Promise<CreatedAccessToken> {
    return created(await context.services.tokens.createApiToken(context.caller, input));
  }

  @Mutation(() => AccessToken)
  @Auth(WRITE)
  updateAccessToken(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateAccessTokenInput) input: UpdateAccessTokenInput,
    @Ctx() context: Context,
  ): Promise<AccessToken> {
    return context.services.tokens.update(context.caller, id, input);
  }

  @Mutation(() => CreatedAccessToken, { description: 'A new secret for the same token; the old secret stops working.' })
  @Auth(WRITE)
  async rotateAccessToken(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<CreatedAccessToken> {
    return created(await context.services.tokens.rotate(context.caller, id));
  }

  @Mutation(() => AccessToken)
  @Auth(WRITE)
  revokeAccessToken(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<AccessToken> {
    return context.services.tokens.revoke(context.caller, id);
  }

  @Mutation(() => ID)
  @Auth(WRITE)
  deleteAccessToken(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<string> {
    return context.services.tokens.delete(context.caller, id);
  }

  @Mutation(() => Boolean, {
    description: 'Anyone who finds a leaked token can report it; a valid token is revoked. Always answers true.',
  })
  @Public()
  async reportLeakedToken(@Arg('token') token: string, @Ctx() context: Context): Promise<boolean> {
    await context.services.tokens.reportLeaked(token);
    return true;
  }

  @FieldResolver(() => AccessTokenStatus)
  async status(@Root() token: AccessToken, @Ctx() context: Context): Promise<AccessTokenStatus> {
    return context.services.tokens.status(token, await context.patFeatureEnabled());
  }

  @FieldResolver(() => User)
  owner(@Root() token: AccessToken, @Ctx() context: Context): Promise<User> {
    return context.loaders.users.load(token.ownerId);
  }

  @FieldResolver(() => [Scope])
  scopes(@Root() token: AccessToken, @Ctx() context: Context): Promise<Scope[]> {
    return context.loaders.scopesOfToken.load(token.id);
  }

  @FieldResolver(() => Date, { name: 'lastUsedDate', nullable: true })
  lastUsedDate(@Root() token: AccessToken, @Ctx() context: Context): Date | null {
    return context.services.tokens.lastUsed(token).date;
  }

  @FieldResolver(() => String, { name: 'lastUsedIpAddress', nullable: true })
  lastUsedIpAddress(@Root() token: AccessToken, @Ctx() context: Context): string | null {
    return context.services.tokens.lastUsed(token).ip;
  }
}
