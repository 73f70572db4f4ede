import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Group } from './group.entity';
import { ManagementZone } from './management-zone.entity';
import { Permission } from './permission.enum';

@ObjectType({ description: 'A permission, environment-wide (managementZone null) or within one management zone.', simpleResolvers: true })
@Entity('permission_grant')
@Index('permission_grant_environment_unique', ['groupId', 'permission'], {
  unique: true,
  where: 'management_zone_id IS NULL',
})
@Index('permission_grant_zone_unique', ['groupId', 'permission', 'managementZoneId'], {
  unique: true,
  where: 'management_zone_id IS NOT NULL',
})
export class PermissionGrant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Group;

  @Field(() => Permission)
  @Column({ type: 'enum', enum: Permission, enumName: 'permission' })
  permission: Permission;

  /** Null: the grant holds in the whole environment. */
  @Column({ name: 'management_zone_id', type: 'uuid', nullable: true })
  managementZoneId: string | null;

  @ManyToOne(() => ManagementZone, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'management_zone_id' })
  managementZone?: ManagementZone;
}
