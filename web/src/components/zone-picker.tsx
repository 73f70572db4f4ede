import { useId } from 'preact/hooks';
import { FieldProblem } from './feedback';

interface Props {
  zones: readonly { id: string; name: string }[];
  selected: readonly string[];
  onChange(selected: string[]): void;
  problem?: string;
}

/** An optional restriction of a PAT to some management zones: it narrows what the owner may reach, never widens it. */
export function ZonePicker({ zones, selected, onChange, problem }: Props) {
  const id = useId();
  return (
    <fieldset class="zones" aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ''}`} aria-invalid={problem ? 'true' : undefined}>
      <legend>Management zones (optional)</legend>
      <p id={`${id}-hint`} class="hint">
        Leave all unchecked for a token that reaches every zone you may reach. Checked zones restrict the token to them: it then reaches only the zones both you and the token may.
      </p>
      {zones.length === 0 ? (
        <p class="empty">There are no management zones in this environment.</p>
      ) : (
        <div class="choices">
          {zones.map((zone) => (
            <label key={zone.id} class="choice">
              <input
                type="checkbox"
                checked={selected.includes(zone.id)}
                onChange={(event) =>
                  onChange(event.currentTarget.checked ? [...selected, zone.id] : selected.filter((chosen) => chosen !== zone.id))
                }
              />
              {zone.name}
            </label>
          ))}
        </div>
      )}
      <FieldProblem id={`${id}-problem`} text={problem} />
    </fieldset>
  );
}
