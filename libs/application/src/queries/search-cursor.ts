import { InvalidValue } from '@positions/domain';
import type { SearchAfter, SearchKey } from '@positions/projections';

/** What a search cursor carries: the record it reads (knownAt and log position), the search it belongs to, where the page ended. */
export interface SearchCursor {
  /** knownAt, epoch ms. */
  k: number;
  /** The search view's log position at the first page. */
  s: number;
  /** Fingerprint of q and the filters. */
  f: string;
  a: SearchAfter;
}

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor a `next` carried; anything else is 400 on `cursor`. */
export function decodeSearchCursor(text: string): SearchCursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as SearchCursor;
    const { k, s, f, a } = cursor;
    const valid =
      Number.isSafeInteger(k) && Number.isSafeInteger(s) && typeof f === 'string' && typeof a === 'object' && a !== null &&
      (a.window === undefined || (Number.isSafeInteger(a.window) && a.window > 0)) && (a.key === undefined || isKey(a.key)) &&
      (a.window !== undefined || a.key !== undefined);
    if (valid) return cursor;
  } catch {
    // Not base64url JSON: refused below like any other malformed cursor.
  }
  throw new InvalidValue('cursor is not one this service gave: pass the `next` of the previous page unchanged', 'cursor');
}

function isKey(key: SearchKey): boolean {
  return typeof key === 'object' && key !== null && (key.score === null || Number.isSafeInteger(key.score)) && Number.isSafeInteger(key.earliestMs) && typeof key.statementId === 'string';
}
