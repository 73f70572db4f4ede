import { Field, ID, InputType } from 'type-graphql';
import { NAME_RULES } from '../validation';
import { Permission } from './permission.enum';

@InputType()
export class PermissionGrantInput {
  @Field(() => Permission)
  permission: Permission;

  @Field(() => ID, { nullable: true, description: 'Omit for an environment-wide grant.' })
  managementZoneId?: string | null;
}

@InputType()
export class CreateGroupInput {
  @Field({ description: NAME_RULES })
  name: string;

  @Field(() => [PermissionGrantInput])
  permissions: PermissionGrantInput[];
}
