import { request as httpRequest } from 'node:http';

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

/** Polls `check` until it returns true or the deadline passes; returns the last result. A correctness deadline, not a speed test. */
export async function eventually(check: () => Promise<boolean>, deadlineMs: number, pauseMs = 50): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
