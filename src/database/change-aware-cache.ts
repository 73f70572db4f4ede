import { LRUCache } from 'lru-cache';
import type { CacheMetrics } from '../observability/cache-metrics';

export interface ChangeAwareCacheOptions {
  /** Most entries kept; the least recently used go first. */
  max: number;
  /** The backstop for a change notification that never arrived; 0 turns the cache off. */
  ttlMs: number;
  metrics?: CacheMetrics;
}

/**
 * An in-process cache of database facts that is told when they change (ChangeNotifier). Every
 * invalidation bumps a generation, and a value read from the database is kept only when no
 * invalidation happened while it was being read: a load racing a change never puts the old
 * value back after the change was announced.
 */
export class ChangeAwareCache<V extends {}> {
  private readonly entries?: LRUCache<string, V>;
  private generation = 0;

  constructor(private readonly options: ChangeAwareCacheOptions) {
    if (options.ttlMs > 0) this.entries = new LRUCache<string, V>({ max: options.max, ttl: options.ttlMs });
  }

  get(key: string): V | undefined {
    if (!this.entries) return undefined;
    const value = this.entries.get(key);
    if (value === undefined) this.options.metrics?.miss();
    else this.options.metrics?.hit();
    return value;
  }

  /**
   * The cached value, counted as a hit; a miss is not counted, because a caller that finds nothing
   * goes on to a `get` or `getOrLoad` of its own, which counts it.
   */
  peek(key: string): V | undefined {
    const value = this.entries?.get(key);
    if (value !== undefined) this.options.metrics?.hit();
    return value;
  }

  /** The cached value, or `load`'s, which is kept unless something changed meanwhile. */
  async getOrLoad(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const loaded = await load();
    if (loaded !== null && this.entries && generation === this.generation) this.entries.set(key, loaded);
    return loaded;
  }

  /** Keeps a value just read, unless something changed since `generation` (from `currentGeneration`). */
  set(key: string, value: V, generation: number): void {
    if (this.entries && generation === this.generation) this.entries.set(key, value);
  }

  get currentGeneration(): number {
    return this.generation;
  }

  delete(key: string): void {
    this.generation += 1;
    this.entries?.delete(key);
  }

  deleteWhere(predicate: (value: V) => boolean): void {
    this.generation += 1;
    for (const [key, value] of this.entries?.entries() ?? []) if (predicate(value)) this.entries!.delete(key);
  }

  clear(): void {
    this.generation += 1;
    this.entries?.clear();
  }
}
