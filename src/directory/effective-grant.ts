import type { Permission } from './permission.enum';

/** A permission a user holds, environment-wide (managementZoneId null) or in one management zone. */
export interface EffectiveGrant {
  permission: Permission;
  managementZoneId: string | null;
}
