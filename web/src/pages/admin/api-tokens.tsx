import { useState } from 'preact/hooks';
import { TokenFormOptionsDocument, TokenInventoryDocument } from '../../../../client/generated/graphql';
import { CreateTokenForm } from '../../components/create-token-form';
import { Empty, Loading, ProblemSummary } from '../../components/feedback';
import { OneTimeSecret } from '../../components/one-time-secret';
import { TokenList } from '../../components/token-list';
import { useNow, usePagedList, useQuery } from '../../hooks';
import { useSession } from '../../session';

const CLASSIC = { filter: { personalAccessToken: false }, first: 20 };

export function ApiTokensSection() {
  const { viewer } = useSession();
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; token: string } | null>(null);
  const options = useQuery(TokenFormOptionsDocument, {}, { skip: !creating });
  const tokens = usePagedList(TokenInventoryDocument, CLASSIC, (data) => data.accessTokens);
  return (
    <section aria-labelledby="api-tokens-title">
      <div class="page-head">
        <h2 id="api-tokens-title">Classic API tokens{tokens.totalCount !== undefined ? ` (${tokens.totalCount})` : ''}</h2>
        {!creating && !secret && (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            Create API token
          </button>
        )}
      </div>
      <p class="lead">
        Classic API tokens belong to the environment, for integrations that must not depend on one person. They are checked on their scopes alone, never on
        anyone’s permissions, and only administrators create, rotate or change them.
      </p>
      {secret && <OneTimeSecret key={secret.token} title={secret.title} token={secret.token} onDone={() => setSecret(null)} />}
      {creating &&
        (options.data ? (
          <CreateTokenForm
            kind="api"
            options={options.data}
            now={now}
            onCancel={() => setCreating(false)}
            onCreated={(token, name) => {
              setCreating(false);
              setSecret({ title: `The new API token “${name}”`, token });
              void tokens.reload();
            }}
          />
        ) : options.loading ? (
          <Loading>Loading scopes…</Loading>
        ) : (
          <ProblemSummary problems={options.problems} />
        ))}
      <ProblemSummary problems={tokens.problems} />
      {tokens.loading && tokens.nodes.length === 0 ? (
        <Loading>Loading the API tokens…</Loading>
      ) : tokens.nodes.length === 0 && !tokens.problems.general.length ? (
        <Empty>
          <p>There are no classic API tokens.</p>
        </Empty>
      ) : (
        <TokenList
          tokens={tokens.nodes}
          mode="admin"
          caption="Classic API tokens"
          policy={viewer.tokenPolicy}
          now={now}
          onChanged={() => void tokens.reload()}
          onSecret={(title, token) => setSecret({ title, token })}
        />
      )}
      {tokens.hasMore && (
        <button type="button" onClick={() => void tokens.more()} disabled={tokens.loadingMore}>
          {tokens.loadingMore ? 'Loading…' : 'Show more'}
        </button>
      )}
    </section>
  );
}
