import {
  AppendMetadata,
  AppendResult,
  EventStore,
  ExpectedPosition,
  IdempotencyKeyTaken,
  IdempotentAppend,
  NewEvent,
  ReadAllOptions,
  StoreUnavailableError,
  StoredEvent,
  Unsubscribe,
} from '../event-store.port';
import { Listeners } from '../listeners';
import { DuplicateEventIdError, checkExpected, checkImportRecordedAt, nextRecordedAt, prepareEvents, prepareImport, toReadAllQuery } from '../store-rules';

export interface MemoryEventStoreOptions {
  /** Source of recordedAt; defaults to the system clock. */
  clock?: () => Date;
}

/** What the store keeps: the envelope with data still as JSON, so every read hands out a fresh copy. */
type Entry = Omit<StoredEvent, 'data'> & { dataJson: string };

/**
 * An event store in process memory, for unit tests: same semantics as the SQLite store
 * (it passes the same contract), nothing survives the process. Each append runs without
 * awaiting anything, so concurrent appends cannot interleave.
 */
export class MemoryEventStore implements EventStore {
  readonly kind = 'memory';
  private readonly log: Entry[] = [];
  private readonly streams = new Map<string, Entry[]>();
  private readonly eventIds = new Set<string>();
  private readonly idempotency = new Map<string, { requestHash: string; streamId: string; entries: Entry[] }>();
  private readonly listeners = new Listeners();
  private readonly clock: () => Date;
  private closed = false;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedPosition,
    metadata: AppendMetadata,
  ): Promise<AppendResult> {
    this.assertOpen();
    const prepared = prepareEvents(events);
    const stream = this.streams.get(streamId) ?? [];
    checkExpected(streamId, expected, stream.length - 1);
    const duplicate = prepared.find((event) => this.eventIds.has(event.eventId));
    if (duplicate) throw new DuplicateEventIdError(duplicate.eventId);
    if (metadata.idempotency && this.idempotency.has(metadata.idempotency.key)) throw new IdempotencyKeyTaken(metadata.idempotency.key);

    const recordedAt = nextRecordedAt(this.clock(), this.log.at(-1)?.recordedAt ?? null);
    const entries = prepared.map(({ dataJson, ...event }, i): Entry => ({
      ...event,
      streamId,
      streamPosition: stream.length + i,
      position: this.log.length + 1 + i,
      recordedAt,
      recordedBy: metadata.recordedBy,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      dataJson,
    }));
    this.log.push(...entries);
    this.streams.set(streamId, [...stream, ...entries]);
    entries.forEach((entry) => this.eventIds.add(entry.eventId));
    if (metadata.idempotency) this.idempotency.set(metadata.idempotency.key, { requestHash: metadata.idempotency.requestHash, streamId, entries });

    const last = entries[entries.length - 1];
    this.listeners.notify(last.position);
    return { streamPosition: last.streamPosition, position: last.position, recordedAt, events: entries.map(toStoredEvent) };
  }

  async importEvents(events: readonly StoredEvent[]): Promise<{ lastPosition: number }> {
    this.assertOpen();
    const { events: prepared, firstPositions } = prepareImport(events);
    if (prepared.length === 0) return { lastPosition: this.log.length };
    // Every check before the first write: nothing is written when one fails.
    for (const [streamId, first] of firstPositions) checkExpected(streamId, first - 1, (this.streams.get(streamId)?.length ?? 0) - 1);
    const taken = prepared.find((event) => this.eventIds.has(event.eventId));
    if (taken) throw new DuplicateEventIdError(taken.eventId);
    checkImportRecordedAt(prepared[0], this.log.at(-1)?.recordedAt ?? null);
    for (const event of prepared) {
      const entry: Entry = { ...event, position: this.log.length + 1 };
      this.log.push(entry);
      const stream = this.streams.get(event.streamId);
      if (stream) stream.push(entry);
      else this.streams.set(event.streamId, [entry]);
      this.eventIds.add(event.eventId);
    }
    this.listeners.notify(this.log.length);
    return { lastPosition: this.log.length };
  }

  async readStream(streamId: string, from = 0): Promise<StoredEvent[]> {
    this.assertOpen();
    return (this.streams.get(streamId) ?? []).slice(Math.max(0, from)).map(toStoredEvent);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertOpen();
    const query = toReadAllQuery(options);
    // Positions are 1..n without gaps here, so `after` is also an index into the log.
    const matching = this.log
      .slice(query.after)
      .filter((entry) => query.streamId === null || entry.streamId === query.streamId)
      .filter((entry) => query.types === null || query.types.includes(entry.type));
    return matching.slice(0, query.limit ?? undefined).map(toStoredEvent);
  }

  async findIdempotent(key: string): Promise<IdempotentAppend | null> {
    this.assertOpen();
    const found = this.idempotency.get(key);
    return found ? { key, requestHash: found.requestHash, streamId: found.streamId, events: found.entries.map(toStoredEvent) } : null;
  }

  async lastPosition(): Promise<number> {
    this.assertOpen();
    return this.log.length;
  }

  /** Listeners run in a microtask after the append, before the appending caller resumes. */
  subscribe(listener: (lastPosition: number) => void): Unsubscribe {
    return this.listeners.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the memory event store is closed');
  }
}

function toStoredEvent({ dataJson, ...envelope }: Entry): StoredEvent {
  return { ...envelope, data: JSON.parse(dataJson) as unknown };
}
