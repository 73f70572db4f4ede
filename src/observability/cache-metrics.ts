import type { Counter } from 'prom-client';

/** What a cache reports about each look-up; `Metrics.cache(name)` gives one. */
export interface CacheMetrics {
  hit(): void;
  miss(): void;
}

export function createCacheMetrics(cache: string, hits: Counter<'cache'>, misses: Counter<'cache'>): CacheMetrics {
  const hitsOfCache = hits.labels({ cache });
  const missesOfCache = misses.labels({ cache });
  // Both series exist from the start, so the hit ratio is defined (0/0 aside) before the first look-up.
  hitsOfCache.inc(0);
  missesOfCache.inc(0);
  return { hit: () => hitsOfCache.inc(), miss: () => missesOfCache.inc() };
}
