import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Linux's clock ticks per second in /proc/<pid>/stat (USER_HZ), 100 on every architecture Node.js runs on. */
const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
async function statFields(pid: number): Promise<string[] | null> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return text === null ? null : text.slice(text.lastIndexOf(')') + 2).split(' ');
}

function microseconds(ticks: string[]): number {
  return ticks.reduce((total, value) => total + Number(value), 0) * (1e6 / TICKS_PER_SECOND);
}

/**
 * The CPU time, in microseconds, that a PostgreSQL cluster has used so far: its postmaster's (with
 * the backends that have exited, which it waited for) and that of every process it runs now (the
 * connections' backends, the writers). Read from /proc, so Linux only: NaN elsewhere, or when the
 * cluster is not running.
 */
export async function clusterCpuUs(directory: string): Promise<number> {
  const pid = Number((await readFile(join(directory, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
  const postmaster = pid > 0 ? await statFields(pid) : null;
  if (!postmaster) return Number.NaN;
  // After the command name: utime, stime, cutime and cstime are the 12th to 15th fields.
  let total = microseconds(postmaster.slice(11, 15));
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  for (const child of children.split(' ').filter(Boolean)) {
    const fields = await statFields(Number(child));
    if (fields) total += microseconds(fields.slice(11, 13));
  }
  return total;
}
