import { useId, useMemo, useState } from 'preact/hooks';
import { type ScopeOption, filterScopeGroups, groupScopes, unusableReason } from '../lib/scopes';
import { FieldProblem } from './feedback';

interface Props {
  scopes: readonly ScopeOption[];
  selected: readonly string[];
  onChange(selected: string[]): void;
  problem?: string;
  /** PATs are checked against their owner's permissions at every use; classic API tokens are not. */
  showUsability: boolean;
}

/** Every scope, grouped by API, each with its name, value and description; the ones the caller cannot use today say why. */
export function ScopePicker({ scopes, selected, onChange, problem, showUsability }: Props) {
  const id = useId();
  const [search, setSearch] = useState('');
  const groups = useMemo(() => groupScopes(scopes), [scopes]);
  const shown = filterScopeGroups(groups, search);
  const chosen = new Set(selected);
  const toggle = (value: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(value);
    else next.delete(value);
    // Catalog order, so the list reads the same whatever the order of the clicks.
    onChange(scopes.map((scope) => scope.value).filter((scope) => next.has(scope)));
  };
  return (
    <fieldset class="scope-picker" aria-describedby={problem ? `${id}-problem` : `${id}-count`} aria-invalid={problem ? 'true' : undefined}>
      <legend>Scopes</legend>
      <div class="scope-tools">
        <label for={`${id}-search`}>Find a scope</label>
        <input id={`${id}-search`} type="search" value={search} placeholder="metrics, settings, write…" onInput={(event) => setSearch(event.currentTarget.value)} />
        <p id={`${id}-count`} class="hint" aria-live="polite">
          {selected.length === 0 ? 'No scope chosen yet.' : `${selected.length} chosen: ${selected.join(', ')}`}
        </p>
      </div>
      <FieldProblem id={`${id}-problem`} text={problem} />
      {shown.length === 0 && <p class="empty">No scope matches “{search}”.</p>}
      <div class="scope-groups">
        {shown.map((group) => (
          <fieldset key={group.api} class="scope-group">
            <legend>
              {group.label} <code>{group.api}</code>
            </legend>
            {group.scopes.map((scope) => {
              const reason = showUsability ? unusableReason(scope) : null;
              const inputId = `${id}-${scope.value}`;
              return (
                <div key={scope.value} class={reason ? 'scope unusable' : 'scope'}>
                  <input
                    id={inputId}
                    type="checkbox"
                    checked={chosen.has(scope.value)}
                    onChange={(event) => toggle(scope.value, event.currentTarget.checked)}
                    aria-describedby={`${inputId}-about`}
                  />
                  <label for={inputId}>
                    {scope.name} <code>{scope.value}</code>
                  </label>
                  <p id={`${inputId}-about`} class="scope-about">
                    {scope.description}
                    {reason && <span class="scope-reason"> {reason}</span>}
                  </p>
                </div>
              );
            })}
          </fieldset>
        ))}
      </div>
    </fieldset>
  );
}
