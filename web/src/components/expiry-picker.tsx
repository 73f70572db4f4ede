import { useId } from 'preact/hooks';
import { type ExpiryChoice, type ExpiryPolicy, customDateBounds, expirationDateOf, expiryPresets, formatDate, noExpiryAllowed } from '../lib/dates';
import { FieldProblem, describedBy } from './feedback';

interface Props {
  policy: ExpiryPolicy;
  value: ExpiryChoice;
  onChange(choice: ExpiryChoice): void;
  now: Date;
  problem?: string;
  legend?: string;
}

/** Expiry presets (30/60/90 days), a custom day, and "no expiry" where the policy allows it, with a warning. */
export function ExpiryPicker({ policy, value, onChange, now, problem, legend = 'Expiration' }: Props) {
  const id = useId();
  const bounds = customDateBounds(policy, now);
  const presets = expiryPresets(policy);
  const expires = expirationDateOf(value, now);
  const limit = policy.maxLifetimeDays != null ? `The expiry policy allows at most ${policy.maxLifetimeDays} days.` : policy.requireExpiration ? 'The expiry policy requires an expiration date.' : null;
  return (
    <fieldset class="expiry" {...describedBy(`${id}-problem`, problem, `${id}-hint`)}>
      <legend>{legend}</legend>
      <div class="choices">
        {presets.map((preset) => (
          <label key={preset.days} class="choice">
            <input
              type="radio"
              name={`${id}-expiry`}
              checked={value.kind === 'days' && value.days === preset.days}
              onChange={() => onChange({ kind: 'days', days: preset.days })}
            />
            {preset.days} days{preset.policyLimit ? ' (the longest allowed)' : ''}
          </label>
        ))}
        <label class="choice">
          <input
            type="radio"
            name={`${id}-expiry`}
            checked={value.kind === 'custom'}
            onChange={() => onChange({ kind: 'custom', date: value.kind === 'custom' ? value.date : '' })}
          />
          Custom date
        </label>
        {noExpiryAllowed(policy) && (
          <label class="choice">
            <input type="radio" name={`${id}-expiry`} checked={value.kind === 'none'} onChange={() => onChange({ kind: 'none' })} />
            No expiration
          </label>
        )}
      </div>
      {value.kind === 'custom' && (
        <div class="field">
          <label for={`${id}-date`}>Expires at the start of</label>
          <input
            id={`${id}-date`}
            type="date"
            min={bounds.min}
            max={bounds.max}
            value={value.date}
            onInput={(event) => onChange({ kind: 'custom', date: event.currentTarget.value })}
            {...describedBy(`${id}-problem`, problem)}
          />
        </div>
      )}
      <p id={`${id}-hint`} class={value.kind === 'none' ? 'warning' : 'hint'}>
        {value.kind === 'none'
          ? 'A token that never expires stays valid until someone revokes it: if it leaks, it works for an attacker indefinitely. Prefer an expiration date and rotate the token before it.'
          : expires
            ? `Expires ${formatDate(expires)}${value.kind === 'days' ? '' : ' at 00:00 your time'}.`
            : 'Choose the day the token expires.'}
        {limit && value.kind !== 'none' ? ` ${limit}` : ''}
      </p>
      <FieldProblem id={`${id}-problem`} text={problem} />
    </fieldset>
  );
}
