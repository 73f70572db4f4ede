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

/** What the client asked for, for requests refused before Apollo read the operation (a bad credential, a bad body). */
function requestedOperationName(request: Request): unknown {
  const body: unknown = request.body;
  if (body && typeof body === 'object' && 'operationName' in body) return body.operationName;
  return request.query.operationName;
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
      if (!trace.hasOperationName && typeof requested === 'string') trace.nameOperation(requested);
      const seconds = trace.elapsedSeconds();
      // A client that hangs up early never sees an answer, whatever the status says.
      const outcome = response.writableFinished ? trace.outcome(response.statusCode) : 'aborted';
      options.metrics.recordRequest(trace.operationName, outcome, seconds);
      const failed = outcome === 'INTERNAL_SERVER_ERROR';
      options.logger[failed ? 'error' : 'info'](
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
