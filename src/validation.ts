import { badInput } from './graphql/errors';

export const MAX_NAME_LENGTH = 200;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A display name (of a token, group or zone) is stored exactly as given, quotes, SQL and emoji
 * included; it must not be blank, longer than 200 characters, hold control characters, or be
 * malformed UTF-16 (which would not survive the trip to PostgreSQL unchanged).
 */
export function validateName(name: string, field: string): string {
  if (name.trim() === '') throw badInput(`The ${field} must not be empty`, field);
  if (!name.isWellFormed()) throw badInput(`The ${field} is not valid Unicode text`, field);
  if (CONTROL_CHARACTERS.test(name)) throw badInput(`The ${field} must not contain control characters`, field);
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) {
    throw badInput(`The ${field} is ${length} characters long; at most ${MAX_NAME_LENGTH} are allowed`, field);
  }
  return name;
}

/** Whether text is free of control characters (C0, DEL and C1) and well-formed, so PostgreSQL stores it as sent. */
export function isPlainText(text: string): boolean {
  return text.isWellFormed() && !CONTROL_CHARACTERS.test(text);
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** PostgreSQL's SQLSTATE for a unique or foreign-key violation, when `error` is one. */
export function sqlState(error: unknown): string | undefined {
  const driverError = (error as { driverError?: { code?: unknown }; code?: unknown }) ?? {};
  const code = driverError.driverError?.code ?? driverError.code;
  return typeof code === 'string' ? code : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const CHECK_VIOLATION = '23514';
export const FOREIGN_KEY_VIOLATION = '23503';
