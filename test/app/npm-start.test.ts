import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The quick start as a user runs it: the compiled service (`npm start` runs `node dist/src/main.js`
 * after building; `npm test` builds first) on an embedded PostgreSQL kept in its data directory.
 */
const MAIN = join(__dirname, '../../dist/src/main.js');

interface Started {
  child: ChildProcess;
  url: string;
  authorization: string;
  output: () => string;
}

function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '', NODE_ENV: 'development', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+\/graphql)/.exec(output)?.[1];
      const authorization = /GraphiQL, Headers tab: (\{.*\})\n/.exec(output)?.[1];
      if (url && authorization) {
        clearTimeout(timer);
        resolve({ child, url, authorization: JSON.parse(authorization).Authorization, output: () => output });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${output}`));
    });
  });
}

function stop(started: Started, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.once('exit', (code) => resolve(code));
    started.child.kill(signal);
  });
}

async function graphql(url: string, query: string, authorization: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start on the embedded PostgreSQL', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-start-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('serves the API with a ready admin header for curl and GraphiQL, starts without a warning, stops cleanly on SIGTERM and keeps its data across restarts', async () => {
    const first = await start(dataDir);
    const me = await graphql(first.url, '{ me { subject permissions { permission } } }', first.authorization);
    expect(me.data.me).toEqual({ subject: 'admin', permissions: [{ permission: 'ADMIN' }] });
    // Beside GraphiQL's address, the token settings app's, served by the compiled service from its build.
    const browserLine = /Open in a browser: GraphiQL (\S+) · token settings (\S+)/.exec(first.output());
    expect(browserLine?.[1]).toBe(first.url);
    const page = await fetch(browserLine![2]);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');

    await graphql(first.url, 'mutation { enableFeature(feature: PERSONAL_ACCESS_TOKENS) { enabled } }', first.authorization);
    const created = await graphql(
      first.url,
      'mutation { createPersonalAccessToken(input: { name: "kept", scopes: ["metrics.read"] }) { token } }',
      first.authorization,
    );
    const token: string = created.data.createPersonalAccessToken.token;
    const { url: databaseUrl } = JSON.parse(await readFile(join(dataDir, 'postgres.json'), 'utf8'));
    const databasePort = Number(new URL(databaseUrl).port);

    // The curl command it printed runs as pasted into a shell.
    const curl = /^ {2}(curl .*)$/m.exec(first.output())![1];
    const { stdout } = await promisify(execFile)('bash', ['-c', curl]);
    expect(JSON.parse(stdout).data.me).toEqual({ subject: 'admin', permissions: [{ permission: 'ADMIN' }] });

    // Nothing to warn about in a clean start (LOG_LEVEL=warn: a warning would be in the output).
    expect(first.output()).not.toMatch(/"level":[4-6]0/);

    expect(await stop(first)).toBe(0);
    expect(await portAnswers(databasePort)).toBe(false);
    expect(first.output()).not.toContain(token);

    const second = await start(dataDir);
    try {
      const again = await graphql(second.url, '{ authorize(scope: "metrics.read") { allowed } }', `Api-Token ${token}`);
      expect(again.data).toEqual({ authorize: { allowed: true } });
      const sameSession = await graphql(second.url, '{ me { subject } }', first.authorization);
      expect(sameSession.data).toEqual({ me: { subject: 'admin' } });
    } finally {
      expect(await stop(second, 'SIGINT')).toBe(0);
    }
  });
});
