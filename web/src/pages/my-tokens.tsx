import { useState } from 'preact/hooks';
import { MyTokensDocument } from '../../../client/generated/graphql';
import { CreateTokenPanel } from '../components/create-token-form';
import { OneTimeSecret } from '../components/one-time-secret';
import { PagedTokens } from '../components/paged-tokens';
import { useNow, usePagedList } from '../hooks';
import { useSession } from '../session';

const PAGE_SIZE = 20;

export function MyTokensPage() {
  const { viewer } = useSession();
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; token: string } | null>(null);
  const tokens = usePagedList(MyTokensDocument, { first: PAGE_SIZE }, (data) => data.me.personalAccessTokens);
  const enabled = viewer.features.find((feature) => feature.feature === 'PERSONAL_ACCESS_TOKENS')?.enabled ?? false;

  return (
    <main id="main" tabIndex={-1}>
      <div class="page-head">
        <h1>My tokens</h1>
        {enabled && !creating && !secret && (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            Generate new token
          </button>
        )}
      </div>
      <p class="lead">
        Personal access tokens let scripts and tools use the API as you. Each is bound to you; nobody can generate one for you, and you can see its secret only once.
      </p>
      {!enabled && (
        <div class="notice-box" role="note">
          <p>
            <strong>Personal access tokens are turned off in this environment.</strong> An administrator can turn them on. Your existing tokens are
            suspended meanwhile: kept, but unusable until the feature is on again.
          </p>
        </div>
      )}
      {secret && <OneTimeSecret key={secret.token} title={secret.title} token={secret.token} onDone={() => setSecret(null)} />}
      {creating && (
        <CreateTokenPanel
          kind="personal"
          now={now}
          onCancel={() => setCreating(false)}
          onCreated={(token, name) => {
            setCreating(false);
            setSecret({ title: `Your new token “${name}”`, token });
            void tokens.reload();
          }}
        />
      )}
      <section aria-labelledby="my-tokens-list">
        <h2 id="my-tokens-list">
          Your personal access tokens{tokens.totalCount !== undefined ? ` (${tokens.totalCount})` : ''}
        </h2>
        <PagedTokens
          list={tokens}
          mode="mine"
          caption="Your personal access tokens"
          loading="Loading your tokens…"
          empty={
            <>
              <p>You have no personal access tokens yet.</p>
              {enabled && <p>Generate one for each script or tool, with only the scopes it needs and an expiration date.</p>}
            </>
          }
          now={now}
          onSecret={(title, token) => setSecret({ title, token })}
        />
      </section>
      <p class="hint">
        The same actions are open to scripts through the GraphQL API, in <a href="/graphql">GraphiQL</a>.
      </p>
    </main>
  );
}
