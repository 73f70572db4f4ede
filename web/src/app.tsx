import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ViewerDocument } from '../../client/generated/graphql';
import { Loading, ProblemSummary } from './components/feedback';
import { NO_PROBLEMS, type Problems, problemsOf } from './lib/errors';
import { type Route, parseRoute } from './lib/route';
import type { Credential } from './lib/session';
import { AdminPage } from './pages/admin/admin-page';
import { MyTokensPage } from './pages/my-tokens';
import { SignInPage } from './pages/sign-in';
import { type Session, SessionProvider, type SignOutReason, type Viewer, requester, storeCredential, storedSignIn } from './session';
import { ConfirmDialog, type ConfirmRequest, type Ui, UiContext } from './ui';

function isAdminOf(viewer: Viewer): boolean {
  return viewer.me.permissions.some((grant) => grant.permission === 'ADMIN' && !grant.managementZone);
}

export function App() {
  const [stored] = useState(storedSignIn);
  const [credential, setCredential] = useState<Credential | null>(stored && 'credential' in stored ? stored.credential : null);
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [viewerProblems, setViewerProblems] = useState<Readonly<Problems>>(NO_PROBLEMS);
  const [signedOut, setSignedOut] = useState<{ reason: SignOutReason; subject?: string } | undefined>(
    stored && 'expiredSubject' in stored ? { reason: 'expired', subject: stored.expiredSubject } : undefined,
  );
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [dialog, setDialog] = useState<{ request: ConfirmRequest; answer(confirmed: boolean): void } | null>(null);
  const guard = useRef<ConfirmRequest | null>(null);
  const shownHash = useRef(location.hash);

  const confirm = useCallback(
    (request: ConfirmRequest) =>
      new Promise<boolean>((resolve) =>
        setDialog({
          request,
          answer: (confirmed) => {
            setDialog(null);
            resolve(confirmed);
          },
        }),
      ),
    [],
  );

  const ui = useMemo<Ui>(
    () => ({
      confirm,
      setLeaveGuard: (request) => {
        guard.current = request;
      },
    }),
    [confirm],
  );

  // The back button and typed URLs change the hash without asking: undo the change, ask, then go.
  useEffect(() => {
    const onHashChange = async () => {
      if (location.hash === shownHash.current) return;
      const target = location.hash;
      if (guard.current) {
        history.replaceState(null, '', shownHash.current || '#/tokens');
        if (!(await confirm(guard.current))) return;
        guard.current = null;
        history.pushState(null, '', target);
      }
      shownHash.current = target;
      setRoute(parseRoute(target));
      document.getElementById('main')?.focus();
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (guard.current) event.preventDefault();
    };
    window.addEventListener('hashchange', onHashChange);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('hashchange', onHashChange);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [confirm]);

  const signOut = useCallback(
    (reason: SignOutReason) => {
      guard.current = null;
      setSignedOut({ reason, subject: credential?.subject });
      setCredential(null);
      setViewer(null);
      storeCredential(null);
    },
    [credential],
  );

  const run = useMemo(() => (credential ? requester(credential, signOut) : null), [credential, signOut]);

  const loadViewer = useCallback(async () => {
    if (!run) return;
    try {
      setViewer(await run(ViewerDocument, {}));
      setViewerProblems(NO_PROBLEMS);
    } catch (error) {
      setViewerProblems(problemsOf(error));
    }
  }, [run]);

  useEffect(() => {
    if (credential && !viewer) void loadViewer();
  }, [credential, viewer, loadViewer]);

  useEffect(() => {
    const titles: Record<Route['page'], string> = { 'sign-in': 'Sign in', tokens: 'My tokens', admin: 'Administration' };
    document.title = `${credential ? titles[route.page] : titles['sign-in']} · Tessera token settings`;
  }, [route, credential]);

  const session = useMemo<Session | null>(
    () => (credential && viewer && run ? { credential, viewer, isAdmin: isAdminOf(viewer), run, reloadViewer: loadViewer, signOut } : null),
    [credential, viewer, run, loadViewer, signOut],
  );

  let content;
  if (!credential) {
    content = (
      <SignInPage
        reason={signedOut?.reason}
        lastSubject={signedOut?.subject}
        onSignedIn={(signedIn, signedInViewer) => {
          storeCredential(signedIn);
          setSignedOut(undefined);
          setViewer(signedInViewer);
          setCredential(signedIn);
          if (route.page === 'sign-in') location.hash = '#/tokens';
        }}
      />
    );
  } else if (!session) {
    content = (
      <main id="main" tabIndex={-1}>
        {viewerProblems.general.length ? (
          <>
            <ProblemSummary problems={viewerProblems} />
            <button type="button" onClick={() => void loadViewer()}>
              Try again
            </button>
          </>
        ) : (
          <Loading>Signing in…</Loading>
        )}
      </main>
    );
  } else if (route.page === 'admin' && !session.isAdmin) {
    content = (
      <main id="main" tabIndex={-1}>
        <h1>Administration</h1>
        <p>These pages are for administrators (the ADMIN permission, environment-wide). You do not hold it.</p>
        <p>
          <a href="#/tokens">Go to your tokens</a>
        </p>
      </main>
    );
  } else {
    content = route.page === 'admin' ? <AdminPage section={route.section} /> : <MyTokensPage />;
  }

  return (
    <UiContext.Provider value={ui}>
      <a class="skip-link" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to the content
      </a>
      <header class="top">
        <a class="brand" href={credential ? '#/tokens' : '#/sign-in'}>
          Tessera <span>Token settings</span>
        </a>
        {session && (
          <nav aria-label="Main">
            <ul>
              <li>
                <a href="#/tokens" aria-current={route.page === 'tokens' ? 'page' : undefined}>
                  My tokens
                </a>
              </li>
              {session.isAdmin && (
                <li>
                  <a href="#/admin/settings" aria-current={route.page === 'admin' ? 'page' : undefined}>
                    Admin
                  </a>
                </li>
              )}
            </ul>
          </nav>
        )}
        {session && (
          <div class="who">
            <span class="who-name" title={session.viewer.me.email ?? undefined}>
              {session.viewer.me.name ?? session.viewer.me.subject}
            </span>
            <button
              type="button"
              onClick={async () => {
                if (guard.current && !(await confirm(guard.current))) return;
                signOut('signed-out');
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      {session ? <SessionProvider session={session}>{content}</SessionProvider> : content}
      {dialog && <ConfirmDialog request={dialog.request} onAnswer={dialog.answer} />}
    </UiContext.Provider>
  );
}
