import { badInput } from '../graphql/errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

/** A position in a list ordered by creation date, newest first, then by id. */
export interface Cursor {
  creationDate: Date;
  id: string;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.creationDate.toISOString(), cursor.id])).toString('base64url');
}

export function decodeCursor(after: string | null | undefined): Cursor | null {
  if (after === null || after === undefined) return null;
  try {
    const [date, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    const creationDate = new Date(date);
    if (typeof date === 'string' && typeof id === 'string' && !Number.isNaN(creationDate.getTime())) {
      return { creationDate, id };
    }
  } catch {
    // reported below, like any other unreadable cursor
  }
  throw badInput('after is not a cursor returned by this list', 'after');
}
