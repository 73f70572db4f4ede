// App-wide interaction: confirmations in a modal dialog, and a guard against leaving a page that
// shows a secret for the only time.
import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useId, useRef } from 'preact/hooks';

export interface ConfirmRequest {
  title: string;
  body: ComponentChildren;
  confirmLabel: string;
  cancelLabel?: string;
  /** A destructive action: the confirm button is red. */
  danger?: boolean;
}

export interface Ui {
  confirm(request: ConfirmRequest): Promise<boolean>;
  /** While set, leaving the page (another page of the app, signing out, closing the tab) asks first. */
  setLeaveGuard(request: ConfirmRequest | null): void;
}

export const UiContext = createContext<Ui | null>(null);

export function useUi(): Ui {
  const ui = useContext(UiContext);
  if (!ui) throw new Error('useUi outside the app');
  return ui;
}

/**
 * A modal `<dialog>` with a title: focus moves into it, the page behind is inert, and Escape
 * calls `onClose` (the dialog closes when its owner stops rendering it).
 */
export function FormDialog({ title, onClose, children }: { title: string; onClose(): void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** A question before an action; the safe answer has the focus, as Escape gives it. */
export function ConfirmDialog({ request, onAnswer }: { request: ConfirmRequest; onAnswer(confirmed: boolean): void }) {
  return (
    <FormDialog title={request.title} onClose={() => onAnswer(false)}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onAnswer(true);
        }}
      >
        <div class="dialog-body">{request.body}</div>
        <div class="actions">
          <button type="button" onClick={() => onAnswer(false)} autofocus>
            {request.cancelLabel ?? 'Cancel'}
          </button>
          <button type="submit" class={request.danger ? 'danger' : 'primary'}>
            {request.confirmLabel}
          </button>
        </div>
      </form>
    </FormDialog>
  );
}
