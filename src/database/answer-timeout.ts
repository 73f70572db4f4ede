import { Client, type ClientConfig } from 'pg';

type Query = (...args: unknown[]) => unknown;

/**
 * A node-postgres client that drops its connection when PostgreSQL sends no answer at all to a
 * statement within `answerTimeoutMs`. PostgreSQL's statement_timeout ends slow statements, but
 * only a server that is still there answers: behind a network partition, or on a host that
 * vanished, a statement on an open connection would wait for TCP to give up, which takes many
 * minutes. Dropping the connection fails the statement (ETIMEDOUT, so the request is a 503), and
 * TypeORM and the pool then discard the connection instead of handing it out again.
 *
 * Set `answerTimeoutMs` above the statement timeout, so a slow statement is still ended by the
 * server, with PostgreSQL's own error.
 */
export function clientWithAnswerTimeout(answerTimeoutMs: number): typeof Client {
  return class ClientWithAnswerTimeout extends Client {
    constructor(config?: string | ClientConfig) {
      super(config);
      const query = this.query.bind(this) as Query;
      this.query = ((...args: unknown[]) => {
        const result = query(...args);
        // Only the promise form is watched; TypeORM uses nothing else.
        if (!(result instanceof Promise)) return result;
        const timer = setTimeout(() => this.giveUp(), answerTimeoutMs);
        timer.unref();
        const stop = () => clearTimeout(timer);
        result.then(stop, stop);
        return result;
      }) as Client['query'];
    }

    private giveUp(): void {
      const error = Object.assign(new Error(`PostgreSQL sent no answer within ${answerTimeoutMs} ms; the connection is dropped`), {
        code: 'ETIMEDOUT',
      });
      // pg's Connection and its socket are not in its types; destroying the socket fails every query on it.
      (this as unknown as { connection?: { stream?: { destroy(error?: Error): void } } }).connection?.stream?.destroy(error);
    }
  };
}
