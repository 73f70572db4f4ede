import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { CallerIds, RequestTrace } from './request-trace';

export interface RequestTracePluginOptions<TContext extends BaseContext> {
  /** The trace `observeGraphQLRequests` started for this request, as the context carries it. */
  traceOf(context: TContext): RequestTrace;
  /** Who is calling, by ids only. */
  callerOf(context: TContext): CallerIds;
}

/** Codes are labels and log fields: anything not shaped like one is not repeated. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

function codesOf(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  return (errors ?? []).map(({ extensions }) =>
    typeof extensions?.code === 'string' && ERROR_CODE.test(extensions.code) ? extensions.code : 'UNKNOWN',
  );
}

/**
 * Tells the request's trace what only Apollo knows: the caller, the operation's name, and the
 * codes of the errors as the client received them (after formatError, so a bug counts as
 * INTERNAL_SERVER_ERROR, exactly as it was answered).
 */
export function requestTracePlugin<TContext extends BaseContext>(options: RequestTracePluginOptions<TContext>): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue, request }) {
      const trace = options.traceOf(contextValue);
      trace.caller = options.callerOf(contextValue);
      if (request.operationName) trace.nameOperation(request.operationName);
      return {
        async didResolveOperation({ operationName }) {
          trace.nameOperation(operationName);
        },
        async willSendResponse({ response }) {
          const body = response.body;
          trace.errorCodes = codesOf(body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors);
        },
      };
    },
  };
}
