import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/** What the service answered to a probe: the HTTP status and the codes of its errors. */
export interface ProbeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
  codes: string[];
}

/**
 * Sends exactly these bytes, with exactly these headers: fetch would fix up what a hostile
 * client sends as it is (no content type, bytes that are not UTF-8, odd methods).
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<ProbeAnswer> {
  return new Promise((resolve, reject) => {
    // agent: false: a connection of its own, closed after the answer, so no probe rides on another's.
    const request = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers ?? {}, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any = null;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON: `codes` stays empty and the test looks at `status`
        }
        const codes = Array.isArray(json?.errors) ? json.errors.map((error: any) => error?.extensions?.code) : [];
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json, codes });
      });
      response.on('error', reject);
    });
    request.setTimeout(30_000, () => request.destroy(new Error('no answer within 30 s')));
    request.on('error', reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

/** A GraphQL POST as JSON, with optional extra headers. */
export function postGraphQL(url: string, body: unknown, headers: Record<string, string> = {}): Promise<ProbeAnswer> {
  return rawRequest(url, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** The `extensions.limit` values of an answer's errors. */
export function limitsOf(answer: ProbeAnswer): string[] {
  return (answer.json?.errors ?? []).map((error: any) => error?.extensions?.limit).filter(Boolean);
}

/** The data of a GraphQL POST that must work: any status but 200, or any error, fails the test. */
export async function graphqlData(url: string, query: string, authorization: string, variables?: Record<string, unknown>): Promise<any> {
  const answer = await postGraphQL(url, { query, variables }, { authorization });
  if (answer.status !== 200 || answer.json?.errors) throw new Error(`${query}: ${answer.status} ${answer.text}`);
  return answer.json.data;
}

/** What a TCP connection to the port on 127.0.0.1 comes to: 'open', or the error's code (ECONNREFUSED: nothing listens). */
export function probePort(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}
