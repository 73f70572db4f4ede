import type { ComponentChildren } from 'preact';
import type { PagedState } from '../hooks';
import { useSession } from '../session';
import { Empty, Loading, ProblemSummary } from './feedback';
import { type ListedToken, TokenList } from './token-list';

interface Props {
  list: PagedState<ListedToken>;
  mode: 'mine' | 'admin';
  caption: string;
  /** What the list shows while its first page loads, e.g. "Loading your tokens…". */
  loading: string;
  empty: ComponentChildren;
  now: Date;
  onSecret(title: string, token: string): void;
}

/** A list of tokens with its loading and empty states, its problems, and "Show more" for the next page. */
export function PagedTokens({ list, mode, caption, loading, empty, now, onSecret }: Props) {
  const { viewer } = useSession();
  return (
    <>
      <ProblemSummary problems={list.problems} />
      {list.loading && list.nodes.length === 0 ? (
        <Loading>{loading}</Loading>
      ) : list.nodes.length === 0 && !list.problems.general.length ? (
        <Empty>{empty}</Empty>
      ) : (
        <TokenList tokens={list.nodes} mode={mode} caption={caption} policy={viewer.tokenPolicy} now={now} onChanged={() => void list.reload()} onSecret={onSecret} />
      )}
      {list.hasMore && (
        <button type="button" onClick={() => void list.more()} disabled={list.loadingMore}>
          {list.loadingMore ? 'Loading…' : 'Show more'}
        </button>
      )}
    </>
  );
}
