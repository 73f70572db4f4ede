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
   * Idempotent and safe when admins act at once: one conditional UPDATE flips the row only when
   * it is not already in the wanted state, so updatedAt and updatedBy name whoever really changed it.
   */
  async setEnabled(feature: Feature, enabled: boolean, actorId: string | null): Promise<FeatureSetting> {
    const [changed] = await rows<FeatureSetting>(
      this.dataSource,
      `UPDATE feature_setting SET enabled = $2, updated_at = now(), updated_by_id = $3
        WHERE feature = $1 AND enabled <> $2 RETURNING ${COLUMNS}`,
      [feature, enabled, actorId],
    );
    if (changed) return this.dataSource.getRepository(FeatureSetting).create(changed);
    return this.dataSource.getRepository(FeatureSetting).findOneByOrFail({ feature });
  }
}
