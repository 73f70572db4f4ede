import { useEffect, useId, useState } from 'preact/hooks';
import { AdminSettingsDocument, DisableFeatureDocument, EnableFeatureDocument, UpdateTokenPolicyDocument } from '../../../../client/generated/graphql';
import { FieldProblem, Loading, Notice, ProblemSummary, describedBy } from '../../components/feedback';
import { useAction, useQuery } from '../../hooks';
import { formatDateTime } from '../../lib/dates';
import { useSession } from '../../session';
import { useUi } from '../../ui';

const FEATURE = 'PERSONAL_ACCESS_TOKENS';

export function SettingsSection() {
  const settings = useQuery(AdminSettingsDocument, {});
  if (!settings.data) {
    return settings.loading ? <Loading>Loading the settings…</Loading> : <ProblemSummary problems={settings.problems} />;
  }
  const feature = settings.data.features.find((entry) => entry.feature === FEATURE);
  return (
    <>
      <FeatureSwitch
        enabled={feature?.enabled ?? false}
        updatedAt={feature?.updatedAt}
        existing={settings.data.personalAccessTokens.totalCount}
        onChanged={settings.reload}
      />
      <PolicyForm policy={settings.data.tokenPolicy} onChanged={settings.reload} />
    </>
  );
}

function FeatureSwitch({ enabled, updatedAt, existing, onChanged }: { enabled: boolean; updatedAt?: string | null; existing: number; onChanged(): Promise<void> }) {
  const { run, reloadViewer } = useSession();
  const ui = useUi();
  const action = useAction();
  const [notice, setNotice] = useState('');
  const tokens = `${existing} personal access token${existing === 1 ? '' : 's'}`;

  const toggle = async () => {
    const confirmed = await ui.confirm(
      enabled
        ? {
            title: 'Turn personal access tokens off?',
            body: (
              <>
                <p>
                  All {tokens} that are not revoked or expired become <strong>suspended</strong> at once: every request made with them is refused. They
                  are kept, and work again when the feature is turned back on.
                </p>
                <p>Users can no longer generate personal access tokens. Classic API tokens are not affected.</p>
              </>
            ),
            confirmLabel: 'Turn off',
            danger: true,
          }
        : {
            title: 'Turn personal access tokens on?',
            body: (
              <>
                <p>Every user can then generate personal access tokens for themselves, with any scopes; their permissions are checked at every use.</p>
                {existing > 0 && <p>The {tokens} kept while the feature was off work again, unless disabled.</p>}
              </>
            ),
            confirmLabel: 'Turn on',
          },
    );
    if (!confirmed) return;
    const done = await action.perform<unknown>(() => (enabled ? run(DisableFeatureDocument, { feature: FEATURE }) : run(EnableFeatureDocument, { feature: FEATURE })));
    if (done) {
      setNotice(enabled ? 'Personal access tokens are off.' : 'Personal access tokens are on.');
      await Promise.all([onChanged(), reloadViewer()]);
    }
  };

  return (
    <section class="card" aria-labelledby="feature-title">
      <h2 id="feature-title">Personal access tokens</h2>
      <p class="switch-state">
        <span class={enabled ? 'status status-active' : 'status status-disabled'}>{enabled ? 'On' : 'Off'}</span>
        {updatedAt && <span class="cell-note"> since {formatDateTime(updatedAt)}</span>}
      </p>
      <p>
        {enabled
          ? `Every user can generate personal access tokens bound to themselves. ${existing} exist now (not revoked or expired).`
          : existing === 0
            ? 'Users cannot generate personal access tokens.'
            : `Users cannot generate personal access tokens. The ${tokens} that exist are suspended: kept, but refused at every use until the feature is on again.`}
      </p>
      <p class="hint">
        Turning it off suspends every existing personal access token at once, without revoking any; turning it on again makes them work again. Classic API
        tokens are never affected.
      </p>
      <ProblemSummary problems={action.problems} />
      <button type="button" class={enabled ? 'danger' : 'primary'} onClick={toggle} disabled={action.pending}>
        {enabled ? 'Turn off personal access tokens' : 'Turn on personal access tokens'}
      </button>
      {notice && <Notice text={notice} />}
    </section>
  );
}

function PolicyForm({ policy, onChanged }: { policy: { requireExpiration: boolean; maxLifetimeDays?: number | null; updatedAt?: string | null }; onChanged(): Promise<void> }) {
  const { run, reloadViewer } = useSession();
  const id = useId();
  const [requireExpiration, setRequireExpiration] = useState(policy.requireExpiration);
  const [maxDays, setMaxDays] = useState(policy.maxLifetimeDays == null ? '' : String(policy.maxLifetimeDays));
  const [notice, setNotice] = useState('');
  const action = useAction(['requireExpiration', 'maxLifetimeDays']);
  useEffect(() => {
    setRequireExpiration(policy.requireExpiration);
    setMaxDays(policy.maxLifetimeDays == null ? '' : String(policy.maxLifetimeDays));
  }, [policy.requireExpiration, policy.maxLifetimeDays]);

  const limited = maxDays.trim() !== '';
  const parsed = Number(maxDays);
  const localProblem = limited && (!Number.isInteger(parsed) || parsed < 1 || parsed > 3650) ? 'Give a whole number of days from 1 to 3650, or leave it empty for no limit.' : undefined;
  const maxProblem = localProblem ?? action.problems.fields.maxLifetimeDays;

  const submit = async (event: Event) => {
    event.preventDefault();
    setNotice('');
    if (localProblem) return;
    const saved = await action.perform(() =>
      run(UpdateTokenPolicyDocument, { input: { requireExpiration: requireExpiration || limited, maxLifetimeDays: limited ? parsed : null } }),
    );
    if (saved) {
      setNotice('The expiry policy is saved. It applies to tokens created or rotated from now on.');
      await Promise.all([onChanged(), reloadViewer()]);
    }
  };

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Expiry policy</h2>
      <p class="hint">
        Applies to tokens created or rotated from now on, personal and classic; existing tokens keep their dates.
        {policy.updatedAt && ` Last changed ${formatDateTime(policy.updatedAt)}.`}
      </p>
      <ProblemSummary problems={action.problems} />
      <div class="field checkbox">
        <input
          id={`${id}-require`}
          type="checkbox"
          checked={requireExpiration || limited}
          disabled={limited}
          onChange={(event) => setRequireExpiration(event.currentTarget.checked)}
          {...describedBy(`${id}-require-problem`, action.problems.fields.requireExpiration, `${id}-require-hint`)}
        />
        <label for={`${id}-require`}>Require an expiration date</label>
        <p id={`${id}-require-hint`} class="hint">
          {limited ? 'A longest lifetime implies an expiration date.' : 'Without it, users may create tokens that never expire (they are warned).'}
        </p>
        <FieldProblem id={`${id}-require-problem`} text={action.problems.fields.requireExpiration} />
      </div>
      <div class="field">
        <label for={`${id}-max`}>Longest lifetime in days (optional)</label>
        <input
          id={`${id}-max`}
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          value={maxDays}
          onInput={(event) => setMaxDays(event.currentTarget.value)}
          {...describedBy(`${id}-max-problem`, maxProblem, `${id}-max-hint`)}
        />
        <p id={`${id}-max-hint`} class="hint">
          Empty: no limit. With a limit, the token pages offer only dates within it.
        </p>
        <FieldProblem id={`${id}-max-problem`} text={maxProblem} />
      </div>
      <button type="submit" class="primary" disabled={action.pending}>
        {action.pending ? 'Saving…' : 'Save policy'}
      </button>
      {notice && <Notice text={notice} />}
    </form>
  );
}
