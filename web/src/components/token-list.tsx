import { useId, useState } from 'preact/hooks';
import { GraphQLRequestError } from '../../../client/client';
import {
  DeleteAccessTokenDocument,
  RevokeAccessTokenDocument,
  RotateAccessTokenDocument,
  SetAccessTokenEnabledDocument,
  type TokenDetailsFragment,
  TokenEffectiveAccessDocument,
} from '../../../client/generated/graphql';
import { useAction, useQuery } from '../hooks';
import { type ExpiryChoice, type ExpiryPolicy, defaultExpiry, expirationDateOf, expiresSoon, expiryProblem, formatDate, formatDateTime, relativeTime } from '../lib/dates';
import { problemsOf } from '../lib/errors';
import { permissionLabel } from '../lib/scopes';
import { disabledBy, isFinal, statusAt, tokenActions } from '../lib/token-actions';
import { useSession } from '../session';
import { FormDialog, useUi } from '../ui';
import { ExpiryPicker } from './expiry-picker';
import { FieldProblem, Loading, ProblemSummary, describedBy } from './feedback';

export type ListedToken = TokenDetailsFragment & { owner: { id: string; name?: string | null; subject?: string; email?: string | null } };

interface Props {
  tokens: readonly ListedToken[];
  /** `mine`: the signed-in user's own tokens; `admin`: any token, as an administrator. */
  mode: 'mine' | 'admin';
  caption: string;
  policy: ExpiryPolicy;
  now: Date;
  onChanged(): void;
  /** A rotation's new secret, for the page to show once. */
  onSecret(title: string, token: string): void;
}

const STATUS_HINTS: Record<string, string> = {
  ACTIVE: 'Works',
  DISABLED: 'Switched off; can be enabled again',
  SUSPENDED: 'Unusable while personal access tokens are off or the owner is deactivated',
  EXPIRED: 'Past its expiration date; final',
  REVOKED: 'Revoked for good; final',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`status status-${status.toLowerCase()}`} title={STATUS_HINTS[status]}>
      {status.charAt(0) + status.slice(1).toLowerCase()}
    </span>
  );
}

export function ownerLabel(owner: ListedToken['owner']): string {
  return owner.name || owner.subject || owner.email || owner.id;
}

/** Tokens as a table at desktop width and as cards on a phone, each with the actions its caller may take. */
export function TokenList({ tokens, mode, caption, policy, now, onChanged, onSecret }: Props) {
  return (
    <table class="tokens">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Status</th>
          {mode === 'admin' && <th scope="col">Owner</th>}
          <th scope="col">Scopes</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((token) => (
          <TokenRow key={token.id} token={token} mode={mode} policy={policy} now={now} onChanged={onChanged} onSecret={onSecret} />
        ))}
      </tbody>
    </table>
  );
}

function TokenRow({ token, mode, policy, now, onChanged, onSecret }: Omit<Props, 'tokens' | 'caption'> & { token: ListedToken }) {
  const { viewer, isAdmin, run } = useSession();
  const ui = useUi();
  const action = useAction();
  const [rotating, setRotating] = useState(false);
  const [details, setDetails] = useState(false);
  const detailsId = useId();
  const caller = { userId: viewer.me.id, admin: isAdmin };
  const status = statusAt(token, now);
  const current = { ...token, status };
  const actions = tokenActions(current, caller);
  const disabledNote = disabledBy(current, caller);

  // A refusal usually means the token changed meanwhile (in another tab, by an administrator): the
  // list reloads after it too, so the row shows what the token is now beside the refusal's words.
  const act = (work: () => Promise<unknown>) =>
    action.perform(async () => {
      try {
        await work();
      } catch (error) {
        if (error instanceof GraphQLRequestError && !problemsOf(error).signedOut) onChanged();
        throw error;
      }
      onChanged();
    });
  const setEnabled = (enabled: boolean) => act(() => run(SetAccessTokenEnabledDocument, { id: token.id, enabled }));
  const revoke = async () => {
    const confirmed = await ui.confirm({
      title: `Revoke “${token.name}”?`,
      body: <p>Anything using this token stops working at once. Revoking is final: the token can never be used or enabled again.</p>,
      confirmLabel: 'Revoke',
      danger: true,
    });
    if (confirmed) {
      await act(() => run(RevokeAccessTokenDocument, { id: token.id }));
    }
  };
  const remove = async () => {
    const confirmed = await ui.confirm({
      title: `Delete “${token.name}”?`,
      body: (
        <p>
          The token disappears from every list{isFinal(status) ? '' : ' and stops working at once'}. The audit log keeps what happened to it.
        </p>
      ),
      confirmLabel: 'Delete',
      danger: true,
    });
    if (confirmed) {
      await act(() => run(DeleteAccessTokenDocument, { id: token.id }));
    }
  };

  const soon = expiresSoon(token.expirationDate, now);
  return (
    <>
      <tr class={soon && !isFinal(status) ? 'soon' : undefined}>
        <th scope="row" data-label="Name">
          <span class="token-name">{token.name}</span>
          <code class="token-id">{token.id}</code>
          {!token.personalAccessToken && mode === 'admin' && <span class="kind">Classic API token</span>}
        </th>
        <td data-label="Status">
          <StatusBadge status={status} />
          {disabledNote && <span class="cell-note">{disabledNote}</span>}
        </td>
        {mode === 'admin' && (
          <td data-label="Owner">
            {token.personalAccessToken ? ownerLabel(token.owner) : <span class="cell-note">Environment (created by {ownerLabel(token.owner)})</span>}
          </td>
        )}
        <td data-label="Scopes">
          <ul class="chips">
            {token.scopes.map((scope) => (
              <li key={scope.value} title={scope.name}>
                {scope.value}
              </li>
            ))}
          </ul>
          {token.managementZones && <span class="cell-note">Only in: {token.managementZones.map((zone) => zone.name).join(', ')}</span>}
        </td>
        <td data-label="Created">
          <time dateTime={token.creationDate} title={formatDateTime(token.creationDate)}>
            {formatDate(token.creationDate)}
          </time>
        </td>
        <td data-label="Expires">
          {token.expirationDate ? (
            <>
              <time dateTime={token.expirationDate} title={formatDateTime(token.expirationDate)}>
                {formatDate(token.expirationDate)}
              </time>
              <span class={soon ? 'cell-note soon-note' : 'cell-note'}>
                {soon ? `Expires soon: ${relativeTime(token.expirationDate, now)}` : relativeTime(token.expirationDate, now)}
              </span>
            </>
          ) : (
            <span class="cell-note">Never</span>
          )}
        </td>
        <td data-label="Last used">
          {token.lastUsedDate ? (
            <>
              <time dateTime={token.lastUsedDate} title={formatDateTime(token.lastUsedDate)}>
                {relativeTime(token.lastUsedDate, now)}
              </time>
              {token.lastUsedIpAddress && <span class="cell-note">from {token.lastUsedIpAddress}</span>}
            </>
          ) : (
            <span class="cell-note">Never used</span>
          )}
        </td>
        <td data-label="Actions">
          <div class="row-actions" role="group" aria-label={`Actions for ${token.name}`}>
            <button type="button" aria-expanded={details} aria-controls={detailsId} onClick={() => setDetails(!details)}>
              {details ? 'Hide access' : 'What can it do?'}
            </button>
            {actions.rotate && (
              <button type="button" onClick={() => setRotating(true)} disabled={action.pending}>
                Rotate
              </button>
            )}
            {actions.disable && (
              <button type="button" onClick={() => setEnabled(false)} disabled={action.pending}>
                Disable
              </button>
            )}
            {actions.enable && (
              <button type="button" onClick={() => setEnabled(true)} disabled={action.pending}>
                Enable
              </button>
            )}
            {actions.revoke && (
              <button type="button" class="danger" onClick={revoke} disabled={action.pending}>
                Revoke
              </button>
            )}
            {actions.delete && (
              <button type="button" class="danger-quiet" onClick={remove} disabled={action.pending}>
                Delete
              </button>
            )}
          </div>
          {actions.enableRefusal && <span class="cell-note">{actions.enableRefusal}</span>}
          <ProblemSummary problems={action.problems} />
        </td>
      </tr>
      {details && (
        <tr class="details-row">
          <td colSpan={mode === 'admin' ? 8 : 7} id={detailsId}>
            <TokenAccess token={token} now={now} />
          </td>
        </tr>
      )}
      {rotating && (
        <RotateDialog
          token={token}
          policy={policy}
          now={now}
          onClose={() => setRotating(false)}
          onRotated={(secret) => {
            setRotating(false);
            onSecret(`New secret for “${token.name}”`, secret);
            onChanged();
          }}
        />
      )}
    </>
  );
}

const DENIALS: Record<string, string> = {
  MISSING_PERMISSION: 'Refused: the owner lacks the permission it needs',
  MANAGEMENT_ZONE_NOT_PERMITTED: 'Refused: no management zone where both the token and its owner may use it',
  MISSING_SCOPE: 'Refused: the token does not carry it',
};

/** What the token really can do today (`effectiveAccess`), and where it was used from. */
function TokenAccess({ token, now }: { token: ListedToken; now: Date }) {
  const { data, loading, problems } = useQuery(TokenEffectiveAccessDocument, { id: token.id });
  return (
    <div class="token-access">
      <h3>What “{token.name}” can do today</h3>
      <p class="hint">
        {token.personalAccessToken
          ? 'A personal access token is checked against its owner’s current permissions at every use.'
          : 'A classic API token is checked on its scopes alone.'}
      </p>
      <ProblemSummary problems={problems} />
      {loading && !data ? (
        <Loading>Loading what the token can do…</Loading>
      ) : (
        data?.accessToken && (
          <ul class="access">
            {data.accessToken.effectiveAccess.map((decision) => (
              <li key={decision.scope.value} class={decision.allowed ? 'allowed' : 'denied'}>
                <span class="access-scope">
                  {decision.scope.name} <code>{decision.scope.value}</code>
                </span>
                <span class="access-answer">
                  {decision.allowed
                    ? decision.managementZones
                      ? `Allowed in ${decision.managementZones.map((zone) => zone.name).join(', ') || 'no zone yet'}`
                      : 'Allowed in the whole environment'
                    : `${DENIALS[decision.reason ?? ''] ?? 'Refused'}${decision.reason === 'MISSING_PERMISSION' ? ` (${permissionLabel(decision.scope.requiredPermission)})` : ''}`}
                </span>
              </li>
            ))}
          </ul>
        )
      )}
      {token.recentIpAddresses.length > 0 && (
        <>
          <h3>Used recently from</h3>
          <ul class="plain">
            {token.recentIpAddresses.map((address) => (
              <li key={address.ipAddress}>
                {address.ipAddress}, {relativeTime(address.lastUsedDate, now)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

const GRACE_CHOICES = [
  { seconds: 0, label: 'At once' },
  { seconds: 3600, label: 'After 1 hour' },
  { seconds: 86_400, label: 'After 1 day' },
];

/** A new secret for the token: when the old one stops working, and whether the expiry changes. */
function RotateDialog({ token, policy, now, onClose, onRotated }: { token: ListedToken; policy: ExpiryPolicy; now: Date; onClose(): void; onRotated(secret: string): void }) {
  const { run } = useSession();
  const id = useId();
  const [grace, setGrace] = useState(0);
  const [keepExpiry, setKeepExpiry] = useState(true);
  const [expiry, setExpiry] = useState<ExpiryChoice>(() => defaultExpiry(policy));
  const action = useAction(['gracePeriodSeconds', 'expirationDate']);
  const localProblem = keepExpiry ? null : expiryProblem(expiry, policy, now);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (localProblem) return;
    const expirationDate = keepExpiry ? undefined : expirationDateOf(expiry, now)?.toISOString();
    const answer = await action.perform(() => run(RotateAccessTokenDocument, { id: token.id, input: { gracePeriodSeconds: grace, ...(expirationDate && { expirationDate }) } }));
    if (answer) onRotated(answer.rotateAccessToken.token);
  };
  return (
    <FormDialog title={`Rotate “${token.name}”`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>A new secret replaces the current one; the token keeps its id, name and scopes. The new secret is shown once.</p>
        <ProblemSummary problems={action.problems} />
        <fieldset {...describedBy(`${id}-grace-problem`, action.problems.fields.gracePeriodSeconds)}>
          <legend>The current secret stops working</legend>
          {GRACE_CHOICES.map((choice) => (
            <label key={choice.seconds} class="choice">
              <input type="radio" name={`${id}-grace`} checked={grace === choice.seconds} onChange={() => setGrace(choice.seconds)} />
              {choice.label}
            </label>
          ))}
          <p class="hint">Using the old secret after that revokes the token: it is taken as a sign of theft.</p>
          <FieldProblem id={`${id}-grace-problem`} text={action.problems.fields.gracePeriodSeconds} />
        </fieldset>
        <fieldset>
          <legend>Expiration</legend>
          <label class="choice">
            <input type="radio" name={`${id}-keep`} checked={keepExpiry} onChange={() => setKeepExpiry(true)} />
            Keep the current one ({token.expirationDate ? formatDate(token.expirationDate) : 'never expires'})
          </label>
          <label class="choice">
            <input type="radio" name={`${id}-keep`} checked={!keepExpiry} onChange={() => setKeepExpiry(false)} />
            Set a new one
          </label>
          {keepExpiry && <FieldProblem id={`${id}-expiry-problem`} text={action.problems.fields.expirationDate} />}
        </fieldset>
        {!keepExpiry && (
          <ExpiryPicker policy={policy} value={expiry} onChange={setExpiry} now={now} legend="New expiration" problem={localProblem ?? action.problems.fields.expirationDate} />
        )}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={action.pending}>
            {action.pending ? 'Rotating…' : 'Rotate'}
          </button>
        </div>
      </form>
    </FormDialog>
  );
}
