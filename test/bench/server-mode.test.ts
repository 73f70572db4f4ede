import { AUTHORIZE_QUERY, LIST_QUERY, SCOPES_QUERY } from '../../bench/cases';
import type { ScopeRow } from '../../bench/protocol';
import { httpRequest, send } from '../../bench/graphql-client';

/**
 * The bench's ratios divide by a bare Apollo Server, which runs about twice as fast in production
 * mode as in development: its baselines must run in production mode whatever the environment of
 * whoever runs the bench. They are started here as `npm run bench` starts them, by the bench's own
 * compiled code (`npm test` builds dist/ first; it forks dist/bench/child.js), from a parent whose
 * NODE_ENV is development. No load is run.
 */
const { SERVER_NODE_ENV, withServer } = require('../../dist/bench/child-server.js') as typeof import('../../bench/child-server');

const SCOPES: ScopeRow[] = [{ value: 'metrics.read', name: 'Read metrics', description: 'Read metrics of the environment' }];

/** A page as the service answers case (d)'s query, one token long. */
const PAGE = {
  edges: [
    {
      cursor: 'eyJrIjoxfQ==',
      node: {
        id: 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX',
        name: 'ci',
        status: 'ACTIVE',
        personalAccessToken: true,
        creationDate: '2026-12-01T08:00:00.000Z',
        expirationDate: null,
        owner: { id: '1', subject: 'someone', email: null },
        scopes: [{ value: 'metrics.read', name: 'Read metrics' }],
      },
    },
  ],
  pageInfo: { endCursor: 'eyJrIjoxfQ==', hasNextPage: false },
};

// Jest gives a test its own copy of process.env, which is what the bench's code reads here: a fork
// that passed no env at all would hand the child Jest's real environment (NODE_ENV=test) instead.
let parentNodeEnv: string | undefined;
beforeAll(() => {
  parentNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
});
afterAll(() => {
  if (parentNodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = parentNodeEnv;
});

describe('the bench baselines, started from a parent in development mode', () => {
  it.each(['apollo', 'mercurius'] as const)('the %s baseline reports running with NODE_ENV=production and serves the scopes', async (kind) => {
    expect(SERVER_NODE_ENV).toBe('production');
    await withServer(kind, { scopes: SCOPES }, async (server) => {
      expect(server.info.nodeEnv).toBe('production');
      expect(server.info.pid).not.toBe(process.pid);
      const answer = await send<{ scopes: ScopeRow[] }>(httpRequest({ url: server.info.url, query: SCOPES_QUERY }));
      expect(answer.data.scopes).toEqual(SCOPES);
    });
  });

  it('the floor (Apollo\'s pipeline alone) runs in production mode too, and answers (c)\'s query and the scopes and page it was given', async () => {
    await withServer('floor', { scopes: SCOPES, page: PAGE }, async (server) => {
      expect(server.info.nodeEnv).toBe('production');
      const answer = await send<{ authorize: { allowed: boolean } }>(httpRequest({ url: server.info.url, query: AUTHORIZE_QUERY }));
      expect(answer.data.authorize.allowed).toBe(true);
      const scopes = await send<{ scopes: ScopeRow[] }>(httpRequest({ url: server.info.url, query: SCOPES_QUERY }));
      expect(scopes.data.scopes).toEqual(SCOPES);
      const page = await send<{ accessTokens: unknown }>(httpRequest({ url: server.info.url, query: LIST_QUERY, variables: { first: 1 } }));
      expect(page.data.accessTokens).toEqual(PAGE);
    });
  });

  it('bare Apollo refuses introspection, as it does by default only in production mode', async () => {
    await withServer('apollo', { scopes: SCOPES }, async (server) => {
      const response = await fetch(server.info.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      expect(response.status).toBe(400);
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });
  });
});
