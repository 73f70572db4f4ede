// App-wide interaction: confirmations in a modal dialog, and a guard against leaving a page that
// shows a secret for the only time.
import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';

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

/** A modal `<dialog>`: focus moves into it, Escape cancels, the page behind is inert. */
export function ConfirmDialog({ request, onAnswer }: { request: ConfirmRequest; onAnswer(confirmed: boolean): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="confirm-title"
      onCancel={(event) => {
        event.preventDefault();
        onAnswer(false);
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onAnswer(true);
        }}
      >
        <h2 id="confirm-title">{request.title}</h2>
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
    </dialog>
  );
}

/** A modal dialog holding a form of its own (rotate a token): Escape or Cancel closes it. */
export function FormDialog({ title, onClose, children }: { title: string; onClose(): void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = `dialog-${title.replace(/\W+/g, '-').toLowerCase()}`;
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
