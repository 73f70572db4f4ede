import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import accepts from 'accepts';
import express, { type ErrorRequestHandler } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config, TrustProxy } from '../config';
import { isDatabaseUnavailable } from '../database/unavailable';
import { graphiqlAssets, graphiqlPage } from '../graphiql/graphiql';
import { type Context, type Services, contextMaker } from './context';
import { requestPlugin } from './request-plugin';
import { ErrorCode, rateLimited, serviceUnavailable } from '../graphql/errors';
import { compiledExecution } from '../graphql/compiled-executor';
import { createErrorFormatter } from '../graphql/format-error';
import { queryLimitOptions } from '../graphql/query-limits';
import { clientAddress } from '../http/client-address';
import { graphqlEndpoint, writeRefusal } from '../http/graphql-endpoint';
import { RateLimits } from '../http/rate-limit';
import { securityHeaders } from '../http/security-headers';
import { WEB_APP_PATH, webApp } from '../http/web-app';
import type { Metrics } from '../observability/metrics';
import { metricsRoute } from '../observability/metrics.route';
import { requestObserver } from '../observability/request-observer';

export interface HttpOptions {
  schema: GraphQLSchema;
  services: Services;
  dataSource: DataSource;
  httpServer: Server;
  logger: Logger;
  production: boolean;
  introspection: boolean;
  trustProxy: TrustProxy;
  metrics: Metrics;
  /**
   * When set, the public listener serves GET /metrics to `Authorization: Bearer <metricsToken>`;
   * unset, it does not serve it at all (the metrics listener does, see service.ts).
   */
  metricsToken?: string;
  /** Request body, query and rate limits. */
  limits: Config['limits'];
  /** On SIGTERM, how long requests in flight may take before their connections are closed. */
  drainTimeoutMs?: number;
  /** Development: a refused credential's log line names why (clients still only hear UNAUTHENTICATED). */
  explainRefusals?: boolean;
}

/** A browser opening /graphql gets GraphiQL; a GraphQL client asking for JSON gets the GraphQL endpoint. */
function wantsHtml(request: IncomingMessage): boolean {
  return request.method === 'GET' && accepts(request).type(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

function isGraphQLPath(url: string | undefined): boolean {
  const end = url?.indexOf('?') ?? -1;
  const path = end < 0 ? url : url?.slice(0, end);
  return path === '/graphql' || path === '/graphql/';
}

/** The HTTP face of the service: /graphql (with GraphiQL for browsers), the token settings app, /healthz, /readyz, and /metrics with METRICS_TOKEN. */
export async function createHttpApp(options: HttpOptions): Promise<{ handler: RequestListener; apollo: ApolloServer<Context> }> {
  const rateLimits = new RateLimits(options.limits.rate);
  const apollo = new ApolloServer<Context>({
    ...queryLimitOptions(options.limits.query),
    // Apollo parses, validates and runs the plugins; execution is graphql-jit's compiled code.
    gateway: compiledExecution(options.schema),
    logger: options.logger,
    introspection: options.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts owns the signals: drain, flush, close the pool, stop the embedded database, then exit.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: options.production,
    formatError: createErrorFormatter((error) => options.logger.error({ err: error }, 'unexpected error in a request')),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer, stopGracePeriodMillis: options.drainTimeoutMs }),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL answers here, and the default plugin costs a hook per resolved field.
      ApolloServerPluginCacheControlDisabled(),
      // Nothing here is a federated subgraph: Apollo's inline tracing would only ask so at every request.
      ApolloServerPluginInlineTraceDisabled(),
      requestPlugin({ maxCost: options.limits.query.maxCost, rateLimits }),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // GraphQL answers are personal and never revalidated: hashing every body for an ETag is wasted work.
  app.set('etag', false);
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', async (_request, response) => {
    try {
      await options.dataSource.query('SELECT 1');
      response.json({ status: 'ready' });
    } catch {
      response.status(503).json({ status: 'database unavailable' });
    }
  });
  // Why a credential was refused is counted there, which the API hides: never open to anybody here.
  if (options.metricsToken !== undefined) app.get('/metrics', metricsRoute({ metrics: options.metrics, token: options.metricsToken }));
  // The GraphiQL page and its assets, the token settings app, and the 404 answers.
  app.use(securityHeaders());
  app.use('/graphiql', graphiqlAssets());
  app.use(WEB_APP_PATH.slice(0, -1), webApp());
  // Only a browser's GET of /graphql comes here (see `handler`): every GraphQL request goes to the endpoint.
  app.get('/graphql', (_request, response) => {
    response.type('html').send(graphiqlPage('/graphql'));
  });
  app.use((_request, response) => {
    writeRefusal(response, new GraphQLError('Not found', { extensions: { code: ErrorCode.NOT_FOUND, http: { status: 404 } } }));
  });
  app.use(requestErrorHandler(options.logger));

  const createContext = contextMaker(options.services, { explainRefusals: options.explainRefusals });
  const graphql = graphqlEndpoint<Context>({
    apollo,
    logger: options.logger,
    bodyLimitBytes: options.limits.bodyBytes,
    // Every request, even one refused before GraphQL runs, gets an id, a log line and a metrics sample.
    observe: requestObserver({ logger: options.logger, metrics: options.metrics }),
    clientAddress: clientAddress(options.trustProxy),
    admit: async (ip) => {
      const waitSeconds = await rateLimits.fromAddress(ip);
      if (waitSeconds > 0) throw rateLimited(waitSeconds);
    },
    context: ({ headers, ip, observed }) => {
      const { authorization } = headers;
      return rateLimits
        .context(ip, ({ cachedOnly }) => createContext({ authorization, ip, trace: observed.trace, cachedOnly }))
        .catch(contextFailed);
    },
  });
  // GraphQL requests go straight to Apollo: Express's router and middleware chain cost more than the query.
  const handler: RequestListener = (request, response) => {
    if (isGraphQLPath(request.url) && !wantsHtml(request)) graphql(request, response);
    else app(request, response);
  };
  return { handler, apollo };
}

/** A context that could not be made because PostgreSQL is out of reach is a 503 the client may retry, not a 500. */
function contextFailed(error: unknown): never {
  throw isDatabaseUnavailable(error) ? serviceUnavailable() : error;
}

/** A failure of the other routes (a static asset's path that cannot be decoded, a bug) as JSON, never Express's HTML page with a stack trace. */
function requestErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; statusCode?: number }, _request, response, next) => {
    if (response.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) logger.error({ err: error }, 'unexpected error in a request');
    const [message, code] = status < 500 ? ['Bad request', 'BAD_REQUEST'] : ['Internal server error', 'INTERNAL_SERVER_ERROR'];
    writeRefusal(response, new GraphQLError(message, { extensions: { code, http: { status } } }));
  };
}
