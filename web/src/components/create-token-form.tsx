import { useId, useState } from 'preact/hooks';
import { CreateApiTokenDocument, CreatePersonalAccessTokenDocument, TokenFormOptionsDocument, type TokenFormOptionsQuery } from '../../../client/generated/graphql';
import { useAction, useQuery } from '../hooks';
import { type ExpiryChoice, defaultExpiry, expirationDateOf, expiryProblem } from '../lib/dates';
import { useSession } from '../session';
import { ExpiryPicker } from './expiry-picker';
import { FieldProblem, Loading, ProblemSummary, describedBy } from './feedback';
import { ScopePicker } from './scope-picker';
import { ZonePicker } from './zone-picker';

const FIELDS = ['name', 'expirationDate', 'scopes', 'managementZoneIds'];

interface Props {
  kind: 'personal' | 'api';
  now: Date;
  onCreated(secret: string, name: string): void;
  onCancel(): void;
}

/** The form, once the scopes, zones and expiry policy it offers are loaded. */
export function CreateTokenPanel(props: Props) {
  const options = useQuery(TokenFormOptionsDocument, {});
  if (options.data) return <CreateTokenForm {...props} options={options.data} />;
  return options.loading ? <Loading>Loading scopes and management zones…</Loading> : <ProblemSummary problems={options.problems} />;
}

/** Name, expiry, scopes and (for a PAT) management zones; the API's refusals show next to the field they concern. */
function CreateTokenForm({ kind, options, now, onCreated, onCancel }: Props & { options: TokenFormOptionsQuery }) {
  const { run } = useSession();
  const id = useId();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(() => defaultExpiry(options.tokenPolicy));
  const [scopes, setScopes] = useState<string[]>([]);
  const [zones, setZones] = useState<string[]>([]);
  const [checked, setChecked] = useState(false);
  const action = useAction(FIELDS);

  // The form's own checks, shown once the person tried to submit; the service checks everything again.
  const local = {
    name: name.trim() ? undefined : 'Give the token a name, e.g. what uses it.',
    expirationDate: expiryProblem(expiry, options.tokenPolicy, now) ?? undefined,
    scopes: scopes.length ? undefined : 'Choose at least one scope.',
  };
  const problem = (field: keyof typeof local | 'managementZoneIds') =>
    (checked && field !== 'managementZoneIds' ? local[field] : undefined) ?? action.problems.fields[field];

  const submit = async (event: Event) => {
    event.preventDefault();
    setChecked(true);
    if (local.name || local.expirationDate || local.scopes) return;
    const expirationDate = expirationDateOf(expiry, now)?.toISOString();
    const input = { name: name.trim(), scopes, ...(expirationDate && { expirationDate }) };
    const secret = await action.perform(async () =>
      kind === 'personal'
        ? (await run(CreatePersonalAccessTokenDocument, { input: { ...input, ...(zones.length && { managementZoneIds: zones }) } })).createPersonalAccessToken.token
        : (await run(CreateApiTokenDocument, { input })).createApiToken.token,
    );
    if (secret) onCreated(secret, input.name);
  };

  return (
    <form class="create-token" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{kind === 'personal' ? 'Generate a personal access token' : 'Create a classic API token'}</h2>
      <p class="hint">
        {kind === 'personal'
          ? 'The token acts as you. Its scopes are not limited by your permissions when you choose them: your permissions are checked whenever the token is used.'
          : 'A classic API token belongs to the environment, not to you: it is checked on its scopes alone, whoever created it. Only administrators manage these tokens.'}
      </p>
      <ProblemSummary problems={action.problems} />
      <div class="field">
        <label for={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          type="text"
          value={name}
          maxLength={200}
          autocomplete="off"
          onInput={(event) => setName(event.currentTarget.value)}
          {...describedBy(`${id}-name-problem`, problem('name'))}
        />
        <FieldProblem id={`${id}-name-problem`} text={problem('name')} />
      </div>
      <ExpiryPicker policy={options.tokenPolicy} value={expiry} onChange={setExpiry} now={now} problem={problem('expirationDate')} />
      <ScopePicker scopes={options.scopes} selected={scopes} onChange={setScopes} problem={problem('scopes')} showUsability={kind === 'personal'} />
      {kind === 'personal' && <ZonePicker zones={options.managementZones} selected={zones} onChange={setZones} problem={problem('managementZoneIds')} />}
      <div class="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={action.pending}>
          {action.pending ? 'Generating…' : kind === 'personal' ? 'Generate token' : 'Create token'}
        </button>
      </div>
    </form>
  );
}
