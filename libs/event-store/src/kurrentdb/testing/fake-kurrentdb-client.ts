/**
 * A stand-in for `KurrentDBClient` in the adapter's unit tests, at the client boundary: it
 * keeps a log in memory with the positions, errors and stream states the real client reports,
 * so the adapter's own decisions (mapping, filtering, claims, recordedAt, notifications) can be
 * tested. It is NOT a KurrentDB server and proves nothing about one: the contract suite runs
 * against a real server when EVENTSTORE_CONNECTION_STRING is set.
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
import { NO_STREAM, StreamNotFoundError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
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

export class FakeSubscription extends EventEmitter implements SubscriptionLike {
  unsubscribed = false;
  constructor(readonly options: SubscribeToAllOptions) {
    super();
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
  deliver(record: FakeRecord): void {
    this.emit('data', toResolved(record));
  }
}

export class FakeKurrentClient implements KurrentClient {
  readonly log: FakeRecord[] = [];
  readonly appends: { streamName: string; events: EventData[]; options: AppendToStreamOptions }[] = [];
  readonly reads: ReadAllOptions[] = [];
  readonly subscriptions: FakeSubscription[] = [];
  disposed = false;
  /** Where the next record goes: offsets in a transaction log, after the server's own first records. */
  private offset = 1024n;
  private readonly failures: Partial<Record<Method, unknown[]>> = {};
  private readonly stalls = new Set<Method>();
  private readonly appendDelays = new Map<string, number>();

  /** The next call of `method` fails with `error`. */
  failNext(method: Method, error: unknown): void {
    (this.failures[method] ??= []).push(error);
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
    await this.gate('appendToStream');
    const delay = this.appendDelays.get(streamName);
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    this.appends.push({ streamName, events, options });
    const current = this.streamRecords(streamName).length - 1;
    const state = options.streamState ?? 'any';
    const ok = state === 'any' || (state === NO_STREAM ? current === -1 : state === 'stream_exists' ? current >= 0 : BigInt(current) === state);
    if (!ok) throw new WrongExpectedVersionError(undefined, { streamName, expected: state, current: current === -1 ? NO_STREAM : BigInt(current) });
    const first = this.offset;
    events.forEach((event) => this.record(streamName, event));
    // Like the server's answer: one position for the whole append, not one per event.
    return { success: true, nextExpectedRevision: BigInt(current + events.length), position: { commit: first, prepare: first } };
  }

  readStream(streamName: string, options: ReadStreamOptions): AsyncIterable<ResolvedEvent> {
    return this.streamEvents(streamName, options);
  }

  readAll(options: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent> {
    this.reads.push(options);
    return this.allEvents(options);
  }

  private async *streamEvents(streamName: string, options: ReadStreamOptions): AsyncGenerator<ResolvedEvent> {
    await this.gate('readStream');
    let records = this.streamRecords(streamName);
    if (records.length === 0) throw new StreamNotFoundError(undefined, streamName);
    if (options.direction === 'backwards') records = [...records].reverse();
    const from = options.fromRevision;
    if (typeof from === 'bigint') records = records.filter((r) => (options.direction === 'backwards' ? r.revision <= from : r.revision >= from));
    for (const record of records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER))) yield toResolved(record);
  }

  private async *allEvents(options: ReadAllOptions): AsyncGenerator<AllStreamResolvedEvent> {
    await this.gate('readAll');
    const from = options.fromPosition;
    const backwards = options.direction === 'backwards';
    let records = this.log.filter((r) => typeof from !== 'object' || r.position.prepare >= from.prepare); // forward reads are inclusive
    if (backwards) records = [...records].reverse();
    for (const record of records.filter((r) => matches(options.filter, r))) yield toResolved(record);
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

  private async gate(method: Method): Promise<void> {
    if (this.stalls.has(method)) await new Promise<never>(() => undefined);
    const failure = this.failures[method]?.shift();
    if (failure !== undefined) throw failure;
    await Promise.resolve();
  }
}

function matches(filter: Filter | undefined, record: FakeRecord): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? record.streamId : record.type;
  return 'regex' in filter ? new RegExp(filter.regex).test(subject) : filter.prefixes.some((prefix) => subject.startsWith(prefix));
}

function toResolved(record: FakeRecord): AllStreamResolvedEvent & ResolvedEvent {
  // A fresh object on every read, data parsed anew: what the real client hands out.
  const event = {
    streamId: record.streamId,
    id: record.id,
    isJson: true as const,
    revision: record.revision,
    type: record.type,
    created: new Date(record.created),
    data: JSON.parse(record.dataJson) as Record<string, unknown>,
    metadata: (record.metadata ?? undefined) as Record<string, unknown> | undefined,
    position: { ...record.position },
  };
  return { event, commitPosition: record.position.commit };
}
