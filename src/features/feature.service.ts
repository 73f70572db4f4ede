import type { DataSource } from 'typeorm';
import { AuditAction } from '../audit/audit-action.enum';
import type { AuditService } from '../audit/audit.service';
import type { Caller } from '../auth/caller';
import { type Changes, ChangeTopic } from '../database/change-notifier';
import type { ChangeAwareCache } from '../database/change-aware-cache';
import { rows } from '../database/sql';
import { Feature } from './feature.enum';
import { FeatureSetting } from './feature-setting.entity';

const COLUMNS = `feature, enabled, updated_at AS "updatedAt", updated_by_id AS "updatedById"`;

export interface FeatureDependencies {
  dataSource: DataSource;
  audit: AuditService;
  /** Announces a switched feature; and tells this instance's cache of anybody's switch. */
  changes: Changes;
  /** Whether each feature is on, read at every PAT's use. */
  states: ChangeAwareCache<{ enabled: boolean }>;
}

export class FeatureService {
  private readonly dataSource: DataSource;
  private readonly audit: AuditService;
  private readonly changes: Changes;
  private readonly states: ChangeAwareCache<{ enabled: boolean }>;

  constructor(dependencies: FeatureDependencies) {
    ({ dataSource: this.dataSource, audit: this.audit, changes: this.changes, states: this.states } = dependencies);
    this.changes.subscribe(ChangeTopic.FEATURE, () => this.states.clear());
  }

  async list(): Promise<FeatureSetting[]> {
    return this.dataSource.getRepository(FeatureSetting).find({ order: { feature: 'ASC' } });
  }

  async isEnabled(feature: Feature): Promise<boolean> {
    const state = await this.states.getOrLoad(feature, () => this.readState(feature));
    return state!.enabled;
  }

  private async readState(feature: Feature): Promise<{ enabled: boolean }> {
    const [setting] = await rows<{ enabled: boolean }>(
      this.dataSource,
      'SELECT enabled FROM feature_setting WHERE feature = $1',
      [feature],
    );
    return { enabled: setting?.enabled ?? false };
  }

  /**
   * Idempotent and safe when admins act at once: the row is locked, and the state, updatedAt and
   * updatedBy change (with an audit entry) only when the state really changes, so every answer is
   * the row as its own call left it. clock_timestamp(), not now(): the time of the change, not of
   * a transaction that may have waited for the lock, so updatedAt never goes backwards.
   */
  async setEnabled(caller: Caller, feature: Feature, enabled: boolean): Promise<FeatureSetting> {
    return this.dataSource.transaction(async (manager) => {
      const [before] = await rows<{ enabled: boolean }>(
        manager,
        'SELECT enabled FROM feature_setting WHERE feature = $1 FOR UPDATE',
        [feature],
      );
      if (before.enabled !== enabled) {
        await manager.query(
          'UPDATE feature_setting SET enabled = $2, updated_at = clock_timestamp(), updated_by_id = $3 WHERE feature = $1',
          [feature, enabled, caller.user?.id ?? null],
        );
        await this.audit.record(manager, caller, {
          action: enabled ? AuditAction.FEATURE_ENABLED : AuditAction.FEATURE_DISABLED,
          targetType: 'FEATURE',
          targetId: feature,
        });
        await this.changes.publish(ChangeTopic.FEATURE, feature, manager);
      }
      const [setting] = await rows<FeatureSetting>(manager, `SELECT ${COLUMNS} FROM feature_setting WHERE feature = $1`, [feature]);
      return this.dataSource.getRepository(FeatureSetting).create(setting);
    });
  }
}
