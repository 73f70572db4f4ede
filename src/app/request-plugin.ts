import type { ApolloServerPlugin } from '@apollo/server';
import { costCheck } from '../graphql/query-cost';
import { markUnavailable } from '../graphql/service-unavailable';
import { leakReportCharge } from '../http/leak-report-charge';
import type { RateLimits } from '../http/rate-limit';
import { traceResponse } from '../observability/request-trace-hooks';
import type { Context } from './context';

/**
 * What the service does in each request once Apollo knows its operation and its answer, in one
 * plugin: Apollo awaits every plugin's hooks at every request, so four small plugins cost four
 * times the hooks. Each step is its folder's: the trace (observability/), the query cost
 * (graphql/), the leak-report budget (http/), a 503 for an unreachable database (graphql/).
 */
export function requestPlugin(options: { maxCost: number; rateLimits: RateLimits }): ApolloServerPlugin<Context> {
  const checkCost = costCheck(options.maxCost);
  const chargeLeakReports = leakReportCharge(options.rateLimits);
  return {
    async requestDidStart({ contextValue, request }) {
      const { trace } = contextValue;
      trace.caller = contextValue.caller.ids;
      if (request.operationName) trace.nameOperation(request.operationName);
      return {
        async didResolveOperation(resolved) {
          trace.nameOperation(resolved.operationName);
          checkCost(resolved);
          await chargeLeakReports({ operation: resolved.operation, document: resolved.document, ip: contextValue.ip });
        },
        async willSendResponse({ response }) {
          traceResponse(trace, response);
          markUnavailable(response);
        },
      };
    },
  };
}
