import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Scope } from '../scopes/scope.entity';
import { AccessToken } from './access-token.entity';

@Entity('access_token_scope')
@Index('access_token_scope_by_scope', ['scopeValue'])
export class AccessTokenScope {
  @PrimaryColumn({ name: 'token_id', type: 'text' })
  tokenId: string;

  @PrimaryColumn({ name: 'scope_value', type: 'text' })
  scopeValue: string;

  @ManyToOne(() => AccessToken, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'token_id' })
  token?: AccessToken;

  @ManyToOne(() => Scope, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'scope_value' })
  scope?: Scope;
}
