import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../graphql/access-rules';
import type { Context } from '../app/context';
import { ScopeFilter } from './scope.input';
import { Scope } from './scope.entity';

@Resolver(() => Scope)
export class ScopeResolver {
  @Query(() => [Scope], { description: 'Every scope a token can carry. Not filtered by the caller\'s permissions.' })
  @Auth()
  scopes(@Arg('filter', () => ScopeFilter, { nullable: true, description: 'Every scope when omitted.' }) filter: ScopeFilter | null, @Ctx() context: Context): Scope[] {
    return context.services.catalog.search(filter ?? {});
  }

  @FieldResolver(() => Boolean, {
    description:
      'Whether the caller\'s own permissions allow this scope today (anywhere, for a zone-scoped scope). ' +
      'A PAT carrying a scope its owner may not use is refused at every use; warn before creating one.',
  })
  usableByMe(@Root() scope: Scope, @Ctx() context: Context): Promise<boolean> {
    return context.services.authorization.usable(context.caller, scope);
  }
}
