import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../directory/permission.enum';
import { User } from '../directory/user.entity';
import { Auth } from '../graphql/access-rules';
import type { Context } from '../app/context';
import { Feature } from './feature.enum';
import { FeatureSetting } from './feature-setting.entity';

const ADMINISTER = { scope: 'settings.write', permission: Permission.ADMIN };

@Resolver(() => FeatureSetting)
export class FeatureResolver {
  @Query(() => [FeatureSetting])
  @Auth()
  features(@Ctx() context: Context): Promise<FeatureSetting[]> {
    return context.services.features.list();
  }

  @Mutation(() => FeatureSetting)
  @Auth(ADMINISTER)
  enableFeature(@Arg('feature', () => Feature, { description: 'The feature to switch.' }) feature: Feature, @Ctx() context: Context): Promise<FeatureSetting> {
    return context.services.features.setEnabled(context.caller, feature, true);
  }

  @Mutation(() => FeatureSetting)
  @Auth(ADMINISTER)
  disableFeature(@Arg('feature', () => Feature, { description: 'The feature to switch.' }) feature: Feature, @Ctx() context: Context): Promise<FeatureSetting> {
    return context.services.features.setEnabled(context.caller, feature, false);
  }

  @FieldResolver(() => User, { nullable: true })
  updatedBy(@Root() setting: FeatureSetting, @Ctx() context: Context): User | Promise<User> | null {
    return setting.updatedById ? context.loaders.users.load(setting.updatedById) : null;
  }
}
