import { Field, ID, InputType } from 'type-graphql';
import { NAME_RULES } from '../validation';
import { Permission } from './permission.enum';

@InputType()
export class PermissionGrantInput {
  @Field(() => Permission, { description: 'The permission granted to every member of the group.' })
  permission: Permission;

  @Field(() => ID, { nullable: true, description: 'Omit for an environment-wide grant.' })
  managementZoneId?: string | null;
}

@InputType()
export class CreateGroupInput {
  @Field({ description: `A name no other group has. ${NAME_RULES}` })
  name: string;

  @Field(() => [PermissionGrantInput], { description: "What the group's members may do; may be empty, and changed with setGroupPermissions." })
  permissions: PermissionGrantInput[];
}
