import { registerEnumType } from 'type-graphql';

export enum AccessTokenStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
  SUSPENDED = 'SUSPENDED',
}

registerEnumType(AccessTokenStatus, {
  name: 'AccessTokenStatus',
  valuesConfig: {
    DISABLED: { description: 'Disabled by its owner or an admin; can be enabled again.' },
    EXPIRED: { description: 'Past its expiration date.' },
    REVOKED: { description: 'Revoked for good; can never be used or enabled again.' },
    SUSPENDED: {
      description: 'A personal access token while the PERSONAL_ACCESS_TOKENS feature is off, or while its owner is deactivated.',
    },
  },
});

export interface StatusFacts {
  revokedAt: Date | null;
  expirationDate: Date | null;
  personalAccessToken: boolean;
  enabled: boolean;
}

/**
 * The one precedence of statuses, final states first: revoked, then expired (neither can be
 * undone), then suspended (every PAT while the feature is off or its owner is deactivated),
 * then disabled. `statusSql` below is the same rule for filters in SQL; keep the two in step.
 */
export function tokenStatus(
  token: StatusFacts,
  patFeatureEnabled: boolean,
  ownerActive: boolean,
  now = new Date(),
): AccessTokenStatus {
  if (token.revokedAt) return AccessTokenStatus.REVOKED;
  if (token.expirationDate && token.expirationDate <= now) return AccessTokenStatus.EXPIRED;
  if (token.personalAccessToken && (!patFeatureEnabled || !ownerActive)) return AccessTokenStatus.SUSPENDED;
  if (!token.enabled) return AccessTokenStatus.DISABLED;
  return AccessTokenStatus.ACTIVE;
}

/**
 * `tokenStatus` as an SQL expression over the access_token alias `t`; `featureParam` is a boolean
 * bind parameter. The owner's state is read only for PATs, and only when the feature is on.
 */
export function statusSql(featureParam: string): string {
  return `CASE
    WHEN t.revoked_at IS NOT NULL THEN 'REVOKED'
    WHEN t.expires_at IS NOT NULL AND t.expires_at <= now() THEN 'EXPIRED'
    WHEN t.personal AND (NOT ${featureParam} OR NOT (SELECT u.active FROM app_user u WHERE u.id = t.owner_id)) THEN 'SUSPENDED'
    WHEN NOT t.enabled THEN 'DISABLED'
    ELSE 'ACTIVE' END`;
}
