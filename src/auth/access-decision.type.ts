import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ManagementZone } from '../directory/management-zone.entity';
import { Scope } from '../scopes/scope.entity';

export enum AccessDenialReason {
  MISSING_SCOPE = 'MISSING_SCOPE',
  MISSING_PERMISSION = 'MISSING_PERMISSION',
  MANAGEMENT_ZONE_NOT_PERMITTED = 'MANAGEMENT_ZONE_NOT_PERMITTED',
}

registerEnumType(AccessDenialReason, { name: 'AccessDenialReason' });

@ObjectType({ description: 'Whether the calling token may use a scope, and on which data.', simpleResolvers: true })
export class AccessDecision {
  @Field()
  allowed: boolean;

  @Field(() => Scope)
  scope: Scope;

  @Field(() => AccessDenialReason, { nullable: true, description: 'Null when allowed.' })
  reason: AccessDenialReason | null;

  @Field(() => [ManagementZone], {
    nullable: true,
    description: 'The zones the data must be limited to; null means the whole environment. Empty when denied.',
  })
  managementZones: ManagementZone[] | null;
}
