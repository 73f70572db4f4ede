// The generated documents sent over HTTP: `print(document)` and the variables, typed by the document.
// Used by client/example.ts (a script) and by the token settings app in web/ (a browser).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type GraphQLFormattedError, print } from 'graphql';

export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly GraphQLFormattedError[],
  ) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; ') || `HTTP ${status}`);
    this.name = 'GraphQLRequestError';
  }

  get codes(): unknown[] {
    return this.errors.map((error) => error.extensions?.code);
  }
}

export interface Client {
  request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult>;
}

/** A client bound to one endpoint and one credential (a sign-in token or an access token). */
export function createClient(url: string, authorization?: string): Client {
  return {
    async request(document, variables) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
        body: JSON.stringify({ query: print(document), variables }),
      });
      // A proxy's error page or a cut connection is not JSON: report the status, not a parser's complaint.
      const body = (await response.json().catch(() => ({}))) as { data?: unknown; errors?: GraphQLFormattedError[] };
      // Any error fails the call: a frontend that wants partial data would keep `data` beside the errors.
      if (body.errors?.length || !body.data) throw new GraphQLRequestError(response.status, body.errors ?? []);
      return body.data as never;
    },
  };
}
