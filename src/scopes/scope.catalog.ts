import type { DataSource } from 'typeorm';
import { badInput } from '../graphql/errors';
import { Scope } from './scope.entity';

/**
 * The scope catalog, read from PostgreSQL once at start. Scopes change only through
 * migrations, so a running process never needs to read them again.
 */
export class ScopeCatalog {
  private constructor(private readonly byValue: ReadonlyMap<string, Scope>) {}

  static async load(dataSource: DataSource): Promise<ScopeCatalog> {
    const scopes = await dataSource.getRepository(Scope).find({ order: { value: 'ASC' } });
    return new ScopeCatalog(new Map(scopes.map((scope) => [scope.value, scope])));
  }

  all(): Scope[] {
    return [...this.byValue.values()];
  }

  get(value: string): Scope | undefined {
    return this.byValue.get(value);
  }

  has(value: string): boolean {
    return this.byValue.has(value);
  }

  /** The distinct scope values asked for, in catalog order, or BAD_USER_INPUT naming every unknown one. */
  validate(values: readonly string[], field: string): string[] {
    const wanted = new Set(values);
    if (wanted.size === 0) throw badInput('At least one scope is required', field);
    const unknown = [...wanted].filter((value) => !this.byValue.has(value));
    if (unknown.length > 0) {
      const shown = unknown.slice(0, 10).map((value) => JSON.stringify(value.slice(0, 100)));
      const more = unknown.length > shown.length ? ` and ${unknown.length - shown.length} more` : '';
      throw badInput(`Unknown scopes: ${shown.join(', ')}${more}`, field);
    }
    return this.all()
      .map((scope) => scope.value)
      .filter((value) => wanted.has(value));
  }

  search(filter: { search?: string | null; values?: readonly string[] | null } = {}): Scope[] {
    const needle = filter.search?.toLowerCase();
    const values = filter.values ? new Set(filter.values) : undefined;
    return this.all().filter(
      (scope) =>
        (!values || values.has(scope.value)) &&
        (!needle ||
          scope.value.toLowerCase().includes(needle) ||
          scope.name.toLowerCase().includes(needle) ||
          scope.description.toLowerCase().includes(needle)),
    );
  }
}
