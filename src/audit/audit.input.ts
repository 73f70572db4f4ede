import { Field, ID, InputType } from 'type-graphql';
import { AuditAction } from './audit-action.enum';

@InputType()
export class AuditEventFilter {
  @Field(() => [AuditAction], { nullable: true, description: 'Events of any of these actions.' })
  actions?: AuditAction[] | null;

  @Field(() => ID, { nullable: true, description: 'A token id, group id, user id, zone id or feature name.' })
  targetId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Events caused by this user (the id of a User).' })
  actorUserId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Events after this moment.' })
  occurredAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Events before this moment.' })
  occurredBefore?: Date | null;
}
