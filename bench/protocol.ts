/**
 * The messages between the bench (the parent, which runs autocannon) and the server it measures
 * (a child process, so the load generator never shares an event loop with the server).
 */

export type ServerKind = 'apollo' | 'mercurius' | 'floor' | 'service';

/** A GraphQL payload for the baselines: the `scopes` the service answered with. */
export interface ScopeRow {
  value: string;
  name: string;
  description: string;
}

export interface StartOptions {
  /** The baselines answer `scopes` with exactly these rows. */
  scopes?: ScopeRow[];
  /** The floor answers case (d)'s query with exactly this page (the `accessTokens` the service answered). */
  page?: unknown;
}

export interface ReadyInfo {
  /** POST GraphQL here. */
  url: string;
  pid: number;
  /**
   * The NODE_ENV the server runs under, as the child read it once its server had started (unset:
   * null). Apollo Server reads it in its constructor, graphql-js when it is loaded, the service
   * in its configuration: the parent checks it rather than trusting what it asked for.
   */
  nodeEnv: string | null;
  /** The service only: its database, the HS256 sign-in secret. */
  databaseUrl?: string;
  jwtSecret?: string;
}

/** A statement the service sent, with its parameters as TypeORM passed them to pg. */
export interface CapturedStatement {
  sql: string;
  parameters: unknown[];
}

/** Taken after a full garbage collection. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
}

export interface Requests {
  start: { options: StartOptions; result: ReadyInfo };
  queryCount: { options: Record<string, never>; result: number };
  memory: { options: Record<string, never>; result: MemorySample };
  /** CPU time the process has used, user and system, in microseconds. */
  cpuUsage: { options: Record<string, never>; result: number };
  /** The service only: CPU time its PostgreSQL has used, in microseconds (NaN where /proc cannot tell). */
  databaseCpuUsage: { options: Record<string, never>; result: number };
  /** With `emptyCaches`, the statements of a request that finds nothing cached; else of one as it runs under load. */
  captureStart: { options: { emptyCaches: boolean }; result: null };
  captureStop: { options: Record<string, never>; result: CapturedStatement[] };
  profileStart: { options: Record<string, never>; result: null };
  /** Writes the CPU profile to `file`. */
  profileStop: { options: { file: string }; result: null };
  stop: { options: Record<string, never>; result: null };
}

export type RequestType = keyof Requests;

export interface RequestMessage<T extends RequestType = RequestType> {
  id: number;
  type: T;
  options: Requests[T]['options'];
}

export type ResponseMessage = { id: number; result: unknown } | { id: number; error: string };
