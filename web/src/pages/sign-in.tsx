import { useId, useState } from 'preact/hooks';
import { ViewerDocument } from '../../../client/generated/graphql';
import { FieldProblem, ProblemSummary, describedBy } from '../components/feedback';
import { problemsOf } from '../lib/errors';
import { type Credential, readSignIn, sessionCommand } from '../lib/session';
import { requester, type SignOutReason, type Viewer } from '../session';

interface Props {
  /** Why the page shows: the last sign-in expired, or the person signed out. */
  reason?: SignOutReason;
  /** The user of the sign-in that expired, to fill in the command. */
  lastSubject?: string;
  onSignedIn(credential: Credential, viewer: Viewer): void;
}

export function SignInPage({ reason, lastSubject, onSignedIn }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<{ text: string; command?: boolean; subject?: string } | null>(null);
  const [general, setGeneral] = useState<string[]>([]);
  const [pending, setPending] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setGeneral([]);
    const reading = readSignIn(text, new Date());
    if (!reading.ok) {
      switch (reading.problem) {
        case 'empty':
          return setProblem({ text: 'Paste a sign-in token.' });
        case 'access-token':
          return setProblem({ text: 'That is an access token (dt0c01…), which other APIs use. Sign in here with a sign-in token: the header npm start prints, or one made by the command below.', command: true });
        case 'not-a-sign-in-token':
          return setProblem({ text: 'That is not a sign-in token. It looks like eyJhbGciOi… with two dots, as npm start and npm run session print it.' });
        case 'expired':
          return setProblem({ text: `This sign-in token expired ${reading.expiredAt.toLocaleString()}. Make a new one with the command below.`, command: true, subject: reading.subject });
      }
    }
    setProblem(null);
    setPending(true);
    let signedOut = false;
    try {
      const viewer = await requester(reading.credential, () => (signedOut = true))(ViewerDocument, {});
      onSignedIn(reading.credential, viewer);
    } catch (error) {
      if (signedOut) {
        setProblem({
          text: 'The service refused this sign-in token: it expired, was made for another server, or the user is deactivated. Make a new one with the command below.',
          command: true,
          subject: reading.credential.subject,
        });
      } else {
        setGeneral(problemsOf(error).general);
      }
    } finally {
      setPending(false);
    }
  };

  const subject = problem?.subject ?? lastSubject;
  return (
    <main id="main" class="sign-in" tabIndex={-1}>
      <h1>Sign in to the token settings</h1>
      {reason === 'expired' && (
        <div class="problem" role="alert">
          <p>Your sign-in expired or is no longer accepted, so you were signed out. Make a new sign-in token with:</p>
          <pre>
            <code>{sessionCommand(lastSubject)}</code>
          </pre>
        </div>
      )}
      {reason === 'signed-out' && <p role="status">You are signed out. The sign-in token was removed from this tab.</p>}
      <ProblemSummary problems={{ general, fields: {}, signedOut: false }} />
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for={`${id}-token`}>Sign-in token</label>
          <textarea
            id={`${id}-token`}
            rows={4}
            spellcheck={false}
            autocomplete="off"
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
            {...describedBy(`${id}-problem`, problem?.text, `${id}-hint`)}
          />
          <p id={`${id}-hint`} class="hint">
            Paste the <code>Authorization: Bearer …</code> line that <code>npm start</code> prints, or the output of <code>npm run session -- --sub &lt;you&gt;</code>. It is kept in this tab only (sessionStorage) and forgotten when the tab closes.
          </p>
          <FieldProblem id={`${id}-problem`} text={problem?.text} />
          {problem?.command && (
            <pre>
              <code>{sessionCommand(subject)}</code>
            </pre>
          )}
        </div>
        <button type="submit" class="primary" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <section class="about" aria-labelledby={`${id}-about`}>
        <h2 id={`${id}-about`}>What you can do here</h2>
        <ul>
          <li>Generate personal access tokens for API use, bound to you and checked against your permissions at every use.</li>
          <li>See, rotate, disable and revoke your tokens, and what each can really do today.</li>
          <li>As an administrator: turn personal access tokens on, set the expiry policy, manage classic API tokens, the token inventory, users and groups.</li>
        </ul>
        <p>
          The same API is open in <a href="/graphql">GraphiQL</a>.
        </p>
      </section>
    </main>
  );
}
