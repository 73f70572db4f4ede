import type { CapturedStatement, ReadyInfo } from './protocol';

/** A server running inside a bench child process. */
export interface ServerHost {
  info: ReadyInfo;
  /** The service only: the SQL statements it sends while capturing, from a start with every cache empty if asked. */
  capture?: { start(emptyCaches: boolean): void; stop(): CapturedStatement[] };
  queryCount?: () => number;
  /** The service only: CPU time its PostgreSQL has used so far, in microseconds. */
  databaseCpuUs?: () => Promise<number>;
  stop(): Promise<void>;
}
