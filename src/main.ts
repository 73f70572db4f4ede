import 'reflect-metadata';
import { type RunningService, startService } from './app/service';
import { signSession } from './auth/sign-in';
import { curlCommand, headerJson } from './cli/headers';
import { ConfigError, loadConfig } from './config';
import { StartError, describeError } from './describe-error';
import { WEB_APP_PATH } from './http/web-app';
import { createLogger, wantsPrettyLogs } from './logger';

/** SIGHUP is a closed terminal (or a process manager's stop): the same graceful shutdown, so no PostgreSQL is left behind. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

async function main(): Promise<void> {
  // Once the terminal is gone, writing to it fails (EIO, EPIPE); nobody is left to read, and the shutdown must go on.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, pretty: wantsPrettyLogs(config.environment) });

  let service: RunningService | undefined;
  let stopSignal: NodeJS.Signals | undefined;
  const shutdown = (running: RunningService) => {
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error, reason: describeError(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Taken from the first moment: a signal during the start (initdb, migrations) stops the service once it has
  // started, rather than killing the process and leaving PostgreSQL behind. Repeats are ignored: a terminal's
  // Ctrl-C reaches both npm and node, and npm passes it on.
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopSignal) return;
      stopSignal = signal;
      logger.info({ signal }, service ? 'shutting down' : 'shutting down once started');
      if (service) shutdown(service);
    });
  }

  service = await startService(config, logger);
  if (stopSignal) {
    shutdown(service);
    return;
  }
  // The ready line the contract promises, on stdout whatever the log level, with the admin's header in the same write.
  let ready = `Tessera listening on ${service.url}\n`;
  ready += `Open in a browser: GraphiQL ${service.url} · token settings ${new URL(WEB_APP_PATH, service.url)}\n`;
  if (!config.databaseUrl && service.bootstrapAdmin && service.jwtSecret) {
    const jwt = await signSession(service.jwtSecret, { sub: service.bootstrapAdmin.subject });
    ready +=
      `Sign in as the bootstrap admin (valid 12 h; \`npm run session -- --sub ${service.bootstrapAdmin.subject}\` prints a new header):\n` +
      `  ${curlCommand(service.url, jwt)}\n` +
      `  GraphiQL, Headers tab: ${headerJson(jwt)}\n`;
  }
  process.stdout.write(ready);
}

main().catch((error: unknown) => {
  const explained = error instanceof ConfigError || error instanceof StartError;
  const message = explained ? error.message : describeError(error);
  process.stderr.write(`${error instanceof ConfigError ? message : `Tessera could not start: ${message}`}\n`);
  process.exit(1);
});
