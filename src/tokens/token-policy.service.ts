import type { DataSource } from 'typeorm';
import { AuditAction } from '../audit/audit-action.enum';
import type { AuditService } from '../audit/audit.service';
import type { Caller } from '../auth/caller';
import type { ChangeAwareCache } from '../database/change-aware-cache';
import { type Changes, ChangeTopic } from '../database/change-notifier';
import { rows } from '../database/sql';
import { type ServiceError, badInput } from '../graphql/errors';
import { TokenPolicy } from './token-policy.entity';

const DAY_MS = 86_400_000;
const COLUMNS = `id, require_expiration AS "requireExpiration", max_lifetime_days AS "maxLifetimeDays",
  updated_at AS "updatedAt", updated_by_id AS "updatedById"`;

export interface TokenPolicyInput {
  requireExpiration: boolean;
  maxLifetimeDays?: number | null;
}

/** A token is never created or rotated already expired. */
export function expiryNotAhead(): ServiceError {
  return badInput('The expirationDate must be in the future', 'expirationDate');
}

/** The expiry policy: checked when a token is created or rotated, never applied to tokens that exist. */
export interface TokenPolicyDependencies {
  dataSource: DataSource;
  audit: AuditService;
  changes: Changes;
  /** The policy changes seldom and is read at every creation and rotation. */
  policies: ChangeAwareCache<TokenPolicy>;
}

export class TokenPolicyService {
  private readonly dataSource: DataSource;
  private readonly audit: AuditService;
  private readonly changes: Changes;
  private readonly policies: ChangeAwareCache<TokenPolicy>;

  constructor(dependencies: TokenPolicyDependencies) {
    ({ dataSource: this.dataSource, audit: this.audit, changes: this.changes, policies: this.policies } = dependencies);
    this.changes.subscribe(ChangeTopic.TOKEN_POLICY, () => this.policies.clear());
  }

  async get(): Promise<TokenPolicy> {
    const read = async () => {
      const [policy] = await rows<TokenPolicy>(this.dataSource, `SELECT ${COLUMNS} FROM token_policy`);
      return this.dataSource.getRepository(TokenPolicy).create(policy);
    };
    return (await this.policies.getOrLoad('policy', read))!;
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
      await this.changes.publish(ChangeTopic.TOKEN_POLICY, null, manager);
      await this.audit.record(manager, caller, {
        action: AuditAction.TOKEN_POLICY_CHANGED,
        targetType: 'TOKEN_POLICY',
        targetId: 'token-policy',
        details: { requireExpiration: policy.requireExpiration, maxLifetimeDays },
      });
      return this.dataSource.getRepository(TokenPolicy).create(policy);
    });
  }

  /**
   * The one check of a new or rotated token's expiry: BAD_USER_INPUT on `expirationDate` when it
   * is not in the future, or outside the policy (saying the limit).
   */
  static check(policy: TokenPolicy, expirationDate: Date | null, now = Date.now()): void {
    if (expirationDate !== null && expirationDate.getTime() <= now) throw expiryNotAhead();
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
