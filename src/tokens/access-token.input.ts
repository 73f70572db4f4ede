import { Field, ID, InputType, Int } from 'type-graphql';
import { NAME_RULES } from '../validation';
import { AccessTokenStatus } from './access-token-status';
import { AccessTokenSortField } from './access-token.order';
import { SortDirection } from '../graphql/pagination';

@InputType()
export class AccessTokenFilter {
  @Field(() => ID, { nullable: true, description: "Only this user's tokens (the id of a User)." })
  ownerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only personal access tokens; false: only classic API tokens.' })
  personalAccessToken?: boolean | null;

  @Field(() => [ID], { nullable: true, description: 'Tokens carrying any of these scopes.' })
  scopes?: string[] | null;

  @Field(() => [AccessTokenStatus], { nullable: true, description: 'Tokens in any of these statuses.' })
  status?: AccessTokenStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive; % and _ match themselves.' })
  nameContains?: string | null;

  @Field(() => Date, { nullable: true, description: 'Not used since this date; never-used tokens match too.' })
  lastUsedBefore?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Used since this date.' })
  lastUsedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Expires before this date (tokens without expiry never match).' })
  expiringBefore?: Date | null;
}

@InputType()
export class AccessTokenOrder {
  @Field(() => AccessTokenSortField, { description: 'What to sort by.' })
  field: AccessTokenSortField;

  @Field(() => SortDirection, { nullable: true, description: 'DESC when omitted.' })
  direction?: SortDirection | null;
}

@InputType()
export class CreateApiTokenInput {
  @Field({ description: `What the token is for, shown in lists. ${NAME_RULES}` })
  name: string;

  @Field(() => [ID], { description: 'Scope values, e.g. "metrics.read"; the `scopes` query lists them all.' })
  scopes: string[];

  @Field(() => Date, { nullable: true, description: 'Omit for no expiry, where the expiry policy allows it.' })
  expirationDate?: Date | null;
}

/** A classic token's fields, and a PAT's own: the zones it is restricted to. */
@InputType()
export class CreatePersonalAccessTokenInput extends CreateApiTokenInput {
  @Field(() => [ID], {
    nullable: true,
    description:
      'Restrict the token to these management zones: authorize then answers with the zones both the owner and ' +
      'the token may reach. Narrows, never widens. Omit for no restriction.',
  })
  managementZoneIds?: string[] | null;
}

@InputType()
export class UpdateAccessTokenInput {
  @Field(() => String, { nullable: true, description: `A new name; kept when omitted. ${NAME_RULES}` })
  name?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the whole list; kept when omitted.' })
  scopes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'false disables the token until it is enabled again; kept when omitted.' })
  enabled?: boolean | null;
}

@InputType()
export class RotateAccessTokenInput {
  @Field(() => Int, {
    nullable: true,
    description:
      'Seconds the previous secret keeps working (0 to 86400, default 0). Its use after that revokes the token.',
  })
  gracePeriodSeconds?: number | null;

  @Field(() => Date, { nullable: true, description: 'A new expiration date; the current one is kept when omitted.' })
  expirationDate?: Date | null;
}

@InputType()
export class TokenPolicyInput {
  @Field({ description: 'New and rotated tokens must have an expirationDate.' })
  requireExpiration: boolean;

  @Field(() => Int, { nullable: true, description: 'The longest lifetime in days (1 to 3650); null: no limit.' })
  maxLifetimeDays?: number | null;
}
