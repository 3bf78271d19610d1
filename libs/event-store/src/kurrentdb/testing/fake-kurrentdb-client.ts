/**
 * A stand-in for `KurrentDBClient` in the adapter's unit tests, at the client boundary: it
 * keeps a log in memory with the positions, errors and stream states the real client reports,
 * so the adapter's own decisions (mapping, filtering, claims, recordedAt, notifications) can be
 * tested. It is NOT a KurrentDB server and proves nothing about one: the contract suite runs
 * against a real server when EVENTSTORE_CONNECTION_STRING is set.
 *
 * Where the real client's behaviour shapes the adapter, the fake copies it (client 1.3.1, its
 * native read bridge 0.2.2, server 25.1):
 * - reads go through a native reader that hands out batches of 64 events and cannot be
 *   cancelled: a read stays open (`openReads`) until it is consumed to its end, `maxCount`
 *   included; `return()` on the iterator tells it nothing;
 * - a read of $all from an offset that is not a record's is refused (the server's
 *   InvalidPosition, which the bridge reports as an unknown error); past the end it is empty;
 * - `created` comes in whole seconds from reads (the bridge truncates it), in milliseconds
 *   from subscriptions;
 * - an append whose event ids are those of the stream's events just after the expected
 *   revision is acknowledged without writing (the server's idempotent write);
 * - an append larger than `maxAppendSize` (1 MiB up to EventStoreDB/KurrentDB 25.0) is refused;
 * - reads and appends have separate failure queues: they run on separate connections.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  AllStreamResolvedEvent,
  AppendResult,
  AppendToStreamOptions,
  EventData,
  Filter,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  ResolvedEvent,
  SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import { MaxAppendSizeExceededError, NO_STREAM, StreamNotFoundError, UnknownError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { KurrentClient, SubscriptionLike } from '../kurrentdb-client';

export interface FakeRecord {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  created: Date;
  dataJson: string;
  metadata: unknown;
  position: Position;
}

type Method = 'appendToStream' | 'readStream' | 'readAll';

/** The native reader's batch: it answers `next()` with 64 events or the end of the read. */
export const BRIDGE_BATCH_SIZE = 64;

interface Failure {
  error: unknown;
  /** An append that commits, then fails: its answer was lost. */
  afterCommit: boolean;
}

export class FakeSubscription extends EventEmitter implements SubscriptionLike {
  unsubscribed = false;
  constructor(readonly options: SubscribeToAllOptions) {
    super();
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
  deliver(record: FakeRecord): void {
    this.emit('data', toResolved(record, 'subscription'));
  }
}

export class FakeKurrentClient implements KurrentClient {
  readonly log: FakeRecord[] = [];
  readonly appends: { streamName: string; events: EventData[]; options: AppendToStreamOptions }[] = [];
  readonly reads: ReadAllOptions[] = [];
  readonly streamReads: { streamName: string; options: ReadStreamOptions }[] = [];
  /** The server's MaxAppendSize: 1 MiB up to 25.0, 256 MiB from 25.1. */
  maxAppendSize = 1024 * 1024;
  /** Native reads started and not yet consumed to their end: each holds its share of the HTTP/2 window. */
  openReads = 0;
  /** Records the server went through for reads of $all, matching or not: the cost of filtered reads. */
  scanned = 0;
  readonly subscriptions: FakeSubscription[] = [];
  disposed = false;
  /** Where the next record goes: offsets in a transaction log, after the server's own first records. */
  private offset = 1024n;
  private readonly failures: Partial<Record<Method, Failure[]>> = {};
  private readonly stalls = new Set<Method>();
  private readonly appendDelays = new Map<string, number>();

  /** The next call of `method` fails with `error`; with `afterCommit`, an append commits first (its answer lost). */
  failNext(method: Method, error: unknown, { afterCommit = false } = {}): void {
    (this.failures[method] ??= []).push({ error, afterCommit });
  }

  /** Appends to `streamName` take `ms` before they commit (a slow network or server). */
  slowAppends(streamName: string, ms: number): void {
    this.appendDelays.set(streamName, ms);
  }

  /** Calls of `method` never answer (a black-holed server). */
  stall(method: Method): void {
    this.stalls.add(method);
  }

  /** Writes a record as another tool (or the server itself) would, bypassing the adapter. */
  write(streamId: string, type: string, data: unknown = {}, metadata: unknown = undefined): FakeRecord {
    return this.record(streamId, { id: randomUUID(), type, data, metadata });
  }

  async appendToStream(streamName: string, events: EventData[], options: AppendToStreamOptions): Promise<AppendResult> {
    const failure = await this.gate('appendToStream', true);
    const delay = this.appendDelays.get(streamName);
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    this.appends.push({ streamName, events, options });
    const size = events.reduce((sum, event) => sum + sizeOf(event), 0);
    if (size > this.maxAppendSize) throw MaxAppendSizeExceededError.fromMaxAppendSize(this.maxAppendSize);
    const result = this.commit(streamName, events, options.streamState ?? 'any');
    if (failure) throw failure.error;
    return result;
  }

  readStream(streamName: string, options: ReadStreamOptions): AsyncIterable<ResolvedEvent> {
    this.streamReads.push({ streamName, options });
    return this.natively(async () => {
      await this.gate('readStream');
      let records = this.streamRecords(streamName);
      if (records.length === 0) throw new StreamNotFoundError(undefined, streamName);
      if (options.direction === 'backwards') records = [...records].reverse();
      const from = options.fromRevision;
      if (typeof from === 'bigint') records = records.filter((r) => (options.direction === 'backwards' ? r.revision <= from : r.revision >= from));
      return records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    });
  }

  readAll(options: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent> {
    this.reads.push(options);
    return this.natively(async () => {
      await this.gate('readAll');
      const from = options.fromPosition;
      if (typeof from === 'object' && from.prepare < this.offset && !this.log.some((r) => r.position.prepare === from.prepare)) {
        // The server's InvalidPosition (InvalidArgument), which the bridge passes on as an unknown error.
        throw new UnknownError({ message: `Invalid position: ${from.prepare} is not the start of a record` } as never);
      }
      const backwards = options.direction === 'backwards';
      let records = this.log.filter((r) => typeof from !== 'object' || (backwards ? r.position.prepare < from.prepare : r.position.prepare >= from.prepare)); // forward reads are inclusive
      if (backwards) records = [...records].reverse();
      const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const found: FakeRecord[] = [];
      for (const record of records) {
        if (found.length === maxCount) break; // the server stops searching once it has maxCount matches
        this.scanned++;
        if (matches(options.filter, record)) found.push(record);
      }
      return found;
    });
  }

  /**
   * What the client hands out for a read: a generator over the native reader's batches. The
   * native read stays open until its last batch was taken; ending the generator early does not
   * close it (the bridge's iterator has no `return`).
   */
  private natively(select: () => Promise<FakeRecord[]>): AsyncIterable<AllStreamResolvedEvent & ResolvedEvent> {
    const reads = { opened: () => this.openReads++, closed: () => this.openReads-- };
    return (async function* () {
      reads.opened();
      let open = true;
      const close = () => {
        if (open) reads.closed();
        open = false;
      };
      let records: FakeRecord[];
      try {
        records = await select();
      } catch (error) {
        close();
        throw error;
      }
      for (let start = 0; start < records.length; start += BRIDGE_BATCH_SIZE) {
        const batch = records.slice(start, start + BRIDGE_BATCH_SIZE);
        if (start + BRIDGE_BATCH_SIZE >= records.length) close();
        for (const record of batch) yield toResolved(record, 'read');
      }
      close();
    })();
  }

  subscribeToAll(options: SubscribeToAllOptions): FakeSubscription {
    const subscription = new FakeSubscription(options);
    this.subscriptions.push(subscription);
    const from = options.fromPosition;
    const caughtUp = this.log.filter((r) => (typeof from === 'object' ? r.position.prepare > from.prepare : from !== 'end'));
    setImmediate(() => caughtUp.filter((r) => matches(options.filter, r)).forEach((r) => subscription.deliver(r)));
    return subscription;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  streamRecords(streamName: string): FakeRecord[] {
    return this.log.filter((record) => record.streamId === streamName);
  }

  /** The expected-state check, the server's idempotent write of ids already there, then the write. */
  private commit(streamName: string, events: EventData[], state: AppendToStreamOptions['streamState'] & {}): AppendResult {
    const records = this.streamRecords(streamName);
    const current = records.length - 1;
    const after = state === 'any' || state === 'stream_exists' ? null : state === NO_STREAM ? -1 : Number(state);
    const start = after === null ? records.findIndex((r) => r.id === events[0]?.id) : after + 1;
    const again = start >= 0 && events.every((event, i) => records[start + i]?.id === event.id);
    if (again) {
      const last = records[start + events.length - 1];
      return { success: true, nextExpectedRevision: last.revision, position: { ...records[start].position } };
    }
    const ok = state === 'any' || (state === NO_STREAM ? current === -1 : state === 'stream_exists' ? current >= 0 : BigInt(current) === state);
    if (!ok) throw new WrongExpectedVersionError(undefined, { streamName, expected: state, current: current === -1 ? NO_STREAM : BigInt(current) });
    const first = this.offset;
    events.forEach((event) => this.record(streamName, event));
    // Like the server's answer: one position for the whole append, not one per event.
    return { success: true, nextExpectedRevision: BigInt(current + events.length), position: { commit: first, prepare: first } };
  }

  private record(streamId: string, event: { id: string; type: string; data: unknown; metadata: unknown }): FakeRecord {
    const position = { commit: this.offset, prepare: this.offset };
    const dataJson = JSON.stringify(event.data);
    this.offset += BigInt(97 + event.type.length + dataJson.length); // records have sizes: offsets are not consecutive
    const record: FakeRecord = {
      streamId,
      id: event.id,
      type: event.type,
      revision: BigInt(this.streamRecords(streamId).length),
      created: new Date(),
      dataJson,
      metadata: JSON.parse(JSON.stringify(event.metadata ?? null)) as unknown,
      position,
    };
    this.log.push(record);
    this.publish(record);
    return record;
  }

  private publish(record: FakeRecord): void {
    const live = this.subscriptions.filter((s) => !s.unsubscribed && matches(s.options.filter, record));
    setImmediate(() => live.forEach((subscription) => subscription.deliver(record)));
  }

  /** Stalls or fails a call as told; a failure after the commit is handed back for the caller to throw. */
  private async gate(method: Method, canCommit = false): Promise<Failure | null> {
    if (this.stalls.has(method)) await new Promise<never>(() => undefined);
    const failure = this.failures[method]?.shift();
    await Promise.resolve();
    if (failure === undefined || failure.error === undefined) return null; // failNext(m, undefined): this call goes through
    if (canCommit && failure.afterCommit) return failure;
    throw failure.error;
  }
}

function matches(filter: Filter | undefined, record: FakeRecord): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? record.streamId : record.type;
  return 'regex' in filter ? new RegExp(filter.regex).test(subject) : filter.prefixes.some((prefix) => subject.startsWith(prefix));
}

/** Roughly what the server counts against MaxAppendSize: data, metadata and type. */
function sizeOf(event: EventData): number {
  const json = (value: unknown) => (value instanceof Uint8Array ? value.length : Buffer.byteLength(JSON.stringify(value ?? null)));
  return json(event.data) + json(event.metadata) + Buffer.byteLength(event.type);
}

function toResolved(record: FakeRecord, path: 'read' | 'subscription'): AllStreamResolvedEvent & ResolvedEvent {
  // The bridge converts `created` to whole seconds; the subscription (grpc-js) keeps milliseconds.
  const created = path === 'read' ? new Date(Math.floor(record.created.getTime() / 1000) * 1000) : new Date(record.created);
  // A fresh object on every read, data parsed anew: what the real client hands out.
  const event = {
    streamId: record.streamId,
    id: record.id,
    isJson: true as const,
    revision: record.revision,
    type: record.type,
    created,
    data: JSON.parse(record.dataJson) as Record<string, unknown>,
    metadata: (record.metadata ?? undefined) as Record<string, unknown> | undefined,
    position: { ...record.position },
  };
  return { event, commitPosition: record.position.commit };
}
