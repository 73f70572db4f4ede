import type { ComponentChildren } from 'preact';
import type { Problems } from '../lib/errors';

/** The problems that concern no single field, above the form; announced when they appear. */
export function ProblemSummary({ problems }: { problems: Readonly<Problems> }) {
  if (problems.general.length === 0) return null;
  return (
    <div class="problem" role="alert">
      {problems.general.length === 1 ? (
        <p>{problems.general[0]}</p>
      ) : (
        <ul>
          {problems.general.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The words under a field; the control names this element in aria-describedby. */
export function FieldProblem({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <p id={id} class="field-problem">
      {text}
    </p>
  );
}

/** Props that tie a control to its problem, when it has one. */
export function describedBy(id: string, text: string | undefined, hintId?: string) {
  const ids = [hintId, text ? id : undefined].filter(Boolean).join(' ');
  return { 'aria-invalid': text ? ('true' as const) : undefined, 'aria-describedby': ids || undefined };
}

export function Loading({ children }: { children: ComponentChildren }) {
  return (
    <p class="loading" role="status">
      {children}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

/** A polite live region: "Copied", "Saved", "3 tokens revoked". */
export function Notice({ text }: { text: string }) {
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}
