import { ObjectType } from 'type-graphql';
import { Check, Entity, Index } from 'typeorm';
import { NamedEntity } from './named.entity';

@ObjectType({ simpleResolvers: true })
@Entity('management_zone')
@Check('management_zone_name_length', `char_length(name) BETWEEN 1 AND 200`)
@Index('management_zone_name_unique', { synchronize: false })
export class ManagementZone extends NamedEntity {}
