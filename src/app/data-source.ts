import type { DataSource } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { GroupMember } from '../directory/group-member.entity';
import { Group } from '../directory/group.entity';
import { ManagementZone } from '../directory/management-zone.entity';
import { PermissionGrant } from '../directory/permission-grant.entity';
import { User } from '../directory/user.entity';
import { FeatureSetting } from '../features/feature-setting.entity';
import { Scope } from '../scopes/scope.entity';
import { AccessTokenIp } from '../tokens/access-token-ip.entity';
import { AccessTokenRetiredSecret } from '../tokens/access-token-retired-secret.entity';
import { AccessTokenScope } from '../tokens/access-token-scope.entity';
import { AccessTokenZone } from '../tokens/access-token-zone.entity';
import { AccessToken } from '../tokens/access-token.entity';
import { TokenPolicy } from '../tokens/token-policy.entity';
import { type DatabaseOptions, createDataSource } from '../database/data-source';

/** Every entity of the service, each defined in the folder of its concept. */
export const entities: Function[] = [
  Scope,
  User,
  Group,
  GroupMember,
  ManagementZone,
  PermissionGrant,
  FeatureSetting,
  AccessToken,
  AccessTokenScope,
  AccessTokenZone,
  AccessTokenIp,
  AccessTokenRetiredSecret,
  TokenPolicy,
  AuditEvent,
];

/** The service's DataSource: the database's options with the service's entities. */
export function createServiceDataSource(options: DatabaseOptions): DataSource {
  return createDataSource({ ...options, entities });
}
