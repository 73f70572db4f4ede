import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../app/context';
import type { ManagementZone } from '../directory/management-zone.entity';
import { Auth } from '../graphql/access-rules';
import { AccessToken, OWNER_OR_TOKEN_ADMINISTRATOR } from '../tokens/access-token.entity';
import { AccessDecision } from './access-decision.type';

/** The zones that exist among `ids`, through the request's loader. */
async function loadZones(context: Context, ids: readonly string[]): Promise<ManagementZone[]> {
  const zones = await context.loaders.zones.loadMany(ids);
  return zones.filter((zone): zone is ManagementZone => !(zone instanceof Error));
}

/** What a token really can do, as a field of AccessToken: the answers of `authorize`, not a property of the token. */
@Resolver(() => AccessToken)
export class EffectiveAccessResolver {
  @FieldResolver(() => [AccessDecision], {
    description:
      'Scopes are not filtered by permissions; this shows the consequence: for each scope of the token, whether ' +
      'its owner\'s current permissions (and the token\'s zone restriction) allow it, and in which zones.',
  })
  @Auth(OWNER_OR_TOKEN_ADMINISTRATOR)
  async effectiveAccess(@Root() token: AccessToken, @Ctx() context: Context): Promise<AccessDecision[]> {
    const [owner, scopes, zoneIds] = await Promise.all([
      context.loaders.users.load(token.ownerId),
      context.loaders.scopesOfToken.load(token.id),
      context.loaders.zoneRestrictionOfToken.load(token.id),
    ]);
    return context.services.authorization.effectiveAccess(
      { token, owner, scopes, zoneIds },
      { grants: (userId) => context.loaders.grantsOfUser.load(userId), zones: (ids) => loadZones(context, ids) },
    );
  }
}
