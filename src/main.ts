import 'reflect-metadata';
import { startService } from './app';
import { signSession } from './auth/sign-in';
import { ConfigError, loadConfig } from './config';
import { WEB_APP_PATH } from './http/web-app';
import { createLogger, wantsPrettyLogs } from './logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, pretty: wantsPrettyLogs(config.environment) });
  const service = await startService(config, logger);
  // The ready line the contract promises, on stdout whatever the log level.
  process.stdout.write(`Tessera listening on ${service.url}\n`);
  process.stdout.write(`Open in a browser: GraphiQL ${service.url} · token settings ${new URL(WEB_APP_PATH, service.url)}\n`);
  if (!config.databaseUrl && service.bootstrapAdmin && service.jwtSecret) {
    const session = await signSession(service.jwtSecret, { sub: service.bootstrapAdmin.subject });
    process.stdout.write(`Sign in as the bootstrap admin with this header (valid 12 h):\n  Authorization: Bearer ${session}\n`);
  }

  let exiting = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (exiting) return;
    exiting = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    service.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Tessera could not start: ${(error as Error).stack ?? error}`}\n`);
  process.exit(1);
});
