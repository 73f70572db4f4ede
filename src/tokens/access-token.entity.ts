import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Permission } from '../directory/permission.enum';
import { User } from '../directory/user.entity';
import type { AccessRule } from '../graphql/access-rules';

/**
 * Who may read what a token reveals of its owner (where it was used from, what its owner may do
 * with it, the zones it is restricted to): the owner of a PAT (signed in, or with any of its tokens),
 * and whoever administers tokens, with the scope `accessTokens` needs. Anybody else who reaches a
 * token (`lookupAccessToken` with a secret found somewhere) reads its name, status and dates.
 */
export const OWNER_OR_TOKEN_ADMINISTRATOR: AccessRule = { scope: 'apiTokens.read', permission: Permission.ADMIN, self: true };

/**
 * An access token. The secret is never stored: only its keyed hash, which has no GraphQL field.
 * Status, owner and scopes are resolved by AccessTokenResolver.
 */
@ObjectType({ simpleResolvers: true })
@Entity('access_token')
@Check('access_token_id_format', `id ~ '^dt0c01\\.[A-Z0-9]{24}$'`)
@Check('access_token_name_length', `char_length(name) BETWEEN 1 AND 200`)
@Check('access_token_hash_length', `octet_length(secret_hash) = 32`)
@Check('access_token_previous_hash_length', `previous_secret_hash IS NULL OR octet_length(previous_secret_hash) = 32`)
@Check('access_token_expiry_after_creation', `expires_at IS NULL OR expires_at > created_at`)
@Check('access_token_administrator_disable', `NOT (enabled AND disabled_by_administrator)`)
@Index('access_token_owner_page', ['ownerId', 'creationDate', 'id'])
@Index('access_token_page', ['creationDate', 'id'])
@Index('access_token_expiry', ['expirationDate'])
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

  /** The hash of the secret before the last rotation: valid until previousSecretValidUntil, a sign of theft after. */
  @Column({ name: 'previous_secret_hash', type: 'bytea', nullable: true })
  previousSecretHash: Buffer | null;

  @Column({ name: 'previous_secret_valid_until', type: 'timestamptz', precision: 3, nullable: true })
  previousSecretValidUntil: Date | null;

  @Field()
  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Field({
    description:
      'True while the token is disabled by an administrator (not its owner): only an administrator can enable it again. ' +
      'A token its owner disabled is enabled by its owner alone.',
  })
  @Column({ name: 'disabled_by_administrator', type: 'boolean', default: false })
  disabledByAdministrator: boolean;

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

  /** Set once the first refused use of the expired token was recorded in the audit log. */
  @Column({ name: 'expiry_audited', type: 'boolean', default: false })
  expiryAudited: boolean;

  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3, nullable: true })
  lastUsedDate: Date | null;

  @Column({ name: 'last_used_ip', type: 'text', nullable: true })
  lastUsedIpAddress: string | null;
}
