import type { DataSource } from 'typeorm';
import { AuditAction } from '../audit/audit-action.enum';
import type { AuditService } from '../audit/audit.service';
import type { Caller } from '../auth/caller';
import type { ChangeAwareCache } from '../database/change-aware-cache';
import { type ChangePublisher, ChangeTopic } from '../database/change-notifier';
import { rows } from '../database/sql';
import { badInput } from '../graphql/errors';
import { TokenPolicy } from './token-policy.entity';

const DAY_MS = 86_400_000;
const COLUMNS = `id, require_expiration AS "requireExpiration", max_lifetime_days AS "maxLifetimeDays",
  updated_at AS "updatedAt", updated_by_id AS "updatedById"`;

export interface TokenPolicyInput {
  requireExpiration: boolean;
  maxLifetimeDays?: number | null;
}

/** The expiry policy: checked when a token is created or rotated, never applied to tokens that exist. */
export class TokenPolicyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Changes seldom and is read at every creation and rotation. */
  policies?: ChangeAwareCache<TokenPolicy>;
  changes?: ChangePublisher;

  async get(): Promise<TokenPolicy> {
    const read = async () => {
      const [policy] = await rows<TokenPolicy>(this.dataSource, `SELECT ${COLUMNS} FROM token_policy`);
      return this.dataSource.getRepository(TokenPolicy).create(policy);
    };
    return (await this.policies?.getOrLoad('policy', read)) ?? read();
  }

  async update(caller: Caller, input: TokenPolicyInput): Promise<TokenPolicy> {
    const maxLifetimeDays = input.maxLifetimeDays ?? null;
    if (maxLifetimeDays !== null && (maxLifetimeDays < 1 || maxLifetimeDays > 3650)) {
      throw badInput('maxLifetimeDays must be between 1 and 3650, or null for no limit', 'maxLifetimeDays');
    }
    return this.dataSource.transaction(async (manager) => {
      const [policy] = await rows<TokenPolicy>(
        manager,
        `UPDATE token_policy SET require_expiration = $1, max_lifetime_days = $2, updated_at = clock_timestamp(), updated_by_id = $3
         RETURNING ${COLUMNS}`,
        [input.requireExpiration || maxLifetimeDays !== null, maxLifetimeDays, caller.user!.id],
      );
      await this.changes?.publish(ChangeTopic.TOKEN_POLICY, null, manager);
      await this.audit.record(manager, caller, {
        action: AuditAction.TOKEN_POLICY_CHANGED,
        targetType: 'TOKEN_POLICY',
        targetId: 'token-policy',
        details: { requireExpiration: policy.requireExpiration, maxLifetimeDays },
      });
      return this.dataSource.getRepository(TokenPolicy).create(policy);
    });
  }

  /** BAD_USER_INPUT, saying the limit, when a new or rotated token's expiry is outside the policy. */
  static check(policy: TokenPolicy, expirationDate: Date | null, now = Date.now()): void {
    const limit = policy.maxLifetimeDays;
    if (expirationDate === null) {
      if (policy.requireExpiration || limit !== null) {
        const most = limit !== null ? ` at most ${limit} days ahead` : '';
        throw badInput(`The expiry policy requires an expirationDate${most}`, 'expirationDate');
      }
      return;
    }
    if (limit !== null && expirationDate.getTime() > now + limit * DAY_MS) {
      throw badInput(`The expiry policy allows tokens to live at most ${limit} days`, 'expirationDate');
    }
  }
}
