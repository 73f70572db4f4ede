/** A GraphQL name, bounded: anything else a client sends as an operation name is not repeated in logs or labels. */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** Who called, by ids only: never a credential. */
export interface CallerIds {
  kind: 'anonymous' | 'session' | 'personal_access_token' | 'api_token';
  userId?: string;
  tokenId?: string;
}

/** The code a request that never reached GraphQL execution ended with, from its HTTP status alone. */
function codeOfStatus(status: number): string | null {
  if (status < 400) return null;
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  return status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
}

/**
 * What one GraphQL request did, filled in by the Apollo plugin as it learns it and read once
 * when the response is finished, for one log line and the request metrics.
 */
export class RequestTrace {
  private readonly started = process.hrtime.bigint();
  private name?: string;
  caller?: CallerIds;
  /** The codes of the errors the client was sent, in order; set once the response is formatted. */
  errorCodes: string[] = [];
  /** Why the credential was refused (an AuthenticationFailure); only kept in development, where the log line names it. */
  refusal?: string;

  constructor(readonly id: string) {}

  /** Whether the operation's name (or that it has none) is known yet. */
  get hasOperationName(): boolean {
    return this.name !== undefined;
  }

  /** Null: an operation without a name. A client-chosen name is only kept when it is a plain GraphQL name. */
  nameOperation(name: string | null): void {
    this.name = name === null ? 'anonymous' : OPERATION_NAME.test(name) ? name : 'invalid';
  }

  /** The operation's name, `anonymous`, or `unknown` for a request refused before anyone said. */
  get operationName(): string {
    return this.name ?? 'unknown';
  }

  elapsedSeconds(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e9;
  }

  /** `ok`, or the first error's code; for requests refused before GraphQL ran, the code their HTTP status stands for. */
  outcome(status: number): string {
    return this.errorCodes[0] ?? codeOfStatus(status) ?? 'ok';
  }
}
