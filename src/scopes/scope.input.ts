import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class ScopeFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on value, name or description.' })
  search?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Only these API values.' })
  values?: string[] | null;
}
