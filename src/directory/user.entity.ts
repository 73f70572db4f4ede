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

@ObjectType({ simpleResolvers: true })
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

/** The entity's fields and their columns in app_user: the one list plain SQL reads users with. */
const USER_FIELDS: Record<string, string> = { id: 'id', subject: 'subject', email: 'email', name: 'name', active: 'active', createdAt: 'created_at' };

/** The user columns as the entity's fields, over the table alias `alias`: `u.id, …, u.created_at AS "createdAt"`. */
export function userColumns(alias: string): string {
  return Object.entries(USER_FIELDS)
    .map(([field, column]) => (field === column ? `${alias}.${column}` : `${alias}.${column} AS "${field}"`))
    .join(', ');
}

/** The same as one JSON object, for a user read beside another row (a token's owner). */
export function userColumnsJson(alias: string): string {
  return `json_build_object(${Object.entries(USER_FIELDS).map(([field, column]) => `'${field}', ${alias}.${column}`).join(', ')})`;
}

export function userFromJson(json: Record<string, unknown>): User {
  return Object.assign(new User(), json, { createdAt: new Date(json.createdAt as string) });
}

/**
 * The user columns for jsonRows beside another row's (a token's owner), each named `<prefix><field>`:
 * plain columns cost PostgreSQL less than a JSON object (userColumnsJson) built per row.
 */
export function prefixedUserColumns(alias: string, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(USER_FIELDS).map(([field, column]) => [`${prefix}${field}`, `${alias}.${column}`]));
}

const USER_FIELD_NAMES = Object.keys(USER_FIELDS);

/** The user in a row read with prefixedUserColumns and the same prefix. */
export function userFromPrefixedColumns(row: Record<string, unknown>, prefix: string): User {
  const user = new User() as unknown as Record<string, unknown>;
  for (const field of USER_FIELD_NAMES) user[field] = row[`${prefix}${field}`];
  user.createdAt = new Date(user.createdAt as string);
  return user as unknown as User;
}
