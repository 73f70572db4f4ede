import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../directory/user.entity';

/**
 * An access token. The secret is never stored: only its keyed hash, which has no GraphQL field.
 * Status, owner and scopes are resolved by AccessTokenResolver.
 */
@ObjectType()
@Entity('access_token')
@Check('access_token_id_format', `id ~ '^dt0c01\\.[A-Z0-9]{24}$'`)
@Check('access_token_name_length', `char_length(name) BETWEEN 1 AND 200`)
@Check('access_token_hash_length', `octet_length(secret_hash) = 32`)
@Check('access_token_expiry_after_creation', `expires_at IS NULL OR expires_at > created_at`)
@Index('access_token_owner_page', ['ownerId', 'creationDate', 'id'])
@Index('access_token_page', ['creationDate', 'id'])
export class AccessToken {
  @Field(() => ID, {
    description:
      'The token\'s public identifier: its prefix and public part, e.g. dt0c01.ST2EY72KQINMH574WMNVI7YN. Safe to log.',
  })
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'secret_hash', type: 'bytea' })
  secretHash: Buffer;

  @Field()
  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Field()
  @Column({ name: 'personal', type: 'boolean' })
  personalAccessToken: boolean;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  creationDate: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expirationDate: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'modified_at', type: 'timestamptz', precision: 3, nullable: true })
  modifiedDate: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3, nullable: true })
  lastUsedDate: Date | null;

  @Column({ name: 'last_used_ip', type: 'text', nullable: true })
  lastUsedIpAddress: string | null;
}
