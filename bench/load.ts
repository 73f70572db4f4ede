import autocannon from 'autocannon';
import type { HttpRequest } from './graphql-client';

export interface LoadOptions {
  connections: number;
  durationS: number;
}

export interface LoadResult {
  /** Answered with a 2xx, per second of the run. */
  rps: number;
  /** Latency of the 2xx answers, milliseconds. */
  p50: number;
  p99: number;
  requests: number;
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
export async function load(request: HttpRequest, options: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(request.url)) throw new Error(`refusing to load ${request.url}: loopback only`);
  const latencies: number[] = [];
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
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: sorted.length / result.duration,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
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
