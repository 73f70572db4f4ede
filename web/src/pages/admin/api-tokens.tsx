import { useState } from 'preact/hooks';
import { TokenInventoryDocument } from '../../../../client/generated/graphql';
import { CreateTokenPanel } from '../../components/create-token-form';
import { OneTimeSecret } from '../../components/one-time-secret';
import { PagedTokens } from '../../components/paged-tokens';
import { useNow, usePagedList } from '../../hooks';

const CLASSIC = { filter: { personalAccessToken: false }, first: 20 };

export function ApiTokensSection() {
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; token: string } | null>(null);
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
      {creating && (
        <CreateTokenPanel
          kind="api"
          now={now}
          onCancel={() => setCreating(false)}
          onCreated={(token, name) => {
            setCreating(false);
            setSecret({ title: `The new API token “${name}”`, token });
            void tokens.reload();
          }}
        />
      )}
      <PagedTokens
        list={tokens}
        mode="admin"
        caption="Classic API tokens"
        loading="Loading the API tokens…"
        empty={<p>There are no classic API tokens.</p>}
        now={now}
        onSecret={(title, token) => setSecret({ title, token })}
      />
    </section>
  );
}
