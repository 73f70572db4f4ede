import { Field, ObjectType } from 'type-graphql';
import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { User } from './user.entity';

/** When a setting of the environment (a feature's switch, the expiry policy) last changed, and by whom. */
@ObjectType({ simpleResolvers: true })
export abstract class LastChange {
  @Field(() => Date, { nullable: true })
  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, nullable: true })
  updatedAt: Date | null;

  @Column({ name: 'updated_by_id', type: 'uuid', nullable: true })
  updatedById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by_id' })
  updatedBy?: User;
}
