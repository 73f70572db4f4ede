/** A sign-in token as the places it is pasted into take it. */

/** `Authorization: Bearer …`: a header line, as `curl -H` takes it. */
export function headerLine(jwt: string): string {
  return `Authorization: Bearer ${jwt}`;
}

/** `{"Authorization":"Bearer …"}`: GraphiQL's Headers tab takes JSON. */
export function headerJson(jwt: string): string {
  return JSON.stringify({ Authorization: `Bearer ${jwt}` });
}

/** A curl command asking who is signed in: pasted into a shell, it shows the header works. */
export function curlCommand(url: string, jwt: string): string {
  return `curl '${url}' -H 'content-type: application/json' -H '${headerLine(jwt)}' -d '{"query":"{ me { subject permissions { permission } } }"}'`;
}
