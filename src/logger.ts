import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { serializeError } from './observability/error-serializer';

/** Paths whose values never reach a log line, wherever a secret could sit. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'variables.token',
  'variables.input.token',
];

export interface LoggerOptions {
  level: string;
  /** Human-readable, coloured lines instead of JSON; for a developer's terminal only. */
  pretty?: boolean;
}

/** Pretty output where a person reads it: a terminal, in development. Everywhere else, one JSON object a line. */
export function wantsPrettyLogs(environment: string, stdoutIsTerminal = process.stdout.isTTY === true): boolean {
  return stdoutIsTerminal && environment === 'development';
}

/** JSON lines to `destination` (stdout by default). Pretty printing formats the same, already redacted, objects in-process. */
export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  const output =
    destination ??
    (options.pretty ? pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', sync: true }) : undefined);
  return pino(
    {
      level: options.level,
      base: { service: 'tessera' },
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      // Every `err` of every line: a database error's bind parameters and row values never reach the log.
      serializers: { err: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    output,
  );
}
