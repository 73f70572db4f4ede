import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Auth } from '../graphql/access-rules';
import type { Context } from '../app/context';
import { NAME_RULES } from '../validation';
import { ManagementZone } from './management-zone.entity';
import { Permission } from './permission.enum';

@Resolver(() => ManagementZone)
export class ManagementZoneResolver {
  @Query(() => [ManagementZone])
  @Auth()
  managementZones(@Ctx() context: Context): Promise<ManagementZone[]> {
    return context.services.directory.managementZones();
  }

  @Mutation(() => ManagementZone)
  @Auth({ scope: 'settings.write', permission: Permission.ADMIN })
  createManagementZone(@Arg('name', { description: `A name no other zone has. ${NAME_RULES}` }) name: string, @Ctx() context: Context): Promise<ManagementZone> {
    return context.services.directory.createManagementZone(context.caller, name);
  }
}
