import { ObjectType } from 'type-graphql';
import { Check, Entity, Index } from 'typeorm';
import { NamedEntity } from './named.entity';

@ObjectType({ simpleResolvers: true })
@Entity('user_group')
@Check('user_group_name_length', `char_length(name) BETWEEN 1 AND 200`)
@Index('user_group_name_unique', { synchronize: false })
export class Group extends NamedEntity {}
