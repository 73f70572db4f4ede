import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildServer } from './child-server';
import type { HttpRequest } from './graphql-client';
import { type LoadResult, load, sequential } from './load';
import type { BenchOptions } from './options';
import { type ProfileSummary, summariseProfile } from './profile-summary';

export interface Measurement {
  load: LoadResult;
  profile?: { file: string; summary: ProfileSummary };
}

/** A warm-up run (discarded), then the measured run; CPU-profiled in the server when asked. */
export async function measure(server: ChildServer, request: HttpRequest, options: BenchOptions, name: string): Promise<Measurement> {
  if (options.warmupS > 0) await load(request, { connections: options.connections, durationS: options.warmupS });
  if (!options.cpuProfileDir) return { load: await load(request, { connections: options.connections, durationS: options.durationS }) };
  await mkdir(options.cpuProfileDir, { recursive: true });
  const file = join(options.cpuProfileDir, `${name}.cpuprofile`);
  await server.request('profileStart');
  let result: LoadResult;
  try {
    result = await load(request, { connections: options.connections, durationS: options.durationS });
  } finally {
    await server.request('profileStop', { file });
  }
  return { load: result, profile: { file, summary: await summariseProfile(file) } };
}

/**
 * SQL statements per request: the service's counter before and after `count` sequential requests,
 * divided. Three batches, the lowest wins, so a background write (last-use flush) does not count.
 */
export async function sqlPerRequest(server: ChildServer, request: HttpRequest, count: number): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (let batch = 0; batch < 3; batch += 1) {
    const before = await server.request('queryCount');
    const sent = (await sequential(request, count, 60_000)).length;
    const after = await server.request('queryCount');
    lowest = Math.min(lowest, (after - before) / sent);
  }
  return lowest;
}
