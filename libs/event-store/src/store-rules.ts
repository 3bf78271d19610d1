/**
 * Rules every adapter applies the same way, kept here so the in-memory store used by
 * unit tests cannot drift from the SQLite store used in production.
 */
import { randomUUID } from 'node:crypto';
import { ExpectedPosition, NewEvent, ReadAllOptions, StoredEvent, WrongExpectedPositionError } from './event-store.port';

/** Throws when `expected` does not hold for a stream whose last position is `actual` (-1: no stream). */
export function checkExpected(streamId: string, expected: ExpectedPosition, actual: number): void {
  if (expected !== 'any' && expected !== actual) {
    throw new WrongExpectedPositionError(streamId, expected, actual);
  }
}

/**
 * The recordedAt of the next append: the clock's time, or one millisecond after the previous
 * append when the clock does not read later (two commits within one millisecond, clock stepped
 * back, NTP correction, another process with a faster clock). Strictly increasing per commit,
 * so a knownAt echoed between two commits (the last recordedAt a view stands behind) still
 * reproduces its answer after the next commit. Under more than 1,000 commits a second the
 * stamps run ahead of the clock by at most the surplus, and fall back to it once writes slow.
 */
export function nextRecordedAt(now: Date, previous: string | null): string {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('the clock returned an invalid date');
  const afterPreviousMs = previous === null ? Number.NEGATIVE_INFINITY : Date.parse(previous) + 1;
  return new Date(Math.max(nowMs, afterPreviousMs)).toISOString();
}

/**
 * An append reused an eventId (e.g. an import run twice, or one id twice in a batch).
 * Nothing is written; unlike a position conflict, retrying will not help.
 */
export class DuplicateEventIdError extends Error {
  constructor(readonly eventId: string) {
    super(`event id ${eventId} is already taken (stored before, or twice in one append)`);
    this.name = 'DuplicateEventIdError';
  }
}

/** An event ready to be stored: id settled and data already serialised. */
export interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  dataJson: string;
}

/**
 * Validates and serialises a batch before any lock is taken. Data goes through JSON in
 * every adapter so that what is read back never shares objects with the caller and a
 * Date or undefined field behaves the same in tests as in production.
 */
export function prepareEvents(events: readonly NewEvent[]): PreparedEvent[] {
  if (events.length === 0) throw new RangeError('an append needs at least one event');
  const prepared = events.map((event) => {
    const dataJson = JSON.stringify(event.data);
    if (dataJson === undefined) throw new TypeError(`event ${event.type}: data is not JSON-serialisable`);
    return { eventId: event.eventId ?? randomUUID(), type: event.type, schemaVersion: event.schemaVersion, dataJson };
  });
  const ids = prepared.map((event) => event.eventId);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) throw new DuplicateEventIdError(repeated);
  return prepared;
}

/** An event copied from another log, checked and with its data serialised: everything but `position`. */
export type ImportedEvent = Omit<StoredEvent, 'position' | 'data'> & { dataJson: string };

/** What `importEvents` must check against the store itself, the list being consistent in itself. */
export interface PreparedImport {
  events: ImportedEvent[];
  /** Per stream, the stream position of its first event in the list: the store's stream must end just before it. */
  firstPositions: Map<string, number>;
}

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The checks of `importEvents` that need no store, in every adapter alike: ids given and not
 * repeated, each stream's positions consecutive, recordedAt a UTC time with milliseconds that
 * never goes back along the list. Then the adapter checks, against what it holds, that ids are
 * free, that each stream continues from its last position, and that the first recordedAt is not
 * earlier than its last.
 */
export function prepareImport(events: readonly StoredEvent[]): PreparedImport {
  const ids = new Set<string>();
  const next = new Map<string, number>();
  const firstPositions = new Map<string, number>();
  let previousAt = '';
  const prepared = events.map((event): ImportedEvent => {
    const { eventId, type, schemaVersion, streamId, streamPosition, recordedAt, recordedBy, correlationId, causationId } = event;
    if (typeof eventId !== 'string' || eventId === '') throw new RangeError('an imported event needs its eventId');
    if (ids.has(eventId)) throw new DuplicateEventIdError(eventId);
    ids.add(eventId);
    if (!Number.isSafeInteger(streamPosition) || streamPosition < 0) throw new RangeError(`event ${eventId}: streamPosition must be an integer >= 0, got ${String(streamPosition)}`);
    const expected = next.get(streamId);
    if (expected === undefined) firstPositions.set(streamId, streamPosition);
    else if (streamPosition !== expected) throw new WrongExpectedPositionError(streamId, streamPosition - 1, expected - 1);
    next.set(streamId, streamPosition + 1);
    if (typeof recordedAt !== 'string' || !ISO_UTC_MS.test(recordedAt) || Number.isNaN(Date.parse(recordedAt))) {
      throw new RangeError(`event ${eventId}: recordedAt must be an ISO-8601 UTC time with milliseconds, got ${String(recordedAt)}`);
    }
    // One fixed format: the strings compare in time order.
    if (recordedAt < previousAt) throw new RangeError(`event ${eventId}: recordedAt ${recordedAt} is earlier than the previous event's, ${previousAt}`);
    previousAt = recordedAt;
    const dataJson = JSON.stringify(event.data);
    if (dataJson === undefined) throw new TypeError(`event ${eventId}: data is not JSON-serialisable`);
    return { eventId, type, schemaVersion, streamId, streamPosition, recordedAt, recordedBy, correlationId, causationId, dataJson };
  });
  return { events: prepared, firstPositions };
}

/** Throws when the first imported recordedAt is earlier than the store's last (null: an empty store). */
export function checkImportRecordedAt(first: ImportedEvent, storeLast: string | null): void {
  if (storeLast !== null && first.recordedAt < storeLast) {
    throw new RangeError(`event ${first.eventId}: recordedAt ${first.recordedAt} is earlier than the store's last, ${storeLast}`);
  }
}

export interface ReadAllQuery {
  after: number;
  /** null: no limit. */
  limit: number | null;
  /** null: every type; an empty list matches nothing. */
  types: readonly string[] | null;
  /** null: every stream. */
  streamId: string | null;
}

/** Fills defaults and rejects values the adapters would otherwise read differently (e.g. a negative limit). */
export function toReadAllQuery(options: ReadAllOptions = {}): ReadAllQuery {
  const { after = 0, limit, types, streamId } = options;
  if (!Number.isInteger(after) || after < 0) throw new RangeError(`readAll: after must be an integer >= 0, got ${after}`);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new RangeError(`readAll: limit must be an integer >= 0, got ${limit}`);
  }
  return { after, limit: limit ?? null, types: types ?? null, streamId: streamId ?? null };
}
