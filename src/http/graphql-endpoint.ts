import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Transform, pipeline } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type ApolloServer, type BaseContext, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import contentType from 'content-type';
import { GraphQLError } from 'graphql';
import getRawBody from 'raw-body';
import type { Logger } from 'pino';
import type { ObservedRequest } from '../observability/request-observer';

export interface GraphQLEndpointOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  logger: Logger;
  /** Largest request body read, in bytes; a larger one is answered 413 without reading the rest. */
  bodyLimitBytes: number;
  /** Starts the request's trace, log line and metrics sample. */
  observe(request: IncomingMessage, response: ServerResponse): ObservedRequest;
  /** The client's address (behind trusted proxies, the one they forwarded). */
  clientAddress(request: IncomingMessage): string;
  /** Checks made before the body is read (the per-address rate limit); a GraphQLError thrown is the answer. */
  admit(ip: string): Promise<void>;
  /** The request's GraphQL context: authenticates the caller. Apollo turns what it throws into the response. */
  context(request: { headers: IncomingMessage['headers']; ip: string; observed: ObservedRequest }): Promise<TContext>;
}

/** A request refused before GraphQL: its status, and the error in GraphQL's response shape. */
function refusal(status: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status } } });
}

/** The media types read as a JSON body; anything else reaches Apollo as no body, which it refuses with 400. */
const JSON_MEDIA_TYPE = 'application/json';

const DECOMPRESSORS: Record<string, (() => Transform) | undefined> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The request through a decompressor; a client that hangs up fails the decompressor too, so no read waits forever. */
function inflating(request: IncomingMessage, decompressor: Transform): Transform {
  pipeline(request, decompressor, () => undefined);
  return decompressor;
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The JSON body of a POST, read up to the limit; undefined when there is none or it is not JSON
 * (Apollo then refuses the request, and its CSRF check has already refused what a form could send).
 */
async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  if (request.method !== 'POST' || !hasBody(request)) return undefined;
  const header = request.headers['content-type'];
  if (header === undefined) return undefined;
  let charset: string;
  try {
    const parsed = contentType.parse(header);
    if (parsed.type !== JSON_MEDIA_TYPE) return undefined;
    charset = (parsed.parameters.charset ?? 'utf-8').toLowerCase();
  } catch {
    return undefined;
  }
  if (!charset.startsWith('utf-')) throw refusal(415, `Unsupported charset "${charset.toUpperCase()}"`);
  const coding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  const decompress = DECOMPRESSORS[coding];
  if (coding !== 'identity' && !decompress) throw refusal(415, `Unsupported content encoding "${coding}": send gzip, deflate, br or none`);
  let text: string;
  try {
    // A compressed body counts against the limit as it is inflated, so a small bomb is a 413 too.
    text = decompress
      ? await getRawBody(inflating(request, decompress()), { limit, encoding: charset })
      : await getRawBody(request, { limit, length: request.headers['content-length'], encoding: charset });
  } catch (error) {
    const status = (error as { status?: number }).status ?? 400;
    throw status === 413 ? refusal(413, 'The request body is too large') : refusal(status, 'The request body could not be read');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw refusal(400, 'The request body could not be read');
  }
}

function apolloHeaders(request: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  const raw = request.headers;
  for (const key in raw) {
    const value = raw[key];
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function writeAnswer(response: ServerResponse, answer: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of answer.headers) response.setHeader(key, value);
  response.statusCode = answer.status ?? 200;
  if (answer.body.kind === 'complete') {
    response.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) response.write(chunk);
  response.end();
}

/**
 * A GraphQL-shaped answer for a request refused before Apollo ran it. The error's `extensions.http`
 * (as Apollo reads it from errors thrown while making the context) gives the status and headers.
 */
export function writeRefusal(response: ServerResponse, error: GraphQLError): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const { http, ...extensions } = error.extensions as { http?: { status?: number; headers?: Map<string, string> } };
  for (const [key, value] of http?.headers ?? []) response.setHeader(key, value);
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.statusCode = http?.status ?? 400;
  response.end(JSON.stringify({ errors: [{ message: error.message, extensions }] }));
}

/**
 * POST and GET /graphql on Node's own HTTP server, handed to Apollo's `executeHTTPGraphQLRequest`
 * (the API Apollo's framework integrations are built on). Every GraphQL request takes this path,
 * so it carries no router or middleware chain: observe, take from the address's budget, read the
 * body, execute, write. The other routes (health, metrics, GraphiQL) stay on Express.
 */
export function graphqlEndpoint<TContext extends BaseContext>(
  options: GraphQLEndpointOptions<TContext>,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { apollo, logger, bodyLimitBytes } = options;
  async function handle(request: IncomingMessage, response: ServerResponse, observed: ObservedRequest): Promise<void> {
    const ip = options.clientAddress(request);
    await options.admit(ip);
    const url = request.url ?? '';
    const queryStart = url.indexOf('?');
    const search = queryStart < 0 ? '' : url.slice(queryStart);
    const body = await readJsonBody(request, bodyLimitBytes);
    observed.requested = request.method === 'GET' ? new URLSearchParams(search) : (body as ObservedRequest['requested']);
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (request.method ?? 'GET').toUpperCase(), headers: apolloHeaders(request), search, body },
      context: () => options.context({ headers: request.headers, ip, observed }),
    });
    await writeAnswer(response, answer);
  }
  return (request, response) => {
    const observed = options.observe(request, response);
    handle(request, response, observed).catch((error: unknown) => {
      if (error instanceof GraphQLError) return writeRefusal(response, error);
      logger.error({ err: error }, 'unexpected error in a request');
      writeRefusal(response, new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR', http: { status: 500 } } }));
    });
  };
}
