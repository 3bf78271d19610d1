/**
 * Reading this store's events from KurrentDB: one stream, a range of $all, its end. Every
 * event read goes through `domainEventOf`, which drops system events, claims and other
 * namespaces, maps the envelope, and lets the store see each recordedAt (its high-water mark).
 */
import type { AllStreamResolvedEvent, ReadAllOptions as ClientReadAllOptions, RecordedEvent } from '@kurrent/kurrentdb-client';
import { BACKWARDS, END, FORWARDS, START } from '@kurrent/kurrentdb-client';
import { ExpectedPosition, InvalidPositionError, StoreUnavailableError, StoredEvent } from '../event-store.port';
import { ReadAllQuery } from '../store-rules';
import { KurrentClient } from './kurrentdb-client';
import { isDomainEvent, logFilter, streamNameOf, toStoredEvent, typesFilter } from './kurrentdb-envelope';
import { classifyKurrentError, messageOf, toStoreError } from './kurrentdb-errors';
import { readPositionAfter, toPortPosition } from './kurrentdb-positions';
import { readStreamEvents, withIdleTimeout } from './kurrentdb-reads';

/** Events per read of $all: each read is consumed to its end before the next. */
const SCAN_PAGE = 500;

/** How many newer events (other writers') a lookup of an append with expected 'any' looks past. */
const ANY_LOOKUP_MARGIN = 100;

export class KurrentDbLog {
  /** The last domain event: undefined until first looked up, null while there is none. */
  private tail: StoredEvent | null | undefined = undefined;
  /** How far the log has been looked at for the tail (a record's position, any stream's). */
  private frontier: number | null = null;
  private tailQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: KurrentClient,
    private readonly namespace: string,
    private readonly timeoutMs: number,
    private readonly seen: (recordedAt: string) => void,
  ) {}

  /** A stream's domain events from revision `from`; `[]` for a stream that does not exist. */
  async readStream(streamId: string, from = 0): Promise<StoredEvent[]> {
    try {
      const options = from > 0 ? { fromRevision: BigInt(from) } : {};
      const resolved = await readStreamEvents(this.client, streamNameOf(this.namespace, streamId), options, this.timeoutMs);
      return resolved.flatMap((event) => this.domainEventOf(event) ?? []);
    } catch (error) {
      throw toStoreError(error, `read stream ${streamId}`);
    }
  }

  /**
   * The `count` events of `streamId` up to `lastRevision`, just appended: their log positions
   * exist only once written, and the append's answer does not carry one per event.
   */
  async readBack(streamId: string, lastRevision: bigint, count: number): Promise<StoredEvent[]> {
    const fromRevision = lastRevision - BigInt(count - 1);
    try {
      const resolved = await readStreamEvents(this.client, streamNameOf(this.namespace, streamId), { fromRevision, maxCount: count }, this.timeoutMs);
      const stored = resolved.flatMap((event) => this.domainEventOf(event) ?? []);
      if (stored.length !== count) throw new Error(`read back ${stored.length} of ${count} events`);
      return stored;
    } catch (error) {
      // Not "nothing written": the caller must not take this for a clean failure.
      const cause = toStoreError(error, `read back the append to stream ${streamId}`);
      throw new StoreUnavailableError(`the append to stream ${streamId} was committed, but reading it back failed: ${messageOf(cause)}`, cause);
    }
  }

  /**
   * The events `eventIds` of `streamId`, in stream order, if an append wrote them: null when the
   * leader does not have them (all of them: an append is atomic). Reads only where they can be,
   * right after `expected`, or among the stream's last events for 'any'.
   */
  async findWritten(streamId: string, eventIds: string[], expected: ExpectedPosition): Promise<StoredEvent[] | null> {
    const slice = expected === 'any' ? { backwards: true, maxCount: eventIds.length + ANY_LOOKUP_MARGIN } : { fromRevision: BigInt(expected + 1), maxCount: eventIds.length };
    try {
      const resolved = await readStreamEvents(this.client, streamNameOf(this.namespace, streamId), slice, this.timeoutMs);
      const ids = new Set(eventIds);
      const found = resolved.flatMap((event) => (event.event && ids.has(event.event.id) ? (this.domainEventOf(event) ?? []) : []));
      return found.length === ids.size ? found.sort((a, b) => a.streamPosition - b.streamPosition) : null;
    } catch (error) {
      throw toStoreError(error, `look up the append to stream ${streamId}`);
    }
  }

  /**
   * Domain events of $all after `query.after`, filtered, up to `query.limit` (streamId is the
   * caller's). Read in pages bounded by `maxCount`, each to its end: the native reader cannot be
   * cancelled, and a read left unfinished holds its share of the connection until collected.
   */
  async scan(query: ReadAllQuery): Promise<StoredEvent[]> {
    const filter = query.types === null ? logFilter(this.namespace) : typesFilter(this.namespace, query.types);
    // The server's filter is exact (nothing is dropped here) only for the store's streams without a type list.
    const pageSize = query.types === null && query.limit !== null ? Math.min(query.limit + 1, SCAN_PAGE) : SCAN_PAGE;
    const found: StoredEvent[] = [];
    let from = query.after;
    for (;;) {
      const page = await this.readPage({ direction: FORWARDS, fromPosition: readPositionAfter(from), filter, maxCount: pageSize }, query.after);
      for (const resolved of page) {
        const event = this.domainEventOf(resolved);
        // Forward reads start at the event at `from` itself (inclusive): drop what was seen.
        if (!event || event.position <= from || (query.types !== null && !query.types.includes(event.type))) continue;
        if (found.length === query.limit) return found;
        found.push(event);
      }
      const last = page[page.length - 1]?.event?.position;
      if (page.length < pageSize || last === undefined || found.length === query.limit) return found;
      from = toPortPosition(last);
    }
  }

  /**
   * The last domain event of the log. Found once by a backwards read that ends at the first
   * match; then kept, and brought up to date by reading forward only what the log gained since
   * (other writers' appends), so an append never makes the server search the whole log.
   */
  lastEvent(): Promise<StoredEvent | null> {
    const run = this.tailQueue.then(() => this.refreshTail());
    this.tailQueue = run.catch(() => undefined);
    return run;
  }

  /** Tells the log about an event just written and read back: the new tail. */
  written(event: StoredEvent): void {
    if (this.tail !== undefined && (this.tail === null || event.position > this.tail.position)) this.tail = event;
  }

  private async refreshTail(): Promise<StoredEvent | null> {
    try {
      const end = await this.logEnd();
      if (this.tail === undefined || this.frontier === null) {
        const [last] = await this.readPage({ direction: BACKWARDS, fromPosition: END, filter: logFilter(this.namespace), maxCount: 1 });
        this.tail = (last && this.domainEventOf(last)) ?? null;
      } else {
        const newer = await this.scan({ after: this.frontier, limit: null, types: null, streamId: null });
        if (newer.length > 0) this.written(newer[newer.length - 1]);
      }
      if (end !== null && (this.frontier === null || end > this.frontier)) this.frontier = end;
      return this.tail;
    } catch (error) {
      throw toStoreError(error, 'read the end of the log');
    }
  }

  /** The position of the log's last record, any stream's (0: empty); one event read. */
  private async logEnd(): Promise<number | null> {
    const [last] = await this.readPage({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    return last?.event?.position ? toPortPosition(last.event.position) : 0;
  }

  /**
   * One read of $all, consumed to its end, from the leader (a follower may not have this
   * process's last append yet). A refused start position is reported as one, not as an outage.
   */
  private async readPage(options: ClientReadAllOptions & { maxCount: number }, after?: number): Promise<AllStreamResolvedEvent[]> {
    const page: AllStreamResolvedEvent[] = [];
    try {
      for await (const resolved of withIdleTimeout(this.client.readAll({ ...options, requiresLeader: true }), this.timeoutMs)) page.push(resolved);
      return page;
    } catch (error) {
      if (after !== undefined && after > 0 && (await this.refusedPosition(error))) throw new InvalidPositionError(after);
      throw toStoreError(error, 'read the log');
    }
  }

  /**
   * Whether a read failed for its start position: the bridge reports the server's InvalidPosition
   * as an unknown error, not an outage; and the start of the log can still be read.
   */
  private async refusedPosition(error: unknown): Promise<boolean> {
    const failure = classifyKurrentError(error);
    if (failure.kind !== 'other' && !(failure.kind === 'unavailable' && failure.type === 'unknown')) return false;
    try {
      for await (const resolved of withIdleTimeout(this.client.readAll({ direction: FORWARDS, fromPosition: START, maxCount: 1, requiresLeader: true }), this.timeoutMs)) void resolved;
      return true;
    } catch {
      return false;
    }
  }

  /** The stored envelope of a domain event of this store; null for anything else. */
  domainEventOf(resolved: { event?: RecordedEvent } | AllStreamResolvedEvent): StoredEvent | null {
    const recorded = resolved.event;
    if (!recorded || !isDomainEvent(recorded, this.namespace)) return null;
    const event = toStoredEvent(recorded, this.namespace);
    this.seen(event.recordedAt);
    return event;
  }
}
