import { Field, ID, InputType } from 'type-graphql';
import { AccessTokenStatus } from './access-token-status';

@InputType()
export class AccessTokenFilter {
  @Field(() => ID, { nullable: true })
  ownerId?: string | null;

  @Field(() => Boolean, { nullable: true })
  personalAccessToken?: boolean | null;

  @Field(() => [ID], { nullable: true, description: 'Tokens carrying any of these scopes.' })
  scopes?: string[] | null;

  @Field(() => [AccessTokenStatus], { nullable: true })
  status?: AccessTokenStatus[] | null;

  @Field(() => String, { nullable: true })
  nameContains?: string | null;
}

@InputType()
export class CreatePersonalAccessTokenInput {
  @Field()
  name: string;

  @Field(() => [ID])
  scopes: string[];

  @Field(() => Date, { nullable: true, description: 'Omit for no expiry, where the expiry policy allows it.' })
  expirationDate?: Date | null;
}

@InputType()
export class CreateApiTokenInput {
  @Field()
  name: string;

  @Field(() => [ID])
  scopes: string[];

  @Field(() => Date, { nullable: true })
  expirationDate?: Date | null;
}

@InputType()
export class UpdateAccessTokenInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the whole list.' })
  scopes?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}
