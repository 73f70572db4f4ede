import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildServer } from './child-server';
import type { HttpRequest } from './graphql-client';
import { type CpuSample, type LoadResult, type LoadRun, best, combine, load, quantile, sequential } from './load';
import type { BenchOptions } from './options';
import { type ProfileSummary, summariseProfile } from './profile-summary';
import type { CapturedStatement } from './protocol';

export interface Measurement {
  load: LoadResult;
  profile?: { files: string[]; summary: ProfileSummary };
}

export interface Target {
  name: string;
  request: HttpRequest;
  /** The server that answers it; its CPU time is the target's. */
  server: ChildServer;
}

export interface RoundOptions {
  rounds: number;
  /** Seconds of load per round and target. */
  roundS: number;
  /**
   * combine: all rounds together, as one run (interleaving the targets' rounds spreads drift in
   * the machine's other load evenly over them). best: the fastest round (other work only slows).
   */
  pick: 'combine' | 'best';
}

/**
 * Warms every target up, then loads them round-robin, `rounds` times each, whichever server each
 * one has: the baselines take their turns between the service's cases, so drift in the machine's
 * speed touches every side alike. The server under load is CPU-profiled during each measured run
 * when the options ask for it.
 */
export async function measureRounds(targets: Target[], options: BenchOptions, rounds: RoundOptions): Promise<Map<string, Measurement>> {
  const { connections } = options;
  if (options.warmupS > 0) for (const target of targets) await load(target.request, { connections, durationS: options.warmupS });
  const runs = new Map<string, LoadRun[]>(targets.map((target) => [target.name, []]));
  const profiles = new Map<string, string[]>(targets.map((target) => [target.name, []]));
  if (options.cpuProfileDir) await mkdir(options.cpuProfileDir, { recursive: true });
  for (let round = 1; round <= rounds.rounds; round += 1) {
    for (const target of targets) {
      const file = options.cpuProfileDir ? join(options.cpuProfileDir, `${target.name}-${round}.cpuprofile`) : null;
      const { server } = target;
      await quiesce(server);
      if (file) await server.request('profileStart');
      try {
        runs.get(target.name)!.push(await load(target.request, { connections, durationS: rounds.roundS }, () => cpuSample(server)));
      } finally {
        if (file) {
          await server.request('profileStop', { file });
          profiles.get(target.name)!.push(file);
        }
      }
    }
  }
  const measured = new Map<string, Measurement>();
  for (const target of targets) {
    const files = profiles.get(target.name)!;
    const targetRuns = runs.get(target.name)!;
    measured.set(target.name, {
      load: rounds.pick === 'best' ? best(targetRuns) : combine(targetRuns),
      profile: files.length > 0 ? { files, summary: await summariseProfile(files) } : undefined,
    });
  }
  return measured;
}

/** The server's CPU time so far, and its PostgreSQL's when it is the service. */
async function cpuSample(server: ChildServer): Promise<CpuSample> {
  const [serverUs, databaseUs] = await Promise.all([
    server.request('cpuUsage'),
    server.kind === 'service' ? server.request('databaseCpuUsage') : Number.NaN,
  ]);
  return { server: serverUs, database: databaseUs };
}

/** Lets the requests a run left in flight finish, so the next run's CPU time is its own. */
async function quiesce(server: ChildServer): Promise<void> {
  if (server.kind === 'service') await settle(server, 2000);
  else await new Promise((resolve) => setTimeout(resolve, 200));
}

/** The lowest median of `rounds` series of `count` sequential requests: the cost of one request, without queueing. */
export async function sequentialMedian(request: HttpRequest, count: number, rounds: number): Promise<{ p50: number; p99: number }> {
  let lowest = { p50: Number.POSITIVE_INFINITY, p99: Number.POSITIVE_INFINITY };
  for (let round = 0; round < rounds; round += 1) {
    const latencies = await sequential(request, count, 30_000);
    const p50 = quantile(latencies, 0.5);
    if (p50 < lowest.p50) lowest = { p50, p99: quantile(latencies, 0.99) };
  }
  return lowest;
}

/**
 * Waits (at most `maxMs`) until the service sends no more statements: autocannon stops at the end
 * of a run without waiting for the requests in flight, which the service still finishes.
 */
export async function settle(server: ChildServer, maxMs = 5000): Promise<void> {
  const deadline = performance.now() + maxMs;
  let last = await server.request('queryCount');
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = await server.request('queryCount');
    if (now === last) return;
    last = now;
  }
}

/**
 * SQL statements per request: the service's counter before and after `count` sequential requests,
 * divided. Three batches, the lowest wins, so a background write (last-use flush) does not count.
 */
export async function sqlPerRequest(server: ChildServer, request: HttpRequest, count: number): Promise<number> {
  await settle(server);
  let lowest = Number.POSITIVE_INFINITY;
  for (let batch = 0; batch < 3; batch += 1) {
    const before = await server.request('queryCount');
    const sent = (await sequential(request, count, 60_000)).length;
    const after = await server.request('queryCount');
    lowest = Math.min(lowest, (after - before) / sent);
  }
  return lowest;
}

/** The statements one request sends with the caches as the load left them (sent once before, so nothing is cold). */
export async function statementsOf(server: ChildServer, request: HttpRequest): Promise<CapturedStatement[]> {
  await sequential(request, 1, 30_000);
  await settle(server);
  await server.request('captureStart', { emptyCaches: false });
  try {
    await sequential(request, 1, 30_000);
  } finally {
    // The request's answer can be written before its last statement is logged.
    await settle(server, 1000);
  }
  return server.request('captureStop');
}
