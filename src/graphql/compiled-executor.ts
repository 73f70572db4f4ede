import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { GraphQLError, type GraphQLSchema, printSchema } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

export interface CompiledExecutionOptions {
  /** How many distinct operations keep their compiled form. */
  cacheSize?: number;
}

/**
 * Runs operations compiled by graphql-jit instead of graphql-js's interpreter, through Apollo's
 * one hook for a custom executor (the gateway interface; nothing here is federated). Apollo still
 * parses, validates (with the query limits), runs the plugins and formats errors; only execution
 * changes. An operation is compiled once, on first use, and kept by its query hash.
 *
 * One difference to know: graphql-jit does not apply an input object field's default value to a
 * variable that omits the field, so the schema declares no such defaults (defaults live in code).
 */
export function compiledExecution(schema: GraphQLSchema, options: CompiledExecutionOptions = {}): GatewayInterface {
  const compiled = new LRUCache<string, CompiledQuery>({ max: options.cacheSize ?? 1000 });
  const executor: GatewayExecutor = async (requestContext) => {
    const key = `${requestContext.queryHash}:${requestContext.operationName ?? ''}`;
    let query = compiled.get(key);
    if (!query) {
      const result = compileQuery(schema, requestContext.document, requestContext.operationName ?? undefined);
      if (!isCompiledQuery(result)) return result;
      query = result;
      compiled.set(key, query);
    }
    const result = await query.query(undefined, requestContext.context, requestContext.request.variables ?? {});
    // No data at all: the variables could not be coerced, and nothing ran. That is the client's
    // input, as Apollo's own executor reports it, answered with HTTP 200 as every BAD_USER_INPUT is
    // (Apollo 5 would make it 400; its switch for that, status400ForVariableCoercionErrors, is deprecated).
    if (!('data' in result) && result.errors) {
      return { errors: result.errors.map((error) => rebuilt(error, { code: 'BAD_USER_INPUT', http: { status: 200 } })) };
    }
    // graphql-jit leaves `extensions` undefined on some errors (of mutations, for one), which
    // Apollo's error handling cannot read; every error leaves here as graphql-js would make it.
    if (result.errors?.some((error) => !error.extensions)) {
      return { ...result, errors: result.errors.map((error) => (error.extensions ? error : rebuilt(error))) };
    }
    return result;
  };
  return {
    load: async () => ({ schema, executor }),
    onSchemaLoadOrUpdate: (callback) => {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    stop: async () => undefined,
  };
}

function rebuilt(error: GraphQLError, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, ...extensions },
  });
}
