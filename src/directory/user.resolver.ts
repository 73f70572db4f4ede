import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../graphql/access-rules';
import type { Context } from '../app/context';
import { PermissionGrant } from './permission-grant.entity';
import { Permission } from './permission.enum';
import { IDENTITY, User } from './user.entity';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: 'The acting user: the session\'s user, or the token\'s owner.' })
  @Auth()
  me(@Ctx() context: Context): User {
    return context.caller.user!;
  }

  @Query(() => [User], { description: 'Every user, for administrators.' })
  @Auth({ scope: 'settings.read', permission: Permission.ADMIN })
  users(@Ctx() context: Context): Promise<User[]> {
    return context.services.directory.users();
  }

  @Mutation(() => User, {
    description: 'The user can no longer sign in and its PATs are SUSPENDED until it is reactivated. Not yourself.',
  })
  @Auth({ scope: 'settings.write', permission: Permission.ADMIN })
  deactivateUser(@Arg('id', () => ID, { description: 'The id of the User.' }) id: string, @Ctx() context: Context): Promise<User> {
    return context.services.directory.setUserActive(context.caller, id, false);
  }

  @Mutation(() => User, { description: 'Lets the user sign in again and restores its PATs.' })
  @Auth({ scope: 'settings.write', permission: Permission.ADMIN })
  reactivateUser(@Arg('id', () => ID, { description: 'The id of the User.' }) id: string, @Ctx() context: Context): Promise<User> {
    return context.services.directory.setUserActive(context.caller, id, true);
  }

  @FieldResolver(() => [PermissionGrant], { description: 'Every grant the user holds through its groups.' })
  @Auth(IDENTITY)
  async permissions(@Root() user: User, @Ctx() context: Context): Promise<PermissionGrant[]> {
    const grants = await context.loaders.grantsOfUser.load(user.id);
    return grants.map((grant) => Object.assign(new PermissionGrant(), grant));
  }
}
