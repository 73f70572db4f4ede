import { registerEnumType } from 'type-graphql';

export enum AuditAction {
  TOKEN_CREATED = 'TOKEN_CREATED',
  TOKEN_UPDATED = 'TOKEN_UPDATED',
  TOKEN_DISABLED = 'TOKEN_DISABLED',
  TOKEN_ENABLED = 'TOKEN_ENABLED',
  TOKEN_ROTATED = 'TOKEN_ROTATED',
  TOKEN_REVOKED = 'TOKEN_REVOKED',
  TOKEN_DELETED = 'TOKEN_DELETED',
  TOKEN_REPORTED_LEAKED = 'TOKEN_REPORTED_LEAKED',
  TOKEN_REUSE_DETECTED = 'TOKEN_REUSE_DETECTED',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  TOKEN_POLICY_CHANGED = 'TOKEN_POLICY_CHANGED',
  FEATURE_ENABLED = 'FEATURE_ENABLED',
  FEATURE_DISABLED = 'FEATURE_DISABLED',
  MANAGEMENT_ZONE_CREATED = 'MANAGEMENT_ZONE_CREATED',
  GROUP_CREATED = 'GROUP_CREATED',
  GROUP_PERMISSIONS_CHANGED = 'GROUP_PERMISSIONS_CHANGED',
  GROUP_MEMBER_ADDED = 'GROUP_MEMBER_ADDED',
  GROUP_MEMBER_REMOVED = 'GROUP_MEMBER_REMOVED',
  USER_DEACTIVATED = 'USER_DEACTIVATED',
  USER_REACTIVATED = 'USER_REACTIVATED',
}

registerEnumType(AuditAction, {
  name: 'AuditAction',
  valuesConfig: {
    TOKEN_REPORTED_LEAKED: { description: 'Someone reported the token\'s secret as leaked; the token was revoked.' },
    TOKEN_REUSE_DETECTED: {
      description: 'A secret replaced by a rotation was used after its grace period, a sign of theft; the token was revoked.',
    },
    TOKEN_EXPIRED: { description: 'The token was presented after its expiration date (recorded once).' },
  },
});
