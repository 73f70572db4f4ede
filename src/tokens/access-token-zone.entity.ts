import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ManagementZone } from '../directory/management-zone.entity';
import { AccessToken } from './access-token.entity';

/** A PAT restricted to some management zones; a token with no rows here is not restricted. */
@Entity('access_token_zone')
@Index('access_token_zone_by_zone', ['managementZoneId'])
export class AccessTokenZone {
  @PrimaryColumn({ name: 'token_id', type: 'text' })
  tokenId: string;

  @PrimaryColumn({ name: 'management_zone_id', type: 'uuid' })
  managementZoneId: string;

  @ManyToOne(() => AccessToken, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'token_id' })
  token?: AccessToken;

  // RESTRICT: dropping a zone must never silently lift a restriction and widen a token's reach.
  @ManyToOne(() => ManagementZone, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'management_zone_id' })
  managementZone?: ManagementZone;
}
