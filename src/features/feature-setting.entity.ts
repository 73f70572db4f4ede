import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LastChange } from '../directory/last-change.entity';
import { Feature } from './feature.enum';

@ObjectType({ simpleResolvers: true })
@Entity('feature_setting')
export class FeatureSetting extends LastChange {
  @Field(() => Feature)
  @PrimaryColumn({ type: 'enum', enum: Feature, enumName: 'feature' })
  feature: Feature;

  @Field()
  @Column({ type: 'boolean', default: false })
  enabled: boolean;
}
