import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useUi } from '../ui';

const LEAVE_WARNING = {
  title: 'Leave without the token?',
  body: <p>The token is shown only this once. If you leave now without copying it, you will not see it again and will have to rotate or replace it.</p>,
  confirmLabel: 'Leave anyway',
  cancelLabel: 'Stay and copy it',
  danger: true,
};

/**
 * The secret of a token just created or rotated, shown this once: a copy button, the warning, and
 * a guard that asks before the person leaves the page (or closes the box) without having copied it.
 */
export function OneTimeSecret({ title, token, onDone }: { title: string; token: string; onDone(): void }) {
  const ui = useUi();
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const input = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const warningId = useId();

  useEffect(() => {
    ui.setLeaveGuard(LEAVE_WARNING);
    return () => ui.setLeaveGuard(null);
  }, [ui]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied('yes');
    } catch {
      // No clipboard access (an old browser, a denied permission): select it for Ctrl+C instead.
      input.current?.select();
      setCopied('failed');
    }
  };

  const done = async () => {
    if (copied !== 'yes' && !(await ui.confirm({ ...LEAVE_WARNING, title: 'Close without copying the token?', confirmLabel: 'Close anyway' }))) {
      return;
    }
    ui.setLeaveGuard(null);
    onDone();
  };

  return (
    <section class="secret-box" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p id={warningId} class="warning">
        <strong>Copy the token now: you will not see it again.</strong> Only a keyed hash of it is stored; nobody can show it to you later.
      </p>
      <div class="secret-row">
        <label class="visually-hidden" for={`${headingId}-token`}>
          The new token
        </label>
        <input
          id={`${headingId}-token`}
          ref={input}
          class="secret"
          type="text"
          readOnly
          value={token}
          spellcheck={false}
          autocomplete="off"
          aria-describedby={warningId}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" class="primary" onClick={copy}>
          Copy
        </button>
      </div>
      <p role="status" class="copy-status">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copying was not allowed: the token is selected, press Ctrl+C (⌘C) to copy it.' : ''}
      </p>
      <button type="button" onClick={done}>
        Done, I have copied it
      </button>
    </section>
  );
}
