// Who is signed in, and the one way the pages talk to the service: the generated documents through
// client/client.ts, with the sign-in token kept in sessionStorage (gone when the tab closes).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ComponentChildren, createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { GraphQLRequestError, createClient } from '../../client/client';
import type { ViewerQuery } from '../../client/generated/graphql';
import { problemsOf } from './lib/errors';
import { type Credential, isExpired, readSignIn } from './lib/session';

export const GRAPHQL_PATH = '/graphql';
const STORAGE_KEY = 'tessera.signIn';

export type Viewer = ViewerQuery;

export interface Session {
  credential: Credential;
  viewer: Viewer;
  /** Holds ADMIN environment-wide: may see the admin pages. */
  isAdmin: boolean;
  run<T, V>(document: TypedDocumentNode<T, V>, variables: V): Promise<T>;
  reloadViewer(): Promise<void>;
  signOut(reason: SignOutReason): void;
}

/** Why the sign-in page shows: the person signed out, or the service stopped taking the sign-in token. */
export type SignOutReason = 'signed-out' | 'expired';

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ComponentChildren }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** The sign-in kept in this tab; one that expired meanwhile is dropped, and its user named for the sign-in page. */
export function storedSignIn(): { credential: Credential } | { expiredSubject?: string } | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (!stored) return null;
  const reading = readSignIn(stored, new Date());
  if (reading.ok) return { credential: reading.credential };
  sessionStorage.removeItem(STORAGE_KEY);
  return reading.problem === 'expired' ? { expiredSubject: reading.subject } : null;
}

export function storeCredential(credential: Credential | null): void {
  if (credential) sessionStorage.setItem(STORAGE_KEY, credential.authorization);
  else sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * Sends documents with the credential; a credential that expired is not sent at all, and one the
 * service refuses (401) signs the person out with the reason.
 */
export function requester(credential: Credential, onSignedOut: (reason: SignOutReason) => void) {
  const client = createClient(GRAPHQL_PATH, credential.authorization);
  return async function run<T, V>(document: TypedDocumentNode<T, V>, variables: V): Promise<T> {
    if (isExpired(credential, new Date())) {
      onSignedOut('expired');
      throw new GraphQLRequestError(401, [{ message: 'The sign-in token expired', extensions: { code: 'UNAUTHENTICATED' } }]);
    }
    try {
      return await client.request(document, variables);
    } catch (error) {
      if (problemsOf(error).signedOut) onSignedOut('expired');
      throw error;
    }
  };
}
