import { useId, useMemo, useState } from 'preact/hooks';
import { CountAccessTokensDocument, DirectoryDocument, RevokeAccessTokensDocument, TokenFormOptionsDocument, TokenInventoryDocument } from '../../../../client/generated/graphql';
import { Notice, ProblemSummary } from '../../components/feedback';
import { OneTimeSecret } from '../../components/one-time-secret';
import { PagedTokens } from '../../components/paged-tokens';
import { useAction, useNow, usePagedList, useQuery } from '../../hooks';
import { EMPTY_FORM, type InventoryForm, SORT_ORDERS, STATUSES, criteriaCount, filterOf, revocableFilter } from '../../lib/inventory-filter';
import { groupScopes } from '../../lib/scopes';
import { useSession } from '../../session';
import { useUi } from '../../ui';

const PAGE_SIZE = 25;

/** Every token of the environment: filters, sort orders, and a bulk revoke that says how many before it acts. */
export function InventorySection() {
  const { run } = useSession();
  const ui = useUi();
  const now = useNow();
  const id = useId();
  const [form, setForm] = useState<InventoryForm>(EMPTY_FORM);
  const [applied, setApplied] = useState<InventoryForm>(EMPTY_FORM);
  const [sort, setSort] = useState(0);
  const [notice, setNotice] = useState('');
  const [secret, setSecret] = useState<{ title: string; token: string } | null>(null);
  const directory = useQuery(DirectoryDocument, {});
  const options = useQuery(TokenFormOptionsDocument, {});
  const filter = useMemo(() => filterOf(applied), [applied]);
  const tokens = usePagedList(TokenInventoryDocument, { filter, orderBy: SORT_ORDERS[sort].order, first: PAGE_SIZE }, (data) => data.accessTokens);
  const bulk = useAction();
  const set = <K extends keyof InventoryForm>(key: K, value: InventoryForm[K]) => setForm((current) => ({ ...current, [key]: value }));

  const revokeMatching = async () => {
    setNotice('');
    const target = revocableFilter(filter);
    const count = target ? await bulk.perform(async () => (await run(CountAccessTokensDocument, { filter: target })).accessTokens.totalCount) : 0;
    if (count === undefined) return;
    if (count === 0) {
      setNotice('No token matching these filters is left to revoke.');
      return;
    }
    const confirmed = await ui.confirm({
      title: `Revoke ${count} token${count === 1 ? '' : 's'}?`,
      body: (
        <>
          <p>
            Every token matching the filters that is not revoked yet is revoked: <strong>{count}</strong> now, personal and classic alike. Anything using
            them stops working at once. This cannot be undone.
          </p>
          <p class="hint">Tokens created after this count that match the filters are revoked too.</p>
        </>
      ),
      confirmLabel: `Revoke ${count} token${count === 1 ? '' : 's'}`,
      danger: true,
    });
    if (!confirmed) return;
    const revoked = await bulk.perform(async () => (await run(RevokeAccessTokensDocument, { filter })).revokeAccessTokens);
    if (revoked !== undefined) {
      setNotice(`${revoked} token${revoked === 1 ? '' : 's'} revoked.`);
      await tokens.reload();
    }
  };

  const criteria = criteriaCount(filter);
  const scopeGroups = options.data ? groupScopes(options.data.scopes) : [];
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Token inventory</h2>
      <p class="lead">Every token of the environment, personal and classic. Administrators may disable, revoke or delete any token, but only its owner can rotate a personal access token: a rotation hands out a secret that acts as the owner.</p>
      <form
        class="filters"
        aria-label="Filter the tokens"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(form);
        }}
        noValidate
      >
        <div class="filter-grid">
          <div class="field">
            <label for={`${id}-name`}>Name contains</label>
            <input id={`${id}-name`} type="search" value={form.nameContains} onInput={(event) => set('nameContains', event.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`${id}-owner`}>Owner</label>
            <select id={`${id}-owner`} value={form.ownerId} onChange={(event) => set('ownerId', event.currentTarget.value)}>
              <option value="">Anyone</option>
              {directory.data?.users.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.name ? `${user.name} (${user.subject})` : user.subject}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${id}-kind`}>Kind</label>
            <select id={`${id}-kind`} value={form.kind} onChange={(event) => set('kind', event.currentTarget.value as InventoryForm['kind'])}>
              <option value="any">Personal and classic</option>
              <option value="personal">Personal access tokens</option>
              <option value="classic">Classic API tokens</option>
            </select>
          </div>
          <div class="field">
            <label for={`${id}-used-before`}>Not used since</label>
            <input id={`${id}-used-before`} type="date" value={form.lastUsedBefore} onInput={(event) => set('lastUsedBefore', event.currentTarget.value)} aria-describedby={`${id}-used-before-hint`} />
            <p id={`${id}-used-before-hint`} class="hint">
              Never-used tokens match too.
            </p>
          </div>
          <div class="field">
            <label for={`${id}-used-after`}>Used since</label>
            <input id={`${id}-used-after`} type="date" value={form.lastUsedAfter} onInput={(event) => set('lastUsedAfter', event.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`${id}-expiring`}>Expires before</label>
            <input id={`${id}-expiring`} type="date" value={form.expiringBefore} onInput={(event) => set('expiringBefore', event.currentTarget.value)} />
          </div>
        </div>
        <fieldset class="statuses">
          <legend>Status</legend>
          {STATUSES.map((status) => (
            <label key={status} class="choice">
              <input
                type="checkbox"
                checked={form.statuses.includes(status)}
                onChange={(event) => set('statuses', event.currentTarget.checked ? [...form.statuses, status] : form.statuses.filter((chosen) => chosen !== status))}
              />
              {status.charAt(0) + status.slice(1).toLowerCase()}
            </label>
          ))}
        </fieldset>
        <details class="scope-filter">
          <summary>Scopes{form.scopes.length ? `: ${form.scopes.join(', ')}` : ' (tokens carrying any of them)'}</summary>
          {scopeGroups.map((group) => (
            <fieldset key={group.api} class="scope-group compact">
              <legend>{group.label}</legend>
              {group.scopes.map((scope) => (
                <label key={scope.value} class="choice">
                  <input
                    type="checkbox"
                    checked={form.scopes.includes(scope.value)}
                    onChange={(event) => set('scopes', event.currentTarget.checked ? [...form.scopes, scope.value] : form.scopes.filter((chosen) => chosen !== scope.value))}
                  />
                  <code>{scope.value}</code>
                </label>
              ))}
            </fieldset>
          ))}
        </details>
        <div class="actions">
          <button
            type="button"
            onClick={() => {
              setForm(EMPTY_FORM);
              setApplied(EMPTY_FORM);
            }}
          >
            Clear filters
          </button>
          <button type="submit" class="primary">
            Apply filters
          </button>
        </div>
      </form>
      <div class="list-tools">
        <div class="field inline">
          <label for={`${id}-sort`}>Sort by</label>
          <select id={`${id}-sort`} value={String(sort)} onChange={(event) => setSort(Number(event.currentTarget.value))}>
            {SORT_ORDERS.map((entry, index) => (
              <option key={entry.label} value={String(index)}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
        <p class="count" aria-live="polite">
          {tokens.totalCount === undefined ? '' : `${tokens.totalCount} token${tokens.totalCount === 1 ? '' : 's'} match${tokens.totalCount === 1 ? 'es' : ''}`}
        </p>
        <div>
          <button type="button" class="danger" onClick={revokeMatching} disabled={criteria === 0 || bulk.pending} aria-describedby={`${id}-bulk-hint`}>
            Revoke all matching…
          </button>
          <p id={`${id}-bulk-hint`} class="hint">
            {criteria === 0 ? 'Apply at least one filter to revoke in bulk.' : 'Shows how many first, and asks.'}
          </p>
        </div>
      </div>
      <ProblemSummary problems={bulk.problems} />
      {notice && <Notice text={notice} />}
      {secret && <OneTimeSecret key={secret.token} title={secret.title} token={secret.token} onDone={() => setSecret(null)} />}
      <PagedTokens
        list={tokens}
        mode="admin"
        caption="Tokens matching the filters"
        loading="Loading the tokens…"
        empty={<p>{criteria ? 'No token matches these filters.' : 'There are no tokens yet.'}</p>}
        now={now}
        onSecret={(title, token) => setSecret({ title, token })}
      />
    </section>
  );
}
