import { createServer } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import Fastify from 'fastify';
import { buildSchema } from 'graphql';
import mercurius from 'mercurius';
import { compiledExecution } from '../src/graphql/compiled-executor';
import type { ScopeRow } from './protocol';
import type { ServerHost } from './server-host';

/** The same shape the service answers `{ scopes { value name description } }` with. */
const SCOPES_SDL = `
  type Scope { value: ID! name: String! description: String! }
  type Query { scopes: [Scope!]! }
`;

/** What Apollo Server's constructor and graphql-js (at load) read: the child's own environment. */
function nodeEnv(): string | null {
  return process.env.NODE_ENV ?? null;
}

/**
 * Bare Apollo Server 5 as `startStandaloneServer` sets it up: default configuration and default
 * plugins (landing page, CSRF prevention, no usage reporting without a key), a static resolver.
 * Every ratio the bench prints divides by this one.
 */
export async function startApolloBaseline(scopes: ScopeRow[]): Promise<ServerHost> {
  const server = new ApolloServer({ typeDefs: SCOPES_SDL, resolvers: { Query: { scopes: () => scopes } } });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { info: { url, pid: process.pid, nodeEnv: nodeEnv() }, stop: () => server.stop() };
}

/** mercurius on fastify 5 with graphql-jit (compiled after the first execution of a query), a static resolver. */
export async function startMercuriusBaseline(scopes: ScopeRow[]): Promise<ServerHost> {
  const app = Fastify({ logger: false });
  await app.register(mercurius, { schema: SCOPES_SDL, resolvers: { Query: { scopes: async () => scopes } }, jit: 1 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { info: { url: `http://127.0.0.1:${port}/graphql`, pid: process.pid, nodeEnv: nodeEnv() }, stop: () => app.close() };
}

/**
 * The shapes of the service's `authorize`, `scopes` and `accessTokens` answers (as far as cases (a)
 * to (d) read them), with nothing behind them.
 */
const FLOOR_SDL = `
  type Scope { value: ID! name: String! description: String! }
  type Zone { name: String! }
  type Decision { allowed: Boolean! reason: String managementZones: [Zone!] }
  type User { id: ID! subject: String! email: String }
  type Token {
    id: ID! name: String! status: String! personalAccessToken: Boolean!
    creationDate: String! expirationDate: String owner: User scopes: [Scope!]!
  }
  type Edge { cursor: String! node: Token! }
  type PageInfo { endCursor: String hasNextPage: Boolean! }
  type Connection { edges: [Edge!]! pageInfo: PageInfo! }
  type Query {
    authorize(scope: ID!): Decision!
    scopes: [Scope!]!
    accessTokens(first: Int, after: String): Connection!
  }
`;

/**
 * Apollo Server 5's own request pipeline, configured as the service configures it, and nothing
 * else: driven as the service drives it (`executeHTTPGraphQLRequest` on node:http, the same plugins
 * off, CSRF prevention on) and executing with the service's own executor (graphql-jit through
 * `compiledExecution`), it answers case (c)'s query with a constant, (a)'s and (b)'s `scopes` with
 * the rows the baselines serve, and (d)'s page with the page the service answered. No
 * authentication, rate limit, access rule, database, audit, log line or metric: no service built on
 * Apollo Server answers those queries faster than this, so its req/s over bare Apollo's is the
 * ceiling of those cases' ratios in the same run.
 */
export async function startApolloPipelineFloor(scopes: ScopeRow[], page: unknown): Promise<ServerHost> {
  const decision = { allowed: true, reason: null, managementZones: null };
  const schema = buildSchema(FLOOR_SDL);
  const fields = schema.getQueryType()!.getFields();
  fields.authorize.resolve = () => decision;
  fields.scopes.resolve = () => scopes;
  fields.accessTokens.resolve = () => page;
  const apollo = new ApolloServer({
    gateway: compiledExecution(schema),
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
      const answer = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: request.method ?? 'POST', headers, search: '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) },
        context: async () => ({}),
      });
      for (const [name, value] of answer.headers) response.setHeader(name, value);
      response.statusCode = answer.status ?? 200;
      response.end(answer.body.kind === 'complete' ? answer.body.string : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    info: { url: `http://127.0.0.1:${port}/graphql`, pid: process.pid, nodeEnv: nodeEnv() },
    stop: async () => {
      await apollo.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
