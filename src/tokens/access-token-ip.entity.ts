import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AccessToken } from './access-token.entity';

/** One of the few addresses a token was recently used from (the last five are kept). */
@ObjectType({ description: 'An address a token was recently used from.', simpleResolvers: true })
@Entity('access_token_ip')
export class AccessTokenIp {
  @PrimaryColumn({ name: 'token_id', type: 'text' })
  tokenId: string;

  @Field()
  @PrimaryColumn({ name: 'ip', type: 'text' })
  ipAddress: string;

  @Field(() => Date)
  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3 })
  lastUsedDate: Date;

  @ManyToOne(() => AccessToken, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'token_id' })
  token?: AccessToken;
}
