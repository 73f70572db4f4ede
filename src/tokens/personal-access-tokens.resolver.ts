import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../app/context';
import { User } from '../directory/user.entity';
import { Auth } from '../graphql/access-rules';
import { AFTER_ARGUMENT, FIRST_ARGUMENT } from '../graphql/pagination';
import { AccessTokenConnection } from './access-token.connection';

/** A user's PATs, as a field of User: the directory knows nothing of tokens. */
@Resolver(() => User)
export class PersonalAccessTokensResolver {
  @FieldResolver(() => AccessTokenConnection, {
    description: 'The user\'s own PATs. Rules apply to nested fields too: a token needs apiTokens.read here as well.',
  })
  @Auth({ scope: 'apiTokens.read' })
  async personalAccessTokens(
    @Root() user: User,
    @Arg('first', () => Int, { nullable: true, description: FIRST_ARGUMENT }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_ARGUMENT }) after: string | null,
    @Ctx() context: Context,
  ): Promise<AccessTokenConnection> {
    const page = await context.loaders.personalTokenPages.load({ caller: context.caller, ownerId: user.id, first, after });
    return AccessTokenConnection.of(page);
  }
}
