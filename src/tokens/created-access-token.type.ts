import { Field, ObjectType } from 'type-graphql';
import { AccessToken } from './access-token.entity';

@ObjectType({ description: 'Returned once, at creation or rotation: the only time the secret is ever shown.', simpleResolvers: true })
export class CreatedAccessToken {
  @Field({ description: 'The full secret token, e.g. dt0c01.<24 public>.<64 secret>.' })
  token: string;

  @Field(() => AccessToken)
  accessToken: AccessToken;
}
