import { Field, ID, InputType } from 'type-graphql';
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
  @Field()
  name: string;

  @Field(() => [PermissionGrantInput])
  permissions: PermissionGrantInput[];
}
