import 'reflect-metadata';
import { describeError } from '../src/describe-error';
import { startApolloBaseline, startApolloPipelineFloor, startMercuriusBaseline } from './baselines';
import { CpuProfiler } from './cpu-profiler';
import type { RequestMessage, ResponseMessage, ServerKind, StartOptions } from './protocol';
import type { ServerHost } from './server-host';
import { startServiceHost } from './service-host';

/** A bench child process: starts one server (argv[2]) when asked, answers the parent's questions, stops when told. */

const kind = process.argv[2] as ServerKind;
const profiler = new CpuProfiler();
let host: ServerHost | null = null;
let stopping: Promise<void> | null = null;

async function start(options: StartOptions): Promise<ServerHost> {
  switch (kind) {
    case 'apollo':
      return startApolloBaseline(options.scopes ?? []);
    case 'mercurius':
      return startMercuriusBaseline(options.scopes ?? []);
    case 'floor':
      return startApolloPipelineFloor(options.scopes ?? [], options.page ?? null);
    case 'service':
      return startServiceHost();
    default:
      throw new Error(`unknown server kind ${String(kind)}`);
  }
}

function stop(): Promise<void> {
  stopping ??= (async () => {
    await host?.stop();
    host = null;
  })();
  return stopping;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the ${kind} server has no ${what}`);
  return value;
}

async function handle(message: RequestMessage): Promise<unknown> {
  switch (message.type) {
    case 'start':
      if (host) throw new Error('already started');
      host = await start(message.options as StartOptions);
      return host.info;
    case 'queryCount':
      return required(host?.queryCount, 'query counter')();
    case 'memory': {
      // After a full collection (the child runs with --expose-gc), what is left is what the server keeps.
      const collect = (globalThis as { gc?: () => void }).gc;
      collect?.();
      collect?.();
      const { rss, heapUsed } = process.memoryUsage();
      return { rss, heapUsed };
    }
    case 'cpuUsage': {
      const { user, system } = process.cpuUsage();
      return user + system;
    }
    case 'databaseCpuUsage':
      return required(host?.databaseCpuUs, 'database')();
    case 'captureStart':
      required(host?.capture, 'statement capture').start((message as RequestMessage<'captureStart'>).options.emptyCaches);
      return null;
    case 'captureStop':
      return required(host?.capture, 'statement capture').stop();
    case 'profileStart':
      await profiler.start();
      return null;
    case 'profileStop':
      await profiler.stop((message as RequestMessage<'profileStop'>).options.file);
      return null;
    case 'stop':
      await stop();
      setImmediate(() => process.disconnect());
      return null;
  }
}

process.on('message', (message: RequestMessage) => {
  handle(message).then(
    (result) => process.send?.({ id: message.id, result } satisfies ResponseMessage),
    (error: unknown) => process.send?.({ id: message.id, error: describeError(error) } satisfies ResponseMessage),
  );
});

// The parent went away (crashed or interrupted): stop cleanly, so no PostgreSQL is left running.
const stopAndExit = () => {
  const deadline = setTimeout(() => process.exit(1), 20_000);
  deadline.unref();
  stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('disconnect', stopAndExit);
process.on('SIGINT', stopAndExit);
process.on('SIGTERM', stopAndExit);
