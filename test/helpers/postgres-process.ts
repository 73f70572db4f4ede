import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(__dirname, 'run-embedded-postgres.cjs');

/** An embedded PostgreSQL a test may stop and start again (see run-embedded-postgres.cjs). */
export class PostgresProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** Starts PostgreSQL on `port` with its files in `directory` (made on first use). */
  static start(options: { directory: string; port: number; password: string; database: string }): Promise<PostgresProcess> {
    const child = spawn(process.execPath, [SCRIPT, options.directory, String(options.port), options.password, options.database], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`PostgreSQL did not start within 60 s:\n${output}`));
      }, 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((candidate) => candidate.startsWith('{"url"'));
        if (line) {
          clearTimeout(timer);
          resolve(new PostgresProcess(child, JSON.parse(line).url));
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL's process exited with ${code} before it was ready:\n${output}`));
      });
    });
  }

  /** A fast shutdown: open sessions are terminated, as when a database server goes away. */
  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
