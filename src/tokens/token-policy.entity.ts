import { Field, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { LastChange } from '../directory/last-change.entity';

/** The environment's expiry policy for new and rotated tokens: a single row. */
@ObjectType({ description: 'The expiry policy for new and rotated tokens. Existing tokens are not changed by it.', simpleResolvers: true })
@Entity('token_policy')
@Check('token_policy_single_row', `id`)
@Check('token_policy_max_lifetime', `max_lifetime_days IS NULL OR max_lifetime_days BETWEEN 1 AND 3650`)
export class TokenPolicy extends LastChange {
  @PrimaryColumn({ type: 'boolean', default: true })
  id: boolean;

  @Field({ description: 'New and rotated tokens must have an expirationDate.' })
  @Column({ name: 'require_expiration', type: 'boolean', default: false })
  requireExpiration: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'The longest lifetime of a new or rotated token, in days; null: no limit. Implies requireExpiration.',
  })
  @Column({ name: 'max_lifetime_days', type: 'int', nullable: true })
  maxLifetimeDays: number | null;
}
