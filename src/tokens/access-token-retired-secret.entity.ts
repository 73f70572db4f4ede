import { Check, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AccessToken } from './access-token.entity';

/**
 * The keyed hash of every secret a rotation replaced, beyond the one still in its grace period,
 * kept so that any old secret presented again is recognised as reuse (a sign of theft), however
 * many rotations ago it was replaced. Only read when a presented secret matched nothing else.
 */
@Entity('access_token_retired_secret')
@Check('access_token_retired_secret_hash_length', `octet_length(secret_hash) = 32`)
export class AccessTokenRetiredSecret {
  @PrimaryColumn({ name: 'token_id', type: 'text' })
  tokenId: string;

  @PrimaryColumn({ name: 'secret_hash', type: 'bytea' })
  secretHash: Buffer;

  @CreateDateColumn({ name: 'retired_at', type: 'timestamptz', precision: 3 })
  retiredAt: Date;

  @ManyToOne(() => AccessToken, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'token_id' })
  token?: AccessToken;
}
