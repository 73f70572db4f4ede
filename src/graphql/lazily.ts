/** What a map of factories makes: each factory replaced by its value. */
export type Made<Factories> = { readonly [K in keyof Factories]: Factories[K] extends () => infer V ? V : never };

/**
 * An object whose members are made on first use, once. A request's DataLoaders are made this way:
 * most requests use one or two of them, and the authentication hot path none.
 */
export function lazily<Factories extends Record<string, () => unknown>>(factories: Factories): Made<Factories> {
  const made = {} as Record<string, unknown>;
  for (const [key, make] of Object.entries(factories)) {
    Object.defineProperty(made, key, {
      configurable: true,
      enumerable: true,
      get() {
        const value = make();
        Object.defineProperty(made, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return made as Made<Factories>;
}
