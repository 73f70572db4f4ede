import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ReadyInfo, RequestMessage, RequestType, Requests, ResponseMessage, ServerKind, StartOptions } from './protocol';

const REQUEST_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Every server under test runs in production mode, whatever the caller's environment: Apollo
 * Server and graphql-js run about twice as fast in it as in development, so anything else makes
 * every ratio against the bare Apollo baseline look better than it is.
 */
export const SERVER_NODE_ENV = 'production';

/** One server under test, in a child process of its own; asked things over IPC, each answer bounded in time. */
export class ChildServer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private exited = false;
  private readonly exit: Promise<void>;
  /** Where the server listens, once started. */
  info: ReadyInfo = { url: '', pid: 0, nodeEnv: null };

  private constructor(
    readonly kind: ServerKind,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: ResponseMessage) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if ('error' in message) waiting.reject(new Error(`${kind} server: ${message.error}`));
      else waiting.resolve(message.result);
    });
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        for (const waiting of this.pending.values()) waiting.reject(new Error(`${kind} server exited (${signal ?? code})`));
        this.pending.clear();
        resolve();
      });
    });
  }

  /**
   * Forks `child.js <kind>` with NODE_ENV=production and waits until it listens on 127.0.0.1;
   * fails if the server reports running under another NODE_ENV.
   */
  static async start(kind: ServerKind, options: StartOptions = {}): Promise<ChildServer> {
    const child = fork(join(__dirname, 'child.js'), [kind], {
      env: { ...process.env, NODE_ENV: SERVER_NODE_ENV },
      // Structured clone: captured statements keep their Buffer and Date parameters.
      serialization: 'advanced',
      // Only so that memory samples follow a full collection; nothing else calls gc().
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const server = new ChildServer(kind, child);
    try {
      server.info = await server.request('start', options);
      if (server.info.nodeEnv !== SERVER_NODE_ENV) {
        throw new Error(`the ${kind} server runs with NODE_ENV=${server.info.nodeEnv ?? '(unset)'}, not ${SERVER_NODE_ENV}: its figures would not be comparable`);
      }
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  request<T extends RequestType>(type: T, options: Requests[T]['options'] = {} as Requests[T]['options'], timeoutMs = REQUEST_TIMEOUT_MS): Promise<Requests[T]['result']> {
    if (this.exited) return Promise.reject(new Error(`${this.kind} server has exited`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.kind} server did not answer ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as Requests[T]['result']);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const message: RequestMessage<T> = { id, type, options };
      this.child.send(message);
    });
  }

  /** Asks the child to stop (drain, close, remove its files); kills it, by its pid, if it does not exit in time. */
  async stop(): Promise<void> {
    if (this.exited) return;
    await this.request('stop', {}, STOP_TIMEOUT_MS).catch(() => undefined);
    const timer = setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await this.exit;
    clearTimeout(timer);
  }
}

const running = new Set<ChildServer>();

/** Runs `work` against a server in a child process, and always stops that child afterwards. */
export async function withServer<T>(
  kind: ServerKind,
  options: StartOptions,
  work: (server: ChildServer) => Promise<T>,
): Promise<T> {
  const server = await ChildServer.start(kind, options);
  running.add(server);
  try {
    return await work(server);
  } finally {
    await server.stop();
    running.delete(server);
  }
}

/** Several servers up at once, for `work`, then all stopped: the bench's baselines take turns with the service. */
export async function withServers<K extends ServerKind, T>(
  kinds: readonly K[],
  options: StartOptions,
  work: (servers: Map<K, ChildServer>) => Promise<T>,
): Promise<T> {
  const servers = new Map<K, ChildServer>();
  try {
    for (const kind of kinds) {
      const server = await ChildServer.start(kind, options);
      running.add(server);
      servers.set(kind, server);
    }
    return await work(servers);
  } finally {
    for (const server of servers.values()) {
      await server.stop();
      running.delete(server);
    }
  }
}

/** Ctrl-C: stop the children the bench started (their PostgreSQL too), then exit. */
export function stopChildrenOnInterrupt(): void {
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the servers under test\n`);
    Promise.allSettled([...running].map((server) => server.stop())).then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
