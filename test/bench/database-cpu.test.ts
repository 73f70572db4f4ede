import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { clusterCpuUs } from '../../bench/database-cpu';
import { freePort } from '../../src/database/embedded';
import { PostgresProcess } from '../helpers/postgres-process';
import { eventually } from '../helpers/time';

/** The bench's PostgreSQL figure: the CPU time of a running cluster's processes, from /proc. */
let directory: string;
let postgres: PostgresProcess | undefined;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tessera-bench-cpu-'));
  postgres = await PostgresProcess.start({ directory, port: await freePort(), password: 'bench', database: 'bench' });
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
  await rm(directory, { recursive: true, force: true });
});

const linux = process.platform === 'linux' ? it : it.skip;

linux("counts the CPU time a connection's backend spends, while it runs and after it has gone", async () => {
  const before = await clusterCpuUs(directory);
  expect(before).toBeGreaterThan(0);
  const client = new Client({ connectionString: postgres!.url });
  await client.connect();
  await client.query('SELECT count(*) FROM generate_series(1, 3000000)');
  const during = await clusterCpuUs(directory);
  await client.end();
  expect(during).toBeGreaterThan(before);
  // The backend exits; once the postmaster has waited for it, the postmaster carries its time on.
  expect(await eventually(async () => (await clusterCpuUs(directory)) >= during)).toBe(true);
});

it('is NaN for a directory where no cluster runs', async () => {
  expect(await clusterCpuUs(join(directory, 'nothing-here'))).toBeNaN();
});
