import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import Fastify from 'fastify';
import mercurius from 'mercurius';
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
