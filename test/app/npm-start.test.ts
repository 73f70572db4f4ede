import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { graphqlData, probePort } from '../helpers/http-probe';
import { ENABLE_PATS } from '../helpers/operations';
import { type ServiceProcess, adminHeaderOf, startServiceProcess } from '../helpers/service-process';

/**
 * The quick start as a user runs it: the compiled service (`npm start` runs `node dist/src/main.js`
 * after building; `npm test` builds first) on an embedded PostgreSQL kept in its data directory.
 */

/** `npm start` as the README has it: embedded PostgreSQL in `dataDir`, in development; the admin's header it printed. */
async function start(dataDir: string): Promise<{ service: ServiceProcess; authorization: string }> {
  const service = await startServiceProcess({ DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'development' });
  return { service, authorization: adminHeaderOf(service) };
}

describe('npm start on the embedded PostgreSQL', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-start-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('serves the API with a ready admin header for curl and GraphiQL, starts without a warning, stops cleanly on SIGTERM and keeps its data across restarts', async () => {
    const { service: first, authorization } = await start(dataDir);
    const me = await graphqlData(first.url, '{ me { subject permissions { permission } } }', authorization);
    expect(me.me).toEqual({ subject: 'admin', permissions: [{ permission: 'ADMIN' }] });
    // Beside GraphiQL's address, the token settings app's, served by the compiled service from its build.
    const browserLine = /Open in a browser: GraphiQL (\S+) · token settings (\S+)/.exec(first.output());
    expect(browserLine?.[1]).toBe(first.url);
    const page = await fetch(browserLine![2]);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');

    await graphqlData(first.url, ENABLE_PATS, authorization);
    const created = await graphqlData(
      first.url,
      'mutation { createPersonalAccessToken(input: { name: "kept", scopes: ["metrics.read"] }) { token } }',
      authorization,
    );
    const token: string = created.createPersonalAccessToken.token;
    const { url: databaseUrl } = JSON.parse(await readFile(join(dataDir, 'postgres.json'), 'utf8'));
    const databasePort = Number(new URL(databaseUrl).port);

    // The curl command it printed runs as pasted into a shell.
    const curl = /^ {2}(curl .*)$/m.exec(first.output())![1];
    const { stdout } = await promisify(execFile)('bash', ['-c', curl]);
    expect(JSON.parse(stdout).data.me).toEqual({ subject: 'admin', permissions: [{ permission: 'ADMIN' }] });

    // Nothing to warn about in a clean start (LOG_LEVEL=warn: a warning would be in the output).
    expect(first.output()).not.toMatch(/"level":[4-6]0/);

    expect(await first.stop()).toBe(0);
    expect(await probePort(databasePort)).not.toBe('open');
    expect(first.output()).not.toContain(token);

    const { service: second } = await start(dataDir);
    try {
      const again = await graphqlData(second.url, '{ authorize(scope: "metrics.read") { allowed } }', `Api-Token ${token}`);
      expect(again).toEqual({ authorize: { allowed: true } });
      const sameSession = await graphqlData(second.url, '{ me { subject } }', authorization);
      expect(sameSession).toEqual({ me: { subject: 'admin' } });
    } finally {
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    }
  });
});
