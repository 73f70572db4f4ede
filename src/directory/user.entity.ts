import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Auth, type AccessRule } from '../graphql/access-rules';
import { Permission } from './permission.enum';

/**
 * Who may read a user's identity (subject, email, permissions): the user itself and whoever may
 * list users (`users`). Anybody else who reaches a User (an updatedBy, a token's owner) sees its
 * id and name.
 */
export const IDENTITY: AccessRule = { scope: 'settings.read', permission: Permission.ADMIN, self: true };

@ObjectType()
@Entity('app_user')
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'The subject (sub claim) of the user\'s sign-in tokens.' })
  @Auth(IDENTITY)
  @Column({ type: 'text', unique: true })
  subject: string;

  @Field(() => String, { nullable: true })
  @Auth(IDENTITY)
  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Field({ description: 'False once an admin deactivated the user: it cannot sign in, and its PATs are SUSPENDED.' })
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
