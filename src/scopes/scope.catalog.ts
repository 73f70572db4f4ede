import type { DataSource } from 'typeorm';
import { suggestionList } from 'graphql/jsutils/suggestionList';
import { type ServiceError, badInput } from '../graphql/errors';
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
    if (unknown.length > 0) throw this.unknown(unknown, field);
    return this.all()
      .map((scope) => scope.value)
      .filter((value) => wanted.has(value));
  }

  /** The catalog's values closest to a mistyped one, closest first (at most three). */
  suggestionsFor(value: string): string[] {
    // graphql-js's own "Did you mean" ranking (edit distance with transpositions, case-insensitive, a length-bound threshold).
    return suggestionList(value, [...this.byValue.keys()]).slice(0, 3);
  }

  /**
   * BAD_USER_INPUT for scope values the catalog lacks: the message names each (at most ten) with
   * the closest known values, and says where the list is; `extensions.unknownScopes` carries the
   * same for a program.
   */
  unknown(values: readonly string[], field: string): ServiceError {
    const shown = values.slice(0, 10).map((value) => ({ value: value.slice(0, 100), suggestions: this.suggestionsFor(value.slice(0, 100)) }));
    const named = shown.map(
      ({ value, suggestions }) => `${JSON.stringify(value)}${suggestions.length > 0 ? ` (did you mean ${suggestions.map((s) => JSON.stringify(s)).join(' or ')}?)` : ''}`,
    );
    const more = values.length > shown.length ? ` and ${values.length - shown.length} more` : '';
    return badInput(`Unknown scope${values.length > 1 ? 's' : ''}: ${named.join(', ')}${more}. The \`scopes\` query lists every scope.`, field, {
      unknownScopes: shown,
    });
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
