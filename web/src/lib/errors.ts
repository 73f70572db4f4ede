// Every failure of a request, in words, next to the field it concerns (`extensions.field`) or above
// the form when it concerns none. Never the raw JSON of an answer.
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLRequestError } from '../../../client/client';

export interface Problems {
  /** By the form field's name, which is the input field's name in the API (`expirationDate`, `scopes`). */
  fields: Record<string, string>;
  /** What concerns the form as a whole, or a field this form does not show. */
  general: string[];
  /** The credentials were refused: the app signs out and explains. */
  signedOut: boolean;
}

export const NO_PROBLEMS: Readonly<Problems> = { fields: {}, general: [], signedOut: false };

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** One error of an answer in words a person can act on. */
export function describeError(error: GraphQLFormattedError): string {
  const extensions = error.extensions ?? {};
  switch (extensions.code) {
    case 'BAD_USER_INPUT':
      return sentence(error.message);
    case 'FORBIDDEN': {
      if (typeof extensions.requiredPermission === 'string' || typeof extensions.requiredScope === 'string') {
        const needs = [
          typeof extensions.requiredPermission === 'string' && `the ${extensions.requiredPermission} permission`,
          typeof extensions.requiredScope === 'string' && `the scope ${extensions.requiredScope}`,
        ].filter(Boolean);
        return `You are not allowed to do this: it needs ${needs.join(' and ')}.`;
      }
      return `You are not allowed to do this: ${sentence(error.message.charAt(0).toLowerCase() + error.message.slice(1))}`;
    }
    case 'NOT_FOUND':
      return 'It is not there any more: it may have been deleted meanwhile. The list shows what is there now.';
    case 'FEATURE_DISABLED':
      return 'Personal access tokens are turned off. An administrator can turn them on under Admin → Settings.';
    case 'UNAUTHENTICATED':
      return 'Your sign-in is no longer valid. Sign in again.';
    case 'RATE_LIMITED':
      return typeof extensions.retryAfter === 'number'
        ? `Too many requests: try again in ${extensions.retryAfter} s.`
        : 'Too many requests: try again shortly.';
    case 'SERVICE_UNAVAILABLE':
      return 'The service is unavailable for a moment: try again shortly.';
    case 'GRAPHQL_VALIDATION_FAILED':
    case 'GRAPHQL_PARSE_FAILED':
      return `The service refused this app's request (${sentence(error.message)}) The app and the service may be of different versions: reload the page.`;
    default:
      return 'Something went wrong on the service. Try again; if it keeps failing, its log has the details.';
  }
}

/**
 * Sorts the errors of a failed request: those naming a field this form shows go next to it, the
 * rest above the form. `fields` lists the form's fields by their names in the API.
 */
export function problemsOf(failure: unknown, fields: readonly string[] = []): Problems {
  const problems: Problems = { fields: {}, general: [], signedOut: false };
  const addGeneral = (text: string) => {
    if (!problems.general.includes(text)) problems.general.push(text);
  };
  if (failure instanceof GraphQLRequestError) {
    if (failure.status === 401 || failure.codes.includes('UNAUTHENTICATED')) problems.signedOut = true;
    for (const error of failure.errors) {
      const field = error.extensions?.field;
      const text = describeError(error);
      if (typeof field === 'string' && fields.includes(field)) {
        problems.fields[field] = problems.fields[field] ? `${problems.fields[field]} ${text}` : text;
      } else {
        addGeneral(text);
      }
    }
    if (failure.errors.length === 0) {
      addGeneral(
        failure.status === 413
          ? 'The request was too large for the service.'
          : `The service answered with HTTP ${failure.status} and no explanation. Try again shortly.`,
      );
    }
  } else if (failure instanceof TypeError) {
    // fetch rejects with a TypeError when no answer came at all.
    addGeneral('The service cannot be reached. Check that it is running, then try again.');
  } else {
    addGeneral('Something went wrong in this page. Reload it and try again.');
  }
  return problems;
}

export function hasProblems(problems: Problems): boolean {
  return problems.general.length > 0 || Object.keys(problems.fields).length > 0;
}
