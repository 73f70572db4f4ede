import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readmeBlockUnder } from '../helpers/readme';
import { type ServiceProcess, startServiceProcess } from '../helpers/service-process';

/**
 * The README's curl walkthrough, run with bash as a reader would paste it, against `npm start`'s
 * service (the compiled one, on a fresh embedded PostgreSQL). Only the address changes: the test's
 * service listens on a free port instead of 4000.
 */
const ROOT = join(__dirname, '../..');
const README_URL = 'http://127.0.0.1:4000/graphql';

let dataDir: string;
let service: ServiceProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tessera-readme-'));
  service = await startServiceProcess({ DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'development', AUTH_JWT_SECRET: '' });
}, 120_000);
afterAll(async () => {
  await service?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it('runs the curl walkthrough as written, ending with authorize answering allowed: true', async () => {
  const block = readmeBlockUnder('## A first session with curl', 'sh');
  expect(block).toContain(README_URL);
  for (const call of ['users', 'createGroup', 'setGroupPermissions', 'addGroupMember', 'createPersonalAccessToken', 'authorize']) {
    expect(block).toContain(call);
  }
  // -e and pipefail: a command that fails (an id not found, curl refused) stops the walk there.
  const script = `set -eo pipefail\n${block.replaceAll(README_URL, service.url)}`;
  const { stdout } = await promisify(execFile)('bash', ['-c', script], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', AUTH_JWT_SECRET: '', AUTH_JWKS_URL: '' },
    timeout: 120_000,
  });
  const answers = stdout.trim().split('\n');
  expect(answers.every((line) => !line.includes('"errors"'))).toBe(true);
  const authorizations = answers.filter((line) => line.includes('"authorize"')).map((line) => JSON.parse(line).data.authorize);
  expect(authorizations).toEqual([
    { allowed: false, reason: 'MISSING_PERMISSION' },
    { allowed: true, reason: null, managementZones: null },
  ]);
  expect(answers.at(-1)).toContain('"allowed":true');
}, 180_000);
