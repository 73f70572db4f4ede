import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Auth } from '../graphql/access-rules';
import type { Context } from '../app/context';
import { AccessDecision } from './access-decision.type';

@Resolver(() => AccessDecision)
export class AuthorizeResolver {
  @Query(() => AccessDecision, {
    description:
      'May the calling access token use this scope (in this management zone)? For APIs that delegate authorization here.',
  })
  @Auth()
  authorize(
    @Arg('scope', () => ID, { description: 'A scope value, e.g. "metrics.read"; the `scopes` query lists them all.' }) scope: string,
    @Arg('managementZoneId', () => ID, { nullable: true, description: 'Ask about the data of this management zone only.' }) managementZoneId: string | null,
    @Ctx() context: Context,
  ): Promise<AccessDecision> {
    return context.services.authorization.authorize(context.caller, scope, managementZoneId);
  }
}
