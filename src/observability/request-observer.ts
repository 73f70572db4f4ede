import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import { requestIdFrom } from './request-id';
import { RequestTrace } from './request-trace';

export interface RequestObserverOptions {
  logger: Logger;
  metrics: Metrics;
}

/** The name of a document's first operation, read without parsing: only ever a label, so a cheap look at its start is enough. */
const LEADING_OPERATION = /^\s*(?:#[^\n]*\n\s*)*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** What a request asked for, as far as it was read: the JSON body of a POST, the query string of a GET. */
export type RequestedOperation = { operationName?: unknown; query?: unknown } | URLSearchParams | undefined;

/**
 * The operation a request refused before Apollo read it (a bad credential, a bad body) was for:
 * the operationName sent, else the name at the start of the document.
 */
function requestedOperationName(requested: RequestedOperation): string | undefined {
  const fields =
    requested instanceof URLSearchParams
      ? { operationName: requested.get('operationName') ?? undefined, query: requested.get('query') ?? undefined }
      : requested && typeof requested === 'object'
        ? requested
        : {};
  if (typeof fields.operationName === 'string') return fields.operationName;
  return typeof fields.query === 'string' ? LEADING_OPERATION.exec(fields.query.slice(0, 2000))?.[1] : undefined;
}

/** One GraphQL request being observed: its trace, and what it asked for once that is known. */
export interface ObservedRequest {
  trace: RequestTrace;
  requested: RequestedOperation;
}

/**
 * One log line and one metrics sample per GraphQL request, written when the response is done,
 * however it ended: executed, refused by Apollo before execution (bad credentials, CSRF), or
 * refused by the HTTP layer (unreadable body). Every request gets an id, echoed in `x-request-id`.
 */
export function requestObserver(options: RequestObserverOptions): (request: IncomingMessage, response: ServerResponse) => ObservedRequest {
  return (request, response) => {
    const trace = new RequestTrace(requestIdFrom(request.headers['x-request-id']));
    const observed: ObservedRequest = { trace, requested: undefined };
    response.setHeader('x-request-id', trace.id);
    response.once('close', () => {
      const requested = requestedOperationName(observed.requested);
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
          ...(trace.refusal !== undefined && { refusal: trace.refusal }),
          durationMs: Math.round(seconds * 1e4) / 10,
        },
        'graphql request',
      );
    });
    return observed;
  };
}
