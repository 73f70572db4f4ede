import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../graphql/access-rules';
import type { Context } from '../app/context';
import { Permission } from './permission.enum';
import { CreateGroupInput, PermissionGrantInput } from './directory.input';
import { Group } from './group.entity';
import { PermissionGrant } from './permission-grant.entity';
import { User } from './user.entity';

const ADMINISTER = { scope: 'settings.write', permission: Permission.ADMIN };

@Resolver(() => Group)
export class GroupResolver {
  @Query(() => [Group])
  @Auth({ scope: 'settings.read', permission: Permission.ADMIN })
  groups(@Ctx() context: Context): Promise<Group[]> {
    return context.services.directory.groups();
  }

  @Mutation(() => Group)
  @Auth(ADMINISTER)
  createGroup(@Arg('input', () => CreateGroupInput, { description: 'The name of the group and what its members may do.' }) input: CreateGroupInput, @Ctx() context: Context): Promise<Group> {
    return context.services.directory.createGroup(context.caller, input.name, input.permissions);
  }

  @Mutation(() => Group)
  @Auth(ADMINISTER)
  setGroupPermissions(
    @Arg('groupId', () => ID, { description: 'The id of the Group.' }) groupId: string,
    @Arg('permissions', () => [PermissionGrantInput], { description: "Replaces the group's grants; empty removes them all." }) permissions: PermissionGrantInput[],
    @Ctx() context: Context,
  ): Promise<Group> {
    return context.services.directory.setGroupPermissions(context.caller, groupId, permissions);
  }

  @Mutation(() => Group)
  @Auth(ADMINISTER)
  addGroupMember(
    @Arg('groupId', () => ID, { description: 'The id of the Group.' }) groupId: string,
    @Arg('userId', () => ID, { description: 'The id of the User (see `users`, or `me { id }`).' }) userId: string,
    @Ctx() context: Context,
  ): Promise<Group> {
    return context.services.directory.addGroupMember(context.caller, groupId, userId);
  }

  @Mutation(() => Group)
  @Auth(ADMINISTER)
  removeGroupMember(
    @Arg('groupId', () => ID, { description: 'The id of the Group.' }) groupId: string,
    @Arg('userId', () => ID, { description: 'The id of the User (see `users`, or `me { id }`).' }) userId: string,
    @Ctx() context: Context,
  ): Promise<Group> {
    return context.services.directory.removeGroupMember(context.caller, groupId, userId);
  }

  @FieldResolver(() => [PermissionGrant])
  permissions(@Root() group: Group, @Ctx() context: Context): Promise<PermissionGrant[]> {
    return context.loaders.grantsOfGroup.load(group.id);
  }

  @FieldResolver(() => [User])
  members(@Root() group: Group, @Ctx() context: Context): Promise<User[]> {
    return context.loaders.membersOfGroup.load(group.id);
  }
}
