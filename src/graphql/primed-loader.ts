import type DataLoader from 'dataloader';

/**
 * A request's DataLoader that answers what it was primed with at once, without a promise. A page
 * of tokens read with its owners and scopes primes them, and the fields that show them then
 * resolve synchronously: graphql-jit completes a synchronous value in place, where each promise
 * costs it a microtask and its bookkeeping (hundreds of them on a page of 50 tokens). Anything not
 * primed is loaded, batched and cached, by the DataLoader it wraps.
 */
export class PrimedLoader<K, V extends {}> {
  private readonly primed = new Map<K, V>();

  constructor(private readonly loader: DataLoader<K, V>) {}

  /**
   * Like DataLoader's prime: a key primed already keeps its value. Only this map holds it: `load`
   * answers a primed key before the DataLoader is asked, so priming that too would only make it a
   * promise nobody reads.
   */
  prime(key: K, value: V): void {
    if (!this.primed.has(key)) this.primed.set(key, value);
  }

  /** The primed value itself, or the DataLoader's promise of it. */
  load(key: K): V | Promise<V> {
    return this.primed.get(key) ?? this.loader.load(key);
  }
}
