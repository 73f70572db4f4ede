import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Auth } from '../graphql/access-rules';
import type { Context } from '../graphql/context';
import { ScopeFilter } from './scope.input';
import { Scope } from './scope.entity';

@Resolver(() => Scope)
export class ScopeResolver {
  @Query(() => [Scope], { description: 'Every scope a token can carry. Not filtered by the caller\'s permissions.' })
  @Auth()
  scopes(@Arg('filter', () => ScopeFilter, { nullable: true }) filter: ScopeFilter | null, @Ctx() context: Context): Scope[] {
    return context.services.catalog.search(filter ?? {});
  }
}
