import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../directory/user.entity';
import { Feature } from './feature.enum';

@ObjectType()
@Entity('feature_setting')
export class FeatureSetting {
  @Field(() => Feature)
  @PrimaryColumn({ type: 'enum', enum: Feature, enumName: 'feature' })
  feature: Feature;

  @Field()
  @Column({ type: 'boolean', default: false })
  enabled: boolean;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, nullable: true })
  updatedAt: Date | null;

  @Column({ name: 'updated_by_id', type: 'uuid', nullable: true })
  updatedById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by_id' })
  updatedBy?: User;
}
