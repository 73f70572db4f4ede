import { type Server, createServer } from 'node:http';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AUTHENTICATION_FAILURES } from '../auth/authentication-failure';
import type { Config } from '../config';
import type { ChangeAwareCache } from '../database/change-aware-cache';
import { ChangeNotifier } from '../database/change-notifier';
import { claimDataDirectory } from '../database/data-directory';
import { migrate } from '../database/data-source';
import { createServiceDataSource } from './data-source';
import { QueryCounter } from '../database/query-counter';
import { type EmbeddedDatabase, RUNNING_EMBEDDED_FILE, loadLocalSecrets, startEmbeddedPostgres } from '../database/embedded';
import { errorMessage } from '../describe-error';
import type { User } from '../directory/user.entity';
import { scopesInAccessRules } from '../graphql/access-rules';
import type { Services } from './context';
import { createCaches, createServices } from './services';
import { buildExecutableSchema } from './schema';
import { checkPortFree, close, listen, urlOf } from '../http/listen';
import { createLogger } from '../logger';
import { Metrics } from '../observability/metrics';
import { metricsApp } from '../observability/metrics.route';
import { poolStatisticsOf } from '../observability/pool-statistics';
import { ScopeCatalog } from '../scopes/scope.catalog';
import { createHttpApp } from './http-app';
import { TOKEN_KINDS, TOKEN_REVOCATION_CAUSES } from '../tokens/token-events';

export interface RunningService {
  /** http://HOST:PORT/graphql, with the real port. */
  url: string;
  port: number;
  dataSource: DataSource;
  services: Services;
  /** The bootstrap administrator, when one is configured. */
  bootstrapAdmin: User | null;
  /** Counts the SQL statements sent, for the benchmark and the query-count tests. */
  queryCounter: QueryCounter;
  /** The HS256 secret sign-in tokens are checked with, when sign-in uses one. */
  jwtSecret?: string;
  /** This instance's metrics, served at /metrics; `metrics.cache(name)` gives a cache its hit and miss counters. */
  metrics: Metrics;
  /** http://METRICS_HOST:port/metrics, with the real port; null without METRICS_PORT. */
  metricsUrl: string | null;
  /** Tells every instance on the database about changes, so caches drop what is stale; see change-notifier.ts. */
  changes: ChangeNotifier;
  /** Every cache of the hot paths: the benchmark empties them to see what a request costs when nothing is cached. */
  caches: Pick<ChangeAwareCache<{}>, 'clear'>[];
  stop(): Promise<void>;
}

/** Opens the database, retrying with bounded backoff while PostgreSQL is not up yet. */
async function connect(dataSource: DataSource, logger: Logger, attempts = 8): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await dataSource.initialize();
      return;
    } catch (error) {
      // Node's AggregateError (every address of a host refused) has an empty message; its code says it.
      const reason = errorMessage(error);
      if (attempt >= attempts) {
        throw new Error(`PostgreSQL is not reachable after ${attempts} attempts: ${reason}`);
      }
      const delayMs = Math.min(250 * 2 ** attempt, 5000);
      logger.warn({ attempt, delayMs, reason }, 'waiting for PostgreSQL');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** Starts the whole service: database (embedded unless DATABASE_URL), migrations, GraphQL over HTTP. */
export async function startService(config: Config, logger: Logger = createLogger({ level: config.logLevel })): Promise<RunningService> {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  let tokenPepper = config.tokenPepper;
  let jwtSecret = config.auth.jwtSecret;
  // In embedded mode the data directory is this process's from here on: a second Tessera on it is refused.
  const releaseDataDir = databaseUrl ? undefined : await claimDataDirectory(config.dataDir);
  try {
    await checkPortFree(config.host, config.port);
    if (!databaseUrl) {
      const local = await loadLocalSecrets(config.dataDir);
      tokenPepper ??= local.tokenPepper;
      if (!config.auth.jwksUrl) jwtSecret ??= local.jwtSecret;
      logger.info({ dataDir: config.dataDir }, 'starting the embedded PostgreSQL');
      embedded = await startEmbeddedPostgres({
        directory: join(config.dataDir, 'postgres'),
        password: local.postgresPassword,
        database: 'tessera',
        log: (line) => logger.debug({ postgres: line.trim() }, 'postgres'),
        onOrphanStopped: (pid) => logger.warn({ pid }, 'stopped the embedded PostgreSQL a Tessera that is gone had left running'),
      });
      databaseUrl = embedded.url;
      await writeFile(RUNNING_EMBEDDED_FILE, JSON.stringify({ url: embedded.url }), { mode: 0o600 });
    }
  } catch (error) {
    await embedded?.stop().catch(() => undefined);
    await releaseDataDir?.();
    throw error;
  }
  if (!tokenPepper) throw new Error('TOKEN_PEPPER is required');

  const queryCounter = new QueryCounter();
  let changes: ChangeNotifier | undefined;
  let metricsServer: Server | undefined;
  const dataSource = createServiceDataSource({
    url: databaseUrl,
    queryCounter,
    poolMax: config.database.poolMax,
    connectionTimeoutMs: config.database.connectionTimeoutMs,
    statementTimeoutMs: config.database.statementTimeoutMs,
  });
  try {
    await connect(dataSource, logger, config.database.connectAttempts);
    await migrate(dataSource);
    const catalog = await ScopeCatalog.load(dataSource);
    const schema = await buildExecutableSchema();
    const unknownScopes = scopesInAccessRules(schema).filter((scope) => !catalog.has(scope));
    if (unknownScopes.length > 0) throw new Error(`Access rules name scopes missing from the catalog: ${unknownScopes.join(', ')}`);

    const metrics = new Metrics({
      knownLabels: { authenticationFailures: AUTHENTICATION_FAILURES, tokenKinds: TOKEN_KINDS, revocationCauses: TOKEN_REVOCATION_CAUSES },
    });
    metrics.observePool(poolStatisticsOf(dataSource));
    // The notifier and the caches first: every service is made with what it needs, and hears changes from its start.
    changes = new ChangeNotifier({
      url: databaseUrl,
      publisher: dataSource,
      onError: (error, during) => logger.warn({ err: error, during }, 'change notification failed'),
    });
    const caches = createCaches(config.cacheTtlMs, metrics);
    const { services, lastUse } = createServices({
      config,
      logger,
      dataSource,
      catalog,
      changes,
      caches,
      metrics,
      secrets: { tokenPepper, jwtSecret },
    });
    const bootstrapAdmin = await services.directory.ensureBootstrapAdmin();
    await changes.start();

    const httpServer = createServer();
    const { handler, apollo } = await createHttpApp({
      schema,
      services,
      dataSource,
      httpServer,
      logger,
      production: config.production,
      introspection: config.introspection,
      trustProxy: config.trustProxy,
      metrics,
      metricsToken: config.metricsToken,
      limits: config.limits,
      // The rest of SHUTDOWN_TIMEOUT_MS is for recording last uses, closing the pool and stopping PostgreSQL.
      drainTimeoutMs: Math.round(config.shutdownTimeoutMs * 0.7),
      explainRefusals: config.environment === 'development',
    });
    httpServer.on('request', handler);
    let metricsUrl: string | null = null;
    if (config.metricsListener) {
      const { host, port } = config.metricsListener;
      metricsServer = createServer(metricsApp({ metrics, token: config.metricsToken }));
      metricsUrl = urlOf(host, await listen(metricsServer, port, host), '/metrics');
      logger.info({ url: metricsUrl }, 'metrics listening');
    }
    const port = await listen(httpServer, config.port, config.host);
    lastUse.start();

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        // Apollo's drain plugin stops accepting connections and waits for requests in flight.
        await apollo.stop();
        logger.debug('requests drained');
        if (metricsServer) await close(metricsServer);
        await lastUse.stop().catch((error) => logger.error({ err: error }, 'could not record last token uses at shutdown'));
        await changes?.stop();
        await dataSource.destroy();
        logger.debug('database pool closed');
        if (embedded) {
          await embedded.stop();
          await rm(RUNNING_EMBEDDED_FILE, { force: true });
        }
        await releaseDataDir?.();
      })());

    return {
      url: urlOf(config.host, port, '/graphql'),
      port,
      dataSource,
      services,
      bootstrapAdmin,
      queryCounter,
      jwtSecret,
      metrics,
      metricsUrl,
      changes,
      caches: Object.values(caches),
      stop,
    };
  } catch (error) {
    if (metricsServer) await close(metricsServer);
    await changes?.stop();
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    await releaseDataDir?.();
    throw error;
  }
}
