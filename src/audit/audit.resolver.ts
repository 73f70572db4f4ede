import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../graphql/access-rules';
import type { Context } from '../app/context';
import { AuditEvent } from './audit-event.entity';
import { AuditEventFilter } from './audit.input';
import { AFTER_ARGUMENT, FIRST_ARGUMENT, pageSize, PageInfo } from '../graphql/pagination';

@ObjectType({ simpleResolvers: true })
export class AuditEventConnection {
  @Field(() => [AuditEvent])
  nodes: AuditEvent[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, {
    description: 'Recorded changes, newest first: every entry for an admin, else the entries about your own tokens and account.',
  })
  @Auth({ scope: 'apiTokens.read' })
  async auditEvents(
    @Arg('filter', () => AuditEventFilter, { nullable: true, description: 'Every event the caller may see when omitted.' }) filter: AuditEventFilter | null,
    @Arg('first', () => Int, { nullable: true, description: FIRST_ARGUMENT }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_ARGUMENT }) after: string | null,
    @Ctx() context: Context,
  ): Promise<AuditEventConnection> {
    const page = await context.services.audit.list(context.caller, filter ?? {}, pageSize(first), after);
    return Object.assign(new AuditEventConnection(), {
      nodes: page.events,
      pageInfo: Object.assign(new PageInfo(), { hasNextPage: page.hasNextPage, endCursor: page.events.at(-1)?.id ?? null }),
    });
  }

  @FieldResolver(() => String, { description: 'Details of the change as a JSON object (never a secret).' })
  details(@Root() event: AuditEvent): string {
    return JSON.stringify(event.details);
  }
}
