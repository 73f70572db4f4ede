import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AuditAction } from './audit-action.enum';

/**
 * One state change, written in the transaction of the change itself. Actors and targets are kept
 * as plain ids (no foreign keys), so the record outlives a deleted token. Never a secret or a hash.
 */
@ObjectType({ description: 'A recorded state change: who did what to which target, when and from where.', simpleResolvers: true })
@Entity('audit_event')
@Index('audit_event_subject_user', ['subjectUserId', 'id'])
@Index('audit_event_target', ['targetId', 'id'])
@Index('audit_event_actor_user', ['actorUserId', 'id'])
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Field(() => Date)
  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3, default: () => 'clock_timestamp()' })
  occurredAt: Date;

  @Field(() => AuditAction)
  @Column({ type: 'enum', enum: AuditAction, enumName: 'audit_action' })
  action: AuditAction;

  @Field(() => ID, { nullable: true, description: 'The acting user; null for an anonymous leak report.' })
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The access token the actor used, when it used one. Null to a reader who is not an admin, unless the reader acted.',
  })
  @Column({ name: 'actor_token_id', type: 'text', nullable: true })
  actorTokenId: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The address the change came from. A reader who is not an admin sees it for its own actions and for uses of its ' +
      'token with a replaced or expired secret; null when another user or a leak\'s reporter acted.',
  })
  @Column({ name: 'client_ip', type: 'text', nullable: true })
  clientIp: string | null;

  @Field({ description: 'ACCESS_TOKEN, FEATURE, MANAGEMENT_ZONE, GROUP, USER or TOKEN_POLICY.' })
  @Column({ name: 'target_type', type: 'text' })
  targetType: string;

  @Field(() => ID)
  @Column({ name: 'target_id', type: 'text' })
  targetId: string;

  /** The user the event is about (a token's owner), so users can read the events of their own tokens. */
  @Column({ name: 'subject_user_id', type: 'uuid', nullable: true })
  subjectUserId: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  details: Record<string, unknown>;
}
