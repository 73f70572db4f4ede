import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The compiled service (`npm test` builds dist/ first), as an orchestrator runs it. */
const MAIN = join(__dirname, '../../dist/src/main.js');

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** stdout and stderr so far. */
  output: () => string;
  /** The exit code, once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code (SIGKILL after `deadlineMs`, answering null). */
  stop(deadlineMs?: number): Promise<number | null>;
}

export interface SpawnOptions {
  /** A process group of its own, as a shell gives a job: `process.kill(-child.pid, signal)` reaches it and its PostgreSQL. */
  detached?: boolean;
}

function spawnService(env: Record<string, string>, options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [MAIN], {
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
}

/** Starts `node dist/src/main.js` with `env` over the test's environment; resolves once it prints its ready line. */
export function startServiceProcess(env: Record<string, string>, options: SpawnOptions = {}): Promise<ServiceProcess> {
  const child = spawnService(env, options);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (deadlineMs = 20_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line in 60 s:\n${output}`));
    }, 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+\/graphql)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, port: Number(new URL(url).port), output: () => output, exited, stop });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Runs the service with `env` until it exits on its own (a start that fails); its exit code and output. */
export function runServiceProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const child = spawnService(env);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The bootstrap admin's Authorization header a service on an embedded database prints when it is ready. */
export function adminHeaderOf(service: Pick<ServiceProcess, 'output'>): string {
  const json = /GraphiQL, Headers tab: (\{.*\})/.exec(service.output())?.[1];
  if (!json) throw new Error(`no admin header printed:\n${service.output()}`);
  return JSON.parse(json).Authorization;
}
