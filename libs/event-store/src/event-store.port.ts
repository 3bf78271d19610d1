/**
 * The one port every event store adapter implements (SQLite, in-memory, KurrentDB).
 *
 * Positions:
 * - `streamPosition` is 0-based within a stream; an empty stream's last position is -1.
 * - `position` is global: a positive integer, strictly increasing across the store,
 *   not necessarily contiguous.
 * - `recordedAt` is set by the store (ISO-8601 UTC with milliseconds) and never
 *   decreases along the global log, even if the clock goes backwards.
 */

/** `-1`: the stream must not exist yet; `n`: its last event must be at `n`; `'any'`: no check. */
export type ExpectedPosition = number | 'any';

export interface NewEvent {
  /** Kept when given (imports), else a fresh UUID. */
  eventId?: string;
  type: string;
  schemaVersion: number;
  data: unknown;
}

export interface AppendMetadata {
  /** The principal that sent the command, e.g. `recorder:3f2a9c01b7de`. */
  recordedBy: string;
  correlationId: string;
  causationId: string | null;
  /**
   * Claims an idempotency key for this append, stored atomically with its events and kept as
   * long as the log: a later append with the same key fails with `IdempotencyKeyTaken`.
   */
  idempotency?: IdempotencyClaim;
}

export interface IdempotencyClaim {
  /** The client's `Idempotency-Key`. */
  key: string;
  /** A digest of the request it named, to tell a repeat from a reuse with another body. */
  requestHash: string;
}

/** What the append that claimed an idempotency key wrote. */
export interface IdempotentAppend {
  key: string;
  requestHash: string;
  streamId: string;
  events: StoredEvent[];
}

/** The envelope (docs/domain.md, "The envelope"): how every event is stored and read back. */
export interface StoredEvent<Data = unknown> {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamPosition: number;
  position: number;
  recordedAt: string;
  recordedBy: string;
  correlationId: string;
  causationId: string | null;
  data: Data;
}

export interface AppendResult {
  /** Stream position of the last event written. */
  streamPosition: number;
  /** Global position of the last event written. */
  position: number;
  recordedAt: string;
  events: StoredEvent[];
}

export interface ReadAllOptions {
  /** Only events with `position > after` (default 0: from the start). */
  after?: number;
  /** At most this many events (default: all). */
  limit?: number;
  /** Only these event types. */
  types?: readonly string[];
  /** Only this stream. */
  streamId?: string;
}

export type Unsubscribe = () => void;

export interface EventStore {
  /** `sqlite`, `memory`, `eventstoredb`. */
  readonly kind: string;

  /**
   * Appends `events` to `streamId` atomically, checking `expected` first.
   * Resolves only once the events are durably committed.
   * @throws WrongExpectedPositionError when `expected` does not hold; nothing is written.
   * @throws StoreUnavailableError when the store cannot be written; nothing is written.
   */
  append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedPosition,
    metadata: AppendMetadata,
  ): Promise<AppendResult>;

  /**
   * Appends events copied from another log (an export), in the given order, atomically: all of
   * them or none. Each keeps its eventId, streamId, streamPosition, type, schemaVersion, data,
   * recordedAt, recordedBy, correlationId and causationId; only `position` is the store's own,
   * increasing in the given order. Listeners are notified once. An empty list writes nothing.
   * @throws DuplicateEventIdError when an eventId is taken (in the store or twice in `events`).
   * @throws WrongExpectedPositionError when a streamPosition is not its stream's next.
   * @throws RangeError when a recordedAt is not an ISO-8601 UTC time with milliseconds, or is
   *   earlier than the store's last recordedAt or the previous event's.
   * @throws StoreUnavailableError when the store cannot be written.
   */
  importEvents(events: readonly StoredEvent[]): Promise<{ lastPosition: number }>;

  /**
   * The events of a stream in stream order from stream position `from` (default 0): all of
   * them, or only those after a state already folded. `[]` for a stream with no such events.
   */
  readStream(streamId: string, from?: number): Promise<StoredEvent[]>;

  /** The global log in position order, filtered and paged by `options`. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;

  /** The append that claimed `key`, or null when no append did. */
  findIdempotent(key: string): Promise<IdempotentAppend | null>;

  /** Global position of the last event in the store; 0 when empty. */
  lastPosition(): Promise<number>;

  /**
   * How projections follow the log: `listener` is called with the store's last
   * global position after each committed append (and may be called spuriously);
   * the follower then reads what it has not seen with `readAll`.
   */
  subscribe(listener: (lastPosition: number) => void): Unsubscribe;

  close(): Promise<void>;
}

/** The expected stream position did not hold: another writer got there first. */
export class WrongExpectedPositionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedPosition,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at position ${actual}, expected ${String(expected)}`);
    this.name = 'WrongExpectedPositionError';
  }
}

/** Another append already claimed this idempotency key; nothing was written. */
export class IdempotencyKeyTaken extends Error {
  constructor(readonly key: string) {
    super('the idempotency key is already taken');
    this.name = 'IdempotencyKeyTaken';
  }
}

/** The store cannot be read or written right now (disk full, read-only, unreachable). */
export class StoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}
