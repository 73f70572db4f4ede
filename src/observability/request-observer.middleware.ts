import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import { requestIdFrom } from './request-id';
import { RequestTrace } from './request-trace';

export interface RequestObserverOptions {
  logger: Logger;
  metrics: Metrics;
}

const TRACE = Symbol('tessera.requestTrace');

/** The trace `observeGraphQLRequests` started for this response. */
export function requestTraceOf(response: Response): RequestTrace {
  const trace = (response.locals as { [TRACE]?: RequestTrace })[TRACE];
  if (!trace) throw new Error('observeGraphQLRequests must run before GraphQL requests are handled');
  return trace;
}

/** The name of a document's first operation, read without parsing: only ever a label, so a cheap look at its start is enough. */
const LEADING_OPERATION = /^\s*(?:#[^\n]*\n\s*)*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/**
 * The operation a request refused before Apollo read it (a bad credential, a bad body) was for:
 * the operationName sent, else the name at the start of the document.
 */
function requestedOperationName(request: Request): string | undefined {
  const body: unknown = request.body;
  const fields = (body && typeof body === 'object' ? body : request.query) as { operationName?: unknown; query?: unknown };
  if (typeof fields.operationName === 'string') return fields.operationName;
  return typeof fields.query === 'string' ? LEADING_OPERATION.exec(fields.query.slice(0, 2000))?.[1] : undefined;
}

/**
 * One log line and one metrics sample per GraphQL request, written when the response is done,
 * however it ended: executed, refused by Apollo before execution (bad credentials, CSRF), or
 * refused by the HTTP layer (unreadable body). Every request gets an id, echoed in `x-request-id`.
 */
export function observeGraphQLRequests(options: RequestObserverOptions): RequestHandler {
  return (request, response, next) => {
    const trace = new RequestTrace(requestIdFrom(request.headers['x-request-id']));
    (response.locals as { [TRACE]?: RequestTrace })[TRACE] = trace;
    response.setHeader('x-request-id', trace.id);
    response.once('close', () => {
      const requested = requestedOperationName(request);
      if (!trace.hasOperationName && requested !== undefined) trace.nameOperation(requested);
      const seconds = trace.elapsedSeconds();
      // A client that hangs up early never sees an answer, whatever the status says.
      const outcome = response.writableFinished ? trace.outcome(response.statusCode) : 'aborted';
      options.metrics.recordRequest(trace.operationName, outcome, seconds);
      // A bug is an error, an unreachable database a warning; what clients got wrong is ordinary traffic.
      const level = outcome === 'INTERNAL_SERVER_ERROR' ? 'error' : outcome === 'SERVICE_UNAVAILABLE' ? 'warn' : 'info';
      options.logger[level](
        {
          requestId: trace.id,
          method: request.method,
          operation: trace.operationName,
          caller: trace.caller ?? null,
          status: response.statusCode,
          outcome,
          ...(trace.errorCodes.length > 0 && { errorCodes: [...new Set(trace.errorCodes)] }),
          durationMs: Math.round(seconds * 1e4) / 10,
        },
        'graphql request',
      );
    });
    next();
  };
}
