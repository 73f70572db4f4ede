import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../app/context';
import { ManagementZone } from './management-zone.entity';
import { PermissionGrant } from './permission-grant.entity';

@Resolver(() => PermissionGrant)
export class PermissionGrantResolver {
  @FieldResolver(() => ManagementZone, { nullable: true })
  managementZone(@Root() grant: PermissionGrant, @Ctx() context: Context): Promise<ManagementZone> | null {
    return grant.managementZoneId ? context.loaders.zones.load(grant.managementZoneId) : null;
  }
}
