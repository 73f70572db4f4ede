import { resolve } from 'node:path';

export interface BenchOptions {
  mode: 'cases' | 'scale';
  label: string;
  connections: number;
  warmupS: number;
  durationS: number;
  /**
   * Cases mode: each case's time is split into this many rounds, the cases taking turns, so drift
   * in the machine's other load spreads evenly over them. Scale mode: rounds per case, the fastest counts.
   */
  rounds: number;
  /** Sequential requests per batch when counting SQL statements (three batches, the lowest count wins). */
  sqlRequests: number;
  /** Scale mode: tokens at the large size, the users they are spread over, and the small size compared with. */
  tokens: number;
  users: number;
  baseTokens: number;
  /** Where the service's CPU profiles go, one per case; none when unset. */
  cpuProfileDir: string | null;
}

export const USAGE = `npm run bench -- [options]

  (no option)      every case: 10 connections, 3 s warm-up + 15 s per case
  --quick          the same with 1 s warm-up + 5 s per case (under two minutes)
  --scale          seed 1,000,000 tokens over 10,000 users and compare with 10,000 tokens
  --tokens N       scale mode: tokens at the large size (default 1000000)
  --users N        scale mode: users they belong to (default 10000)
  --duration S     seconds measured per case (scale mode: per round);  --warmup S  seconds of warm-up per case
  --connections N  concurrent connections (default 10)
  --rounds N       rounds per case (default 3): interleaved and added up; in scale mode the fastest counts
  --sql-requests N sequential requests per SQL-count batch (default 20)
  --cpu-prof [DIR] CPU-profile each server while a case is measured (default dir: dist/bench-profiles)

Every server (the service and both baselines) runs with NODE_ENV=production, whatever this shell's NODE_ENV.
`;

function positive(flag: string, value: string | undefined, max: number): number {
  const number = Number(value);
  if (value === undefined || !Number.isFinite(number) || number <= 0 || number > max) {
    throw new Error(`${flag} needs a number between 0 and ${max}, not ${value ?? 'nothing'}`);
  }
  return number;
}

export function parseOptions(argv: string[]): BenchOptions | null {
  const options: BenchOptions = {
    mode: 'cases',
    label: 'full',
    connections: 10,
    warmupS: 3,
    durationS: 15,
    rounds: 3,
    sqlRequests: 20,
    tokens: 1_000_000,
    users: 10_000,
    baseTokens: 10_000,
    cpuProfileDir: null,
  };
  let duration: number | undefined;
  let warmup: number | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    switch (flag) {
      case '--help':
      case '-h':
        return null;
      case '--quick':
        options.label = 'quick';
        options.warmupS = 1;
        options.durationS = 5;
        break;
      case '--scale':
        options.mode = 'scale';
        break;
      case '--tokens':
        options.tokens = Math.round(positive(flag, argv[++i], 10_000_000));
        break;
      case '--users':
        options.users = Math.round(positive(flag, argv[++i], 1_000_000));
        break;
      case '--duration':
        duration = positive(flag, argv[++i], 600);
        break;
      case '--warmup':
        warmup = positive(flag, argv[++i], 600);
        break;
      case '--connections':
        options.connections = Math.round(positive(flag, argv[++i], 1000));
        break;
      case '--rounds':
        options.rounds = Math.round(positive(flag, argv[++i], 100));
        break;
      case '--sql-requests':
        options.sqlRequests = Math.round(positive(flag, argv[++i], 10_000));
        break;
      case '--cpu-prof':
        options.cpuProfileDir = resolve(argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'dist/bench-profiles');
        break;
      default:
        throw new Error(`unknown option ${flag}\n\n${USAGE}`);
    }
  }
  if (duration !== undefined) {
    options.durationS = duration;
    options.label = 'custom';
  }
  if (warmup !== undefined) options.warmupS = warmup;
  if (options.mode === 'scale') {
    if (options.tokens <= options.baseTokens) throw new Error(`--tokens must be above ${options.baseTokens}, the size it is compared with`);
    options.users = Math.min(options.users, options.tokens);
    if (duration === undefined && options.label === 'full') options.durationS = 3;
    // The small size is measured first, on a service that has not run these paths yet: warm it up well.
    if (warmup === undefined && options.label === 'full') options.warmupS = 3;
  }
  return options;
}
