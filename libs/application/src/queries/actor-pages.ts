import { InvalidValue } from '@positions/domain';
import { createHash } from 'node:crypto';
import { setImmediate as yieldToRequests } from 'node:timers/promises';

/**
 * Pages of a topic's actors, by actor id (landscapes and changes; docs/api.md, "Pages").
 * A page holds at most `limit` entries and about this many bytes of JSON: the largest
 * landscape entries (long labels, many alternatives) stay under 1 MB a page.
 */
export const ACTOR_PAGE_BYTES = 1_000_000;
/** `limit` 1–1000; the default keeps a page of ordinary entries (~150–400 bytes) well under the byte bound. */
export const MAX_ACTOR_PAGE = 1000;
export const DEFAULT_ACTOR_PAGE = 1000;
/**
 * The most actors one request reads from the index: a changes page whose actors mostly did
 * not change ends there with `next`, so no request walks a whole 10,000-actor topic.
 */
export const MAX_ACTORS_READ = 2000;

/**
 * The most actors read from the index in one turn: a changes page read 2,000 actors at two
 * dates in one go, 39-75 ms of the service's time at 1,000,000 statements.
 */
export const ACTORS_PER_PIECE = 250;

export interface ActorPageRequest {
  limit?: number;
  cursor?: string;
}

/** The moments a first page resolved (`at`, `knownAt`; `timeOf`): later pages answer as of the same ones. */
export interface PinnedTime {
  at: string;
  atMs: number;
  knownAt: string;
  knownAtMs: number;
}

/** What a cursor carries: the query it belongs to, the record time it pinned, the last actor answered. */
export interface ActorCursor {
  /** Fingerprint of the query as asked (topic, dates as given). */
  f: string;
  t: PinnedTime;
  /** The last actor id the previous page read. */
  a: string;
}

/** A fingerprint of a query's parameters as given, so a cursor is refused with another query. */
export function fingerprintOf(parts: (string | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function writeCursor(cursor: ActorCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor of a later page, refused (400 on `cursor`) unless this service gave it for this same query. */
export function readCursor(text: string, fingerprint: string): ActorCursor {
  let cursor: ActorCursor | undefined;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ActorCursor;
    const { f, t, a } = parsed;
    if (typeof f === 'string' && typeof a === 'string' && isPinnedTime(t)) cursor = { f, a, t: { at: t.at, atMs: t.atMs, knownAt: t.knownAt, knownAtMs: t.knownAtMs } };
  } catch {
    // Not base64url JSON: refused below like any other malformed cursor.
  }
  if (!cursor) throw new InvalidValue('cursor is not one this service gave: pass the `next` of the previous page unchanged', 'cursor');
  if (cursor.f !== fingerprint) throw new InvalidValue('cursor belongs to another query: pass the same topic and dates as the first page', 'cursor');
  return cursor;
}

function isPinnedTime(t: unknown): t is PinnedTime {
  if (typeof t !== 'object' || t === null) return false;
  const { at, atMs, knownAt, knownAtMs } = t as Record<string, unknown>;
  return typeof at === 'string' && typeof knownAt === 'string' && Number.isSafeInteger(atMs) && Number.isSafeInteger(knownAtMs);
}

export interface ActorPage<T> {
  entries: T[];
  /** The actor id the next page starts after; null on the last page. */
  after: string | null;
}

/** The entries of one piece of a topic's actors: those of the next `n` actors after `after` that have one. */
export interface ActorPiece<E> {
  entries: E[];
  /** The last actor the piece covers (the `n`-th after `after`); null: it covers every actor after `after`. */
  through: string | null;
}

/**
 * Fills one page from the index in pieces of actors after `after`: `read(after, n)` gives the
 * entries of the next `n` actors of the topic (whether or not they have one at the moments
 * asked), `answer` turns one into the page's entry (or null to leave it out). Stops at `limit`
 * entries, at the byte bound, or after `MAX_ACTORS_READ` actors read. Other requests go on
 * between pieces of at most `ACTORS_PER_PIECE` actors, so a page costs at most that many
 * actors' rows per turn, also where few of them have an entry (an early date or `knownAt`).
 */
export async function fillActorPage<E extends { actorId: string }, T>(
  start: string,
  limit: number,
  read: (after: string, n: number) => ActorPiece<E>,
  answer: (entry: E) => T | null,
): Promise<ActorPage<T>> {
  const entries: T[] = [];
  let bytes = 0;
  let actorsRead = 0;
  for (let after = start; ; ) {
    // One actor more than the page lacks tells whether another page follows, without a second read.
    const n = Math.min(ACTORS_PER_PIECE, MAX_ACTORS_READ - actorsRead, entries.length < limit ? limit - entries.length + 1 : ACTORS_PER_PIECE);
    if (actorsRead > 0) await yieldToRequests();
    const piece = read(after, n);
    for (const entry of piece.entries) {
      if (entries.length === limit) return { entries, after };
      const value = answer(entry);
      if (value !== null) {
        const size = Buffer.byteLength(JSON.stringify(value)) + 1;
        // Over the byte bound: this page ends before the entry, which opens the next one.
        if (entries.length > 0 && bytes + size > ACTOR_PAGE_BYTES) return { entries, after };
        entries.push(value);
        bytes += size;
      }
      after = entry.actorId;
    }
    if (piece.through === null) return { entries, after: null };
    after = piece.through;
    actorsRead += n;
    if (actorsRead >= MAX_ACTORS_READ) return { entries, after };
  }
}
