import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Permission } from '../directory/permission.enum';

@ObjectType({ description: 'An API scope that an access token can carry.', simpleResolvers: true })
@Entity('scope')
export class Scope {
  @Field(() => ID, { description: 'The API value, e.g. "metrics.read".' })
  @PrimaryColumn({ type: 'text' })
  value: string;

  @Field({ description: 'The display name, e.g. "Read metrics".' })
  @Column({ type: 'text' })
  name: string;

  @Field({ description: 'What the scope grants.' })
  @Column({ type: 'text' })
  description: string;

  @Field(() => Permission, {
    description: 'The permission the token owner must hold when a personal access token uses this scope.',
  })
  @Column({ name: 'required_permission', type: 'enum', enum: Permission, enumName: 'permission' })
  requiredPermission: Permission;

  @Field({ description: 'True when data reached with this scope is limited to the owner\'s management zones.' })
  @Column({ name: 'management_zone_scoped', type: 'boolean' })
  managementZoneScoped: boolean;
}
