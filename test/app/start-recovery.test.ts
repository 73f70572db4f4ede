import { appendFile, chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning } from '../../src/database/data-directory';
import { freePort } from '../../src/database/embedded';
import { graphqlData } from '../helpers/http-probe';
import { type ServiceProcess, type SpawnOptions, adminHeaderOf, runServiceProcess, startServiceProcess } from '../helpers/service-process';

/**
 * The first hour of a user, with the compiled service on a real embedded PostgreSQL (`npm test`
 * builds dist/ first): a start after a crash, after a closed terminal, a second `npm start`, a
 * DATA_DIR the `postgres` user cannot reach, a PostgreSQL that will not start.
 */
jest.setTimeout(180_000);

let dataDir: string;
/** Every service a test started, stopped after it whatever it asserted. */
const started: ServiceProcess[] = [];

async function start(env: Record<string, string>, options?: SpawnOptions): Promise<ServiceProcess> {
  const service = await startServiceProcess(env, options);
  started.push(service);
  return service;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.stop()));
});

/** `npm start` as the README has it: embedded, in development, whatever DATABASE_URL the test run has. */
const embedded = (directory: string, extra: Record<string, string> = {}) => ({ DATA_DIR: directory, DATABASE_URL: '', NODE_ENV: 'development', ...extra });

async function postmasterPid(): Promise<number> {
  return Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tessera-recovery-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('a start after the service died', () => {
  it('after kill -9, stops the PostgreSQL the dead process left running, starts afresh and keeps the data', async () => {
    const first = await start(embedded(dataDir));
    const admin = adminHeaderOf(first);
    const { createApiToken } = await graphqlData(first.url, 'mutation { createApiToken(input: { name: "kept", scopes: ["metrics.read"] }) { token } }', admin);
    const orphan = await postmasterPid();

    first.child.kill('SIGKILL');
    await first.exited;
    // What SIGKILL leaves: PostgreSQL running on, its parent gone.
    expect(isRunning(orphan)).toBe(true);

    const second = await start(embedded(dataDir));
    try {
      expect(isRunning(orphan)).toBe(false);
      expect(await postmasterPid()).not.toBe(orphan);
      const answer = await graphqlData(second.url, '{ authorize(scope: "metrics.read") { allowed } }', `Api-Token ${createApiToken.token}`);
      expect(answer).toEqual({ authorize: { allowed: true } });
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('on SIGHUP to its process group (a closed terminal, its output gone), shuts down, stops PostgreSQL and exits 0', async () => {
    const service = await start(embedded(dataDir), { detached: true });
    const postgres = await postmasterPid();
    // The terminal is gone: nothing reads what the service writes any more.
    service.child.stdout!.destroy();
    service.child.stderr!.destroy();
    process.kill(-service.child.pid!, 'SIGHUP');

    expect(await service.exited).toBe(0);
    expect(isRunning(postgres)).toBe(false);
    expect(await readdir(dataDir)).not.toContain('tessera.pid');
  });
});

describe('a second npm start', () => {
  let running: ServiceProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    running = await startServiceProcess(embedded(dataDir, { PORT: String(port) }));
  });
  afterAll(() => running?.stop());

  it('on the same DATA_DIR fails at once, naming the Tessera that uses it, which keeps serving', async () => {
    const second = await runServiceProcess(embedded(dataDir));
    expect(second.code).toBe(1);
    expect(second.output).toContain(`kill ${running.child.pid}`);
    expect(second.output).not.toMatch(/TypeError|    at /);

    expect(await graphqlData(running.url, '{ me { subject } }', adminHeaderOf(running))).toEqual({ me: { subject: 'admin' } });
  });

  it('on another DATA_DIR but the same port fails before it initialises or migrates anything, saying what to do', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'tessera-second-'));
    try {
      const second = await runServiceProcess(embedded(otherDir, { PORT: String(port) }));
      expect(second.code).toBe(1);
      expect(second.output).toContain('PORT=0');
      expect(second.output).not.toMatch(/EADDRINUSE|    at /);
      // No cluster, no secrets, no claim left behind.
      expect(await readdir(otherDir)).toEqual([]);
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});

describe('a start that cannot succeed says why', () => {
  it('names the setting PostgreSQL refused when it will not start, instead of failing on an error without a value', async () => {
    const settings = join(dataDir, 'postgres', 'postgresql.conf');
    const original = await readFile(settings, 'utf8');
    await appendFile(settings, '\nshared_buffers = banana\n');
    try {
      const start = await runServiceProcess(embedded(dataDir));
      expect(start.code).toBe(1);
      expect(start.output).toContain('shared_buffers');
      expect(start.output).not.toMatch(/TypeError|reading 'stack'/);
    } finally {
      await writeFile(settings, original);
    }
    // And the data directory is usable again at once.
    const service = await start(embedded(dataDir));
    expect(await service.stop()).toBe(0);
  });

  (process.getuid?.() === 0 ? it : it.skip)('as root, refuses a DATA_DIR inside a folder the postgres user cannot enter, before initdb, naming the folder', async () => {
    const locked = await mkdtemp(join(tmpdir(), 'tessera-locked-'));
    await chmod(locked, 0o700);
    try {
      const start = await runServiceProcess(embedded(join(locked, 'data')));
      expect(start.code).toBe(1);
      expect(start.output).toContain(`chmod o+x ${locked}`);
      expect(start.output).not.toMatch(/initdb|Permission denied/);
      expect(await readdir(join(locked, 'data'))).not.toContain('postgres');
    } finally {
      await rm(locked, { recursive: true, force: true });
    }
  });
});
