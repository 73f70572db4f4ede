import { registerEnumType } from 'type-graphql';
import { badInput } from '../graphql/errors';
import { isPlainText } from '../validation';
import { SortDirection } from '../graphql/pagination';
import { isTokenId } from './token-secret';

export enum AccessTokenSortField {
  NAME = 'NAME',
  CREATION_DATE = 'CREATION_DATE',
  EXPIRATION_DATE = 'EXPIRATION_DATE',
  LAST_USED_DATE = 'LAST_USED_DATE',
}

registerEnumType(AccessTokenSortField, {
  name: 'AccessTokenSortField',
  valuesConfig: {
    EXPIRATION_DATE: { description: 'Tokens that never expire come last in ascending order.' },
    LAST_USED_DATE: { description: 'Never-used tokens come first in ascending order. Uses of the last few seconds may not count yet.' },
  },
});

export interface TokenOrder {
  field: AccessTokenSortField;
  direction: SortDirection;
}

export const DEFAULT_ORDER: TokenOrder = { field: AccessTokenSortField.CREATION_DATE, direction: SortDirection.DESC };

/** The order asked for, with its defaults: newest first, and descending when only a field is given. */
export function orderOf(requested: { field: AccessTokenSortField; direction?: SortDirection | null } | null | undefined): TokenOrder {
  if (!requested) return DEFAULT_ORDER;
  return { field: requested.field, direction: requested.direction ?? SortDirection.DESC };
}

/** Each sort key as a non-null SQL expression over the access_token alias `t`, so keyset comparisons hold. */
const SORT_KEYS: Record<AccessTokenSortField, { sql: string; type: 'text' | 'timestamptz' }> = {
  NAME: { sql: 't.name', type: 'text' },
  CREATION_DATE: { sql: 't.created_at', type: 'timestamptz' },
  EXPIRATION_DATE: { sql: `COALESCE(t.expires_at, 'infinity'::timestamptz)`, type: 'timestamptz' },
  LAST_USED_DATE: { sql: `COALESCE(t.last_used_at, '-infinity'::timestamptz)`, type: 'timestamptz' },
};

/** A timestamptz as PostgreSQL prints it (ISO DateStyle): date, time, fraction, and the offset in hours[:minutes[:seconds]]. */
const TIMESTAMP_TEXT = /^(\d{4,6})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::(\d{2}))?$/;
/** PostgreSQL's last year of timestamptz. */
const MAX_YEAR = 294_276;

/**
 * Whether `text` is a time PostgreSQL would read back as it printed it: the pattern alone lets
 * `2024-13-45 25:61:61+00` through, which PostgreSQL refuses with an error.
 */
function isTimestampText(text: string): boolean {
  if (text === 'infinity' || text === '-infinity') return true;
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes, offsetSeconds] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const realDay = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return (
    year >= 1 && year <= MAX_YEAR && realDay && hour <= 23 && minute <= 59 && second <= 59 &&
    offsetHours <= 15 && offsetMinutes <= 59 && offsetSeconds <= 59
  );
}

export interface PageRequest {
  first?: number | null;
  after?: string | null;
  orderBy?: { field: AccessTokenSortField; direction?: SortDirection | null } | null;
}

/** A position in a list: the sort key's value (as PostgreSQL prints it) and the id, which breaks ties. */
export interface Cursor {
  field: AccessTokenSortField;
  direction: SortDirection;
  key: string;
  id: string;
}

export function sortKeySql(order: TokenOrder): string {
  return SORT_KEYS[order.field].sql;
}

/** `ORDER BY` and the keyset condition after `cursor` for `order`; `bind` adds a parameter and returns its placeholder. */
export function keyset(order: TokenOrder, cursor: Cursor | null, bind: (value: unknown) => string) {
  const key = SORT_KEYS[order.field];
  const direction = order.direction === SortDirection.ASC ? 'ASC' : 'DESC';
  const comparison = order.direction === SortDirection.ASC ? '>' : '<';
  return {
    orderBy: `${key.sql} ${direction}, t.id ${direction}`,
    after: cursor ? `(${key.sql}, t.id) ${comparison} (${bind(cursor.key)}::${key.type}, ${bind(cursor.id)})` : null,
  };
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.field, cursor.direction, cursor.key, cursor.id])).toString('base64url');
}

/** The cursor `after` names, checked to the last character: it reaches SQL as bind parameters only. */
export function decodeCursor(after: string | null | undefined, order: TokenOrder): Cursor | null {
  if (after === null || after === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed.length === 4) {
    const [field, direction, key, id] = parsed;
    const keyValid =
      typeof key === 'string' &&
      key.length <= 1000 &&
      isPlainText(key) &&
      (SORT_KEYS[order.field].type === 'text' || isTimestampText(key));
    if (field === order.field && direction === order.direction && keyValid && typeof id === 'string' && isTokenId(id)) {
      return { field, direction, key, id };
    }
  }
  throw badInput('after is not a cursor returned by this list in this order', 'after');
}
