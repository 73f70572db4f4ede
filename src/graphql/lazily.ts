/** What a map of factories makes: each factory replaced by its value. */
export type Made<Factories> = { readonly [K in keyof Factories]: Factories[K] extends () => infer V ? V : never };

/**
 * A maker of objects whose members are made on first use, once per object. A request's DataLoaders
 * are made this way: most requests use one or two of them, and the authentication hot path none.
 * The getters live on one prototype built here, once, so each request pays for one small object.
 */
export function lazily<Factories extends Record<string, () => unknown>>(factories: Factories): () => Made<Factories> {
  const prototype = {};
  for (const [key, make] of Object.entries(factories)) {
    Object.defineProperty(prototype, key, {
      enumerable: true,
      get(this: object) {
        const value = make();
        // The made value shadows the getter on this object alone.
        Object.defineProperty(this, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return () => Object.create(prototype) as Made<Factories>;
}
