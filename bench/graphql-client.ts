/** One GraphQL operation over HTTP, as autocannon will send it. */
export interface GraphQLRequest {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  authorization?: string;
}

export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function httpRequest(request: GraphQLRequest): HttpRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.authorization) headers.authorization = request.authorization;
  return { url: request.url, headers, body: JSON.stringify({ query: request.query, variables: request.variables }) };
}

export interface GraphQLAnswer<T> {
  status: number;
  bytes: number;
  data: T;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** Sends the request once; fails on a non-200 status or any GraphQL error. */
export async function send<T = any>(request: GraphQLRequest | HttpRequest): Promise<GraphQLAnswer<T>> {
  const http = 'body' in request ? request : httpRequest(request);
  const response = await fetch(http.url, {
    method: 'POST',
    headers: http.headers,
    body: http.body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let parsed: { data?: T; errors?: unknown[] };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status} from ${http.url}: ${text.slice(0, 300)}`);
  }
  if (response.status !== 200 || parsed.errors?.length) {
    throw new Error(`HTTP ${response.status} from ${http.url}: ${JSON.stringify(parsed.errors ?? parsed).slice(0, 500)}`);
  }
  return { status: response.status, bytes: Buffer.byteLength(text), data: parsed.data as T };
}
