import autocannon from 'autocannon';
import type { HttpRequest } from './graphql-client';

export interface LoadOptions {
  connections: number;
  durationS: number;
}

/** One autocannon run: every 2xx latency (milliseconds, fractional) and what failed. */
export interface LoadRun {
  latencies: number[];
  durationS: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU time the server process used during the run, microseconds. */
  serverCpuUs: number;
  /** CPU time the service's PostgreSQL used during the run, microseconds; NaN for the baselines, which have none. */
  databaseCpuUs: number;
}

/** CPU time used so far, microseconds: by the server process, and by its PostgreSQL (NaN when it has none). */
export interface CpuSample {
  server: number;
  database: number;
}

export interface LoadResult {
  /** Answered with a 2xx, per second measured. */
  rps: number;
  /** Latency of the 2xx answers, milliseconds. */
  p50: number;
  p99: number;
  /**
   * The server's CPU time per 2xx answer, microseconds: unlike req/s and latency, hardly moved by
   * other work on the machine, so the figure to compare runs on a busy machine.
   */
  cpuUsPerRequest: number;
  /**
   * PostgreSQL's CPU time per 2xx answer, microseconds (NaN for the baselines): on the same two
   * cores as the server and the load generator, so what a case costs the machine is both figures.
   */
  databaseCpuUsPerRequest: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** The q-quantile (0..1) of ascending values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * Loads one endpoint on loopback with a fixed number of connections for a fixed time. Latencies
 * are taken from autocannon's per-response times (fractions of a millisecond), not from its
 * histogram, which rounds to whole milliseconds.
 */
export async function load(request: HttpRequest, options: LoadOptions, cpu: () => Promise<CpuSample> = async () => ({ server: Number.NaN, database: Number.NaN })): Promise<LoadRun> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(request.url)) throw new Error(`refusing to load ${request.url}: loopback only`);
  const latencies: number[] = [];
  const cpuBefore = await cpu();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        method: 'POST',
        headers: request.headers,
        body: request.body,
        connections: options.connections,
        duration: options.durationS,
        timeout: 10,
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  const cpuAfter = await cpu();
  return {
    latencies,
    durationS: result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuUs: cpuAfter.server - cpuBefore.server,
    databaseCpuUs: cpuAfter.database - cpuBefore.database,
  };
}

/** Runs taken together, as one run as long as all of them. */
export function combine(runs: LoadRun[]): LoadResult {
  const sorted = Float64Array.from(runs.flatMap((run) => run.latencies)).sort();
  const sum = (value: (run: LoadRun) => number) => runs.reduce((total, run) => total + value(run), 0);
  return {
    rps: sorted.length / sum((run) => run.durationS),
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    cpuUsPerRequest: sum((run) => run.serverCpuUs) / sorted.length,
    databaseCpuUsPerRequest: sum((run) => run.databaseCpuUs) / sorted.length,
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
  };
}

/** The run with the highest rate, and the lowest CPU time per request of any run: other work on the machine only ever slows a run down. */
export function best(runs: LoadRun[]): LoadResult {
  const results = runs.map((run) => combine([run]));
  const fastest = results.reduce((a, b) => (b.rps > a.rps ? b : a));
  return {
    ...fastest,
    cpuUsPerRequest: Math.min(...results.map((result) => result.cpuUsPerRequest)),
    databaseCpuUsPerRequest: Math.min(...results.map((result) => result.databaseCpuUsPerRequest)),
  };
}

/** `count` requests one after the other (at most `maxMs` in all); their latencies, ascending. */
export async function sequential(request: HttpRequest, count: number, maxMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = performance.now() + maxMs;
  for (let i = 0; i < count && performance.now() < deadline; i += 1) {
    const started = performance.now();
    const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${request.url}`);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}
