import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../directory/permission.enum';
import { User } from '../directory/user.entity';
import { Auth } from '../graphql/access-rules';
import type { Context } from '../app/context';
import { TokenPolicyInput } from './access-token.input';
import { TokenPolicy } from './token-policy.entity';

@Resolver(() => TokenPolicy)
export class TokenPolicyResolver {
  @Query(() => TokenPolicy, { description: 'The expiry policy, so a frontend can offer compliant dates.' })
  @Auth()
  tokenPolicy(@Ctx() context: Context): Promise<TokenPolicy> {
    return context.services.policy.get();
  }

  @Mutation(() => TokenPolicy, { description: 'Applies to tokens created or rotated from now on; existing tokens are kept.' })
  @Auth({ scope: 'settings.write', permission: Permission.ADMIN })
  updateTokenPolicy(@Arg('input', () => TokenPolicyInput, { description: 'The whole new policy.' }) input: TokenPolicyInput, @Ctx() context: Context): Promise<TokenPolicy> {
    return context.services.policy.update(context.caller, input);
  }

  @FieldResolver(() => User, { nullable: true })
  updatedBy(@Root() policy: TokenPolicy, @Ctx() context: Context): User | Promise<User> | null {
    return policy.updatedById ? context.loaders.users.load(policy.updatedById) : null;
  }
}
