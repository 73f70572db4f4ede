import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { NO_PROBLEMS, type Problems, hasProblems, problemsOf } from './lib/errors';
import { useSession } from './session';

export interface QueryState<T> {
  data: T | undefined;
  problems: Readonly<Problems>;
  loading: boolean;
  reload(): Promise<void>;
}

/** Runs a query when the component mounts and whenever its variables change; keeps the last data while reloading. */
export function useQuery<T, V>(document: TypedDocumentNode<T, V>, variables: V, options: { skip?: boolean } = {}): QueryState<T> {
  const { run } = useSession();
  const [data, setData] = useState<T>();
  const [problems, setProblems] = useState<Readonly<Problems>>(NO_PROBLEMS);
  const [loading, setLoading] = useState(!options.skip);
  const key = JSON.stringify(variables);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    try {
      const result = await run(document, JSON.parse(key) as V);
      if (request !== latest.current) return;
      setData(result);
      setProblems(NO_PROBLEMS);
    } catch (error) {
      if (request === latest.current) setProblems(problemsOf(error));
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }, [document, key, run]);

  useEffect(() => {
    if (!options.skip) void load();
  }, [load, options.skip]);

  return { data, problems, loading, reload: load };
}

export interface ActionState {
  pending: boolean;
  problems: Readonly<Problems>;
  /** Runs `action`; its failure becomes `problems` (sorted by `fields`) and the answer is undefined. */
  perform<R>(action: () => Promise<R>): Promise<R | undefined>;
  setProblems(problems: Readonly<Problems>): void;
}

export function useAction(fields: readonly string[] = []): ActionState {
  const [pending, setPending] = useState(false);
  const [problems, setProblems] = useState<Readonly<Problems>>(NO_PROBLEMS);
  const fieldKey = fields.join(',');
  const perform = useCallback(
    async <R,>(action: () => Promise<R>): Promise<R | undefined> => {
      setPending(true);
      setProblems(NO_PROBLEMS);
      try {
        return await action();
      } catch (error) {
        setProblems(problemsOf(error, fieldKey ? fieldKey.split(',') : []));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [fieldKey],
  );
  return { pending, problems, perform, setProblems };
}

/** "now", moving every minute, so relative dates and "expires soon" stay true on an open page. */
export function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export interface Page<N> {
  nodes: readonly N[];
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface PagedState<N> {
  nodes: readonly N[];
  totalCount?: number;
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  problems: Readonly<Problems>;
  more(): Promise<void>;
  /** Back to the first page: after a change, what was loaded may be stale. */
  reload(): Promise<void>;
}

/** A keyset-paginated list: the first page, and "Show more" appending the next page after the last cursor. */
export function usePagedList<T, V extends { after?: string | null }, N>(document: TypedDocumentNode<T, V>, variables: V, select: (data: T) => Page<N>): PagedState<N> {
  const { run } = useSession();
  const first = useQuery(document, variables);
  const [more, setMore] = useState<{ nodes: N[]; page?: Page<N> }>({ nodes: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreProblems, setMoreProblems] = useState<Readonly<Problems>>(NO_PROBLEMS);
  const firstPage = first.data ? select(first.data) : undefined;
  const key = JSON.stringify(variables);
  useEffect(() => setMore({ nodes: [] }), [first.data, key]);
  const last = more.page ?? firstPage;
  return {
    nodes: firstPage ? [...firstPage.nodes, ...more.nodes] : [],
    totalCount: firstPage?.totalCount,
    hasMore: Boolean(last?.pageInfo.hasNextPage),
    loading: first.loading,
    loadingMore,
    problems: hasProblems(first.problems) ? first.problems : moreProblems,
    reload: first.reload,
    more: async () => {
      if (!last?.pageInfo.endCursor) return;
      setLoadingMore(true);
      try {
        const page = select(await run(document, { ...variables, after: last.pageInfo.endCursor }));
        setMore((current) => ({ nodes: [...current.nodes, ...page.nodes], page }));
        setMoreProblems(NO_PROBLEMS);
      } catch (error) {
        setMoreProblems(problemsOf(error));
      } finally {
        setLoadingMore(false);
      }
    },
  };
}

