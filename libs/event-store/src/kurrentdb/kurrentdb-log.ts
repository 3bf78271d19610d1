/**
 * Reading this store's events from KurrentDB: one stream, a range of $all, its end. Every
 * event read goes through `domainEventOf`, which drops system events, claims and other
 * namespaces, maps the envelope, and lets the store see each recordedAt (its high-water mark).
 */
import type { AllStreamResolvedEvent, RecordedEvent } from '@kurrent/kurrentdb-client';
import { BACKWARDS, END, FORWARDS } from '@kurrent/kurrentdb-client';
import { StoreUnavailableError, StoredEvent } from '../event-store.port';
import { ReadAllQuery } from '../store-rules';
import { KurrentClient } from './kurrentdb-client';
import { isDomainEvent, logFilter, toStoredEvent } from './kurrentdb-envelope';
import { messageOf, toStoreError } from './kurrentdb-errors';
import { readPositionAfter } from './kurrentdb-positions';
import { readStreamEvents, withIdleTimeout } from './kurrentdb-reads';

export class KurrentDbLog {
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
      const resolved = await readStreamEvents(this.client, this.namespace + streamId, options, this.timeoutMs);
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
      const resolved = await readStreamEvents(this.client, this.namespace + streamId, { fromRevision, maxCount: count }, this.timeoutMs);
      const stored = resolved.flatMap((event) => this.domainEventOf(event) ?? []);
      if (stored.length !== count) throw new Error(`read back ${stored.length} of ${count} events`);
      return stored;
    } catch (error) {
      // Not "nothing written": the caller must not take this for a clean failure.
      const cause = toStoreError(error, `read back the append to stream ${streamId}`);
      throw new StoreUnavailableError(`the append to stream ${streamId} was committed, but reading it back failed: ${messageOf(cause)}`, cause);
    }
  }

  /** Domain events of $all after `query.after`, filtered, up to `query.limit` (streamId is the caller's). */
  async scan(query: ReadAllQuery): Promise<StoredEvent[]> {
    const source = this.client.readAll({
      direction: FORWARDS,
      fromPosition: readPositionAfter(query.after),
      filter: logFilter(this.namespace, query.types),
    });
    const found: StoredEvent[] = [];
    try {
      for await (const resolved of withIdleTimeout(source, this.timeoutMs)) {
        const event = this.domainEventOf(resolved);
        // The read starts at the event at `after` itself (inclusive): drop it.
        if (!event || event.position <= query.after || (query.types !== null && !query.types.includes(event.type))) continue;
        found.push(event);
        if (found.length === query.limit) break;
      }
    } catch (error) {
      throw toStoreError(error, 'read the log');
    }
    return found;
  }

  /** The last domain event of the log, read backwards past claims and system events; null when there is none. */
  async lastEvent(): Promise<StoredEvent | null> {
    const source = this.client.readAll({ direction: BACKWARDS, fromPosition: END, filter: logFilter(this.namespace) });
    try {
      for await (const resolved of withIdleTimeout(source, this.timeoutMs)) {
        const event = this.domainEventOf(resolved);
        if (event) return event;
      }
      return null;
    } catch (error) {
      throw toStoreError(error, 'read the end of the log');
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
