import type { DataSource } from 'typeorm';
import { rows } from '../database/sql';
import { Feature } from './feature.enum';
import { FeatureSetting } from './feature-setting.entity';

const COLUMNS = `feature, enabled, updated_at AS "updatedAt", updated_by_id AS "updatedById"`;

export class FeatureService {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<FeatureSetting[]> {
    return this.dataSource.getRepository(FeatureSetting).find({ order: { feature: 'ASC' } });
  }

  async isEnabled(feature: Feature): Promise<boolean> {
    const [setting] = await rows<{ enabled: boolean }>(
      this.dataSource,
      'SELECT enabled FROM feature_setting WHERE feature = $1',
      [feature],
    );
    return setting?.enabled ?? false;
  }

  /**
   * Idempotent and safe when admins act at once: one UPDATE takes the row lock and changes the
   * state, updatedAt and updatedBy only when the state really changes, so every answer is the
   * row as its own call left it. clock_timestamp(), not now(): the time of the change, not of a
   * transaction that may have waited for the lock, so updatedAt never goes backwards.
   */
  async setEnabled(feature: Feature, enabled: boolean, actorId: string | null): Promise<FeatureSetting> {
    const [setting] = await rows<FeatureSetting>(
      this.dataSource,
      `UPDATE feature_setting
          SET updated_at = CASE WHEN enabled <> $2 THEN clock_timestamp() ELSE updated_at END,
              updated_by_id = CASE WHEN enabled <> $2 THEN $3::uuid ELSE updated_by_id END,
              enabled = $2
        WHERE feature = $1 RETURNING ${COLUMNS}`,
      [feature, enabled, actorId],
    );
    return this.dataSource.getRepository(FeatureSetting).create(setting);
  }
}
