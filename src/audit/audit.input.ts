import { Field, ID, InputType } from 'type-graphql';
import { AuditAction } from './audit-action.enum';

@InputType()
export class AuditEventFilter {
  @Field(() => [AuditAction], { nullable: true })
  actions?: AuditAction[] | null;

  @Field(() => ID, { nullable: true, description: 'A token id, group id, user id, zone id or feature name.' })
  targetId?: string | null;

  @Field(() => ID, { nullable: true })
  actorUserId?: string | null;

  @Field(() => Date, { nullable: true })
  occurredAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  occurredBefore?: Date | null;
}
