import { Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../graphql/pagination';
import { AccessToken } from './access-token.entity';
import type { TokenPage } from './access-token.repository';

@ObjectType({ simpleResolvers: true })
export class AccessTokenEdge {
  @Field()
  cursor: string;

  @Field(() => AccessToken)
  node: AccessToken;
}

@ObjectType({ simpleResolvers: true })
export class AccessTokenConnection {
  @Field(() => [AccessTokenEdge])
  edges: AccessTokenEdge[];

  @Field(() => [AccessToken])
  nodes: AccessToken[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  private countTotal: () => Promise<number>;

  /** Counted with a query of its own, only when a client asks for it. */
  @Field(() => Int)
  totalCount(): Promise<number> {
    return this.countTotal();
  }

  static of(page: TokenPage): AccessTokenConnection {
    const connection = new AccessTokenConnection();
    connection.edges = page.edges.map((edge) => Object.assign(new AccessTokenEdge(), edge));
    connection.nodes = page.edges.map((edge) => edge.node);
    connection.pageInfo = Object.assign(new PageInfo(), {
      hasNextPage: page.hasNextPage,
      endCursor: page.edges.at(-1)?.cursor ?? null,
    });
    connection.countTotal = page.totalCount;
    return connection;
  }
}
