import {
  AppendMetadata,
  AppendResult,
  EventStore,
  ExpectedPosition,
  IdempotentAppend,
  NewEvent,
  ReadAllOptions,
  StoreUnavailableError,
  StoredEvent,
  Unsubscribe,
} from '../event-store.port';
import { Listeners } from '../listeners';
import { ImportedEvent, checkExpected, checkImportRecordedAt, nextRecordedAt, prepareEvents, prepareImport, toReadAllQuery } from '../store-rules';
import { KurrentClient, createKurrentClient, redactConnectionString } from './kurrentdb-client';
import { CLAIM_STREAM_PREFIX, logFilter, toEventData } from './kurrentdb-envelope';
import { messageOf, refusedByServer, toStoreError, toStreamState } from './kurrentdb-errors';
import { LogFollower } from './kurrentdb-follower';
import { HeldClaim, IdempotencyClaims } from './kurrentdb-idempotency';
import { KurrentDbLog } from './kurrentdb-log';
import { readStreamEvents, within } from './kurrentdb-reads';

export interface KurrentDbEventStoreOptions {
  /** Source of recordedAt; defaults to the system clock. */
  clock?: () => Date;
  /**
   * Prefix of every stream this store writes, and the only streams it reads: several records
   * (or test runs) can share one database. Default: none, the whole database.
   */
  namespace?: string;
  /** How long `connect` waits for the server (default 5 s). */
  connectTimeoutMs?: number;
  /**
   * How long an append, or a read waiting for its next batch, may take before the store reports
   * itself unavailable (default 10 s). An append cut off this way may still be committed.
   */
  timeoutMs?: number;
  /** How long a pending idempotency claim blocks its key (default 60 s). */
  claimLeaseMs?: number;
  /** Resubscription backoff after a dropped subscription (default 250 ms, doubling up to 10 s). */
  resubscribe?: { initialDelayMs: number; maxDelayMs: number };
  /** Told about dropped subscriptions; defaults to a console warning. */
  onSubscriptionDrop?: (error: unknown, retryInMs: number) => void;
}

/**
 * The event store on KurrentDB (or EventStoreDB 22.6 and later), shared by several service
 * instances. Positions, recordedAt and idempotency keys: docs/decisions/0004-kurrentdb.md.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'eventstoredb';
  private readonly listeners = new Listeners();
  private readonly namespace: string;
  private readonly clock: () => Date;
  private readonly timeoutMs: number;
  private readonly log: KurrentDbLog;
  private readonly claims: IdempotencyClaims;
  private readonly follower: LogFollower;
  private following = false;
  /** The highest recordedAt this store has seen in the log. */
  private highWater: string | null = null;
  private lastNotified = 0;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** Connects to `connectionString` (`kurrentdb://…` or `esdb://…`), failing fast when the server cannot be reached. */
  static async connect(connectionString: string, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    const where = redactConnectionString(connectionString);
    let client: KurrentClient;
    try {
      client = createKurrentClient(connectionString);
    } catch (error) {
      throw new StoreUnavailableError(`${where} is not a valid KurrentDB connection string: ${messageOf(error)}`, error);
    }
    const store = new KurrentDbEventStore(client, options);
    const timeoutMs = options.connectTimeoutMs ?? 5000;
    try {
      await within(store.log.lastEvent(), timeoutMs); // also seeds the recordedAt high-water mark
      return store;
    } catch (error) {
      await store.close().catch(() => undefined);
      throw new StoreUnavailableError(`KurrentDB at ${where} is unreachable: ${messageOf(error)}`, error);
    }
  }

  /** Wraps `client`, which the store then owns: `close` disposes it. */
  constructor(
    private readonly client: KurrentClient,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.namespace = options.namespace ?? '';
    if (this.namespace.startsWith('$')) throw new RangeError('a namespace must not start with $ (system streams)');
    this.clock = options.clock ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.log = new KurrentDbLog(client, this.namespace, this.timeoutMs, (recordedAt) => this.observe(recordedAt));
    const claimOptions = { namespace: this.namespace, leaseMs: options.claimLeaseMs ?? 60_000, now: () => Date.now(), timeoutMs: this.timeoutMs };
    this.claims = new IdempotencyClaims(client, (streamId) => this.log.readStream(streamId), claimOptions);
    this.follower = new LogFollower(
      {
        subscribe: (fromPosition) => client.subscribeToAll({ fromPosition, filter: logFilter(this.namespace) }),
        tail: async () => (await this.log.lastEvent())?.position ?? 0,
        positionOf: (resolved) => this.log.domainEventOf(resolved)?.position ?? null,
        onPosition: (position) => this.notifyUpTo(position),
        onDrop: options.onSubscriptionDrop ?? warnDrop,
      },
      options.resubscribe ?? { initialDelayMs: 250, maxDelayMs: 10_000 },
    );
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedPosition, metadata: AppendMetadata): Promise<AppendResult> {
    this.assertOpen();
    assertDomainStreamId(streamId);
    const claim = metadata.idempotency;
    const prepared = prepareEvents(claim ? this.claims.withEventIds(claim.key, events) : events);
    const streamState = toStreamState(expected);
    const held = claim ? await this.claims.acquire(claim, streamId, prepared.map((event) => event.eventId)) : null;
    let sent = false;
    const lastRevision = await this.write(async () => {
      const recordedAt = nextRecordedAt(this.clock(), await this.latestRecordedAt());
      const data = prepared.map((event) => toEventData(event, metadata, recordedAt));
      sent = true;
      const { nextExpectedRevision } = await within(this.client.appendToStream(this.namespace + streamId, data, { streamState }), this.timeoutMs);
      this.observe(recordedAt);
      return nextExpectedRevision;
    }).catch((error: unknown) => this.appendFailed(error, held && { held, certainlyUnwritten: !sent || refusedByServer(error) }, streamId, expected));
    const stored = await this.log.readBack(streamId, lastRevision, prepared.length);
    const last = stored[stored.length - 1];
    this.notifyUpTo(last.position);
    return { streamPosition: last.streamPosition, position: last.position, recordedAt: last.recordedAt, events: stored };
  }

  /**
   * One append per run of consecutive events of a stream, each event's recordedAt, principal,
   * correlation and causation in its metadata. KurrentDB has no transaction across streams: every
   * check is made before the first append (each stream's last revision, the log's newest
   * recordedAt, ids repeated within `events`), but an outage or another writer half-way may
   * leave the first runs written. An id taken by an event already in the database is not found
   * (KurrentDB has no index of event ids).
   */
  async importEvents(events: readonly StoredEvent[]): Promise<{ lastPosition: number }> {
    this.assertOpen();
    const { events: prepared, firstPositions } = prepareImport(events);
    if (prepared.length === 0) return { lastPosition: await this.lastPosition() };
    for (const streamId of firstPositions.keys()) assertDomainStreamId(streamId);
    const last = await this.write(async () => {
      for (const [streamId, first] of firstPositions) checkExpected(streamId, first - 1, await this.lastStreamPosition(streamId));
      checkImportRecordedAt(prepared[0], await this.latestRecordedAt());
      let written = { streamId: '', revision: 0n };
      for (const run of streamRuns(prepared)) {
        const { streamId, streamPosition } = run[0];
        const expected = streamPosition - 1;
        const data = run.map((event) => toEventData(event, event, event.recordedAt));
        const { nextExpectedRevision } = await within(this.client.appendToStream(this.namespace + streamId, data, { streamState: toStreamState(expected) }), this.timeoutMs).catch(
          (error: unknown) => {
            throw toStoreError(error, `import events into stream ${streamId}`, streamId, expected);
          },
        );
        this.observe(run[run.length - 1].recordedAt);
        written = { streamId, revision: nextExpectedRevision };
      }
      return written;
    });
    const [stored] = await this.log.readBack(last.streamId, last.revision, 1);
    this.notifyUpTo(stored.position);
    return { lastPosition: stored.position };
  }

  async readStream(streamId: string, from = 0): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.log.readStream(streamId, from);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertOpen();
    const query = toReadAllQuery(options);
    if (query.limit === 0 || query.types?.length === 0) return [];
    if (query.streamId === null) return this.log.scan(query);
    // One stream: reading it is far cheaper than scanning $all for it.
    const { after, types, limit } = query;
    const events = (await this.log.readStream(query.streamId)).filter((e) => e.position > after && (types === null || types.includes(e.type)));
    return events.slice(0, limit ?? undefined);
  }

  async findIdempotent(key: string): Promise<IdempotentAppend | null> {
    this.assertOpen();
    return this.claims.find(key);
  }

  async lastPosition(): Promise<number> {
    this.assertOpen();
    return (await this.log.lastEvent())?.position ?? 0;
  }

  /**
   * Listeners hear of this process's appends before the append resolves, and of every
   * writer's through a catch-up subscription to $all started with the first listener.
   */
  subscribe(listener: (lastPosition: number) => void): Unsubscribe {
    if (this.closed) return () => undefined;
    if (!this.following) {
      this.following = true;
      this.follower.start();
    }
    return this.listeners.subscribe(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.follower.stop();
    await this.client.dispose().catch(() => undefined);
  }

  /**
   * Runs this process's appends one after the other, each taking its recordedAt inside: two
   * concurrent appends could otherwise commit in the opposite order of their clock readings.
   */
  private write<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(work, work);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  /** A stream's last revision, -1 when it has none. */
  private async lastStreamPosition(streamId: string): Promise<number> {
    try {
      const [last] = await readStreamEvents(this.client, this.namespace + streamId, { backwards: true, maxCount: 1 }, this.timeoutMs);
      return last?.event ? Number(last.event.revision) : -1;
    } catch (error) {
      throw toStoreError(error, `read stream ${streamId}`);
    }
  }

  /** The later of what this store has seen and the newest recordedAt in the log, another writer's included. */
  private async latestRecordedAt(): Promise<string | null> {
    await this.log.lastEvent(); // observed on the way
    return this.highWater;
  }

  private observe(recordedAt: string): void {
    // ISO-8601 UTC strings of one fixed format compare in time order.
    if (this.highWater === null || recordedAt > this.highWater) this.highWater = recordedAt;
  }

  /**
   * A claim is released only when the events certainly were not written (never sent, or
   * refused by the server): after a lost answer they may exist, and the lease decides later.
   */
  private async appendFailed(error: unknown, claim: { held: HeldClaim; certainlyUnwritten: boolean } | null, streamId: string, expected: ExpectedPosition): Promise<never> {
    if (claim?.certainlyUnwritten) await this.claims.release(claim.held);
    throw toStoreError(error, `append to stream ${streamId}`, streamId, expected);
  }

  /** Tells listeners about `position` unless they already heard of it or of a later one. */
  private notifyUpTo(position: number): void {
    if (this.closed || position <= this.lastNotified) return;
    this.lastNotified = position;
    this.listeners.notify(position);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the KurrentDB event store is closed');
  }
}

/** Consecutive events of one stream, in order: what one append writes. */
function* streamRuns(events: readonly ImportedEvent[]): Generator<ImportedEvent[]> {
  let run: ImportedEvent[] = [];
  for (const event of events) {
    if (run.length > 0 && run[0].streamId !== event.streamId) {
      yield run;
      run = [];
    }
    run.push(event);
  }
  if (run.length > 0) yield run;
}

function assertDomainStreamId(streamId: string): void {
  if (streamId === '' || streamId.startsWith('$') || streamId.startsWith(CLAIM_STREAM_PREFIX)) {
    throw new RangeError(`stream id ${JSON.stringify(streamId)} is reserved (empty, a $ system stream, or ${CLAIM_STREAM_PREFIX}*)`);
  }
}

function warnDrop(error: unknown, retryInMs: number): void {
  console.warn(`KurrentDB subscription dropped (${messageOf(error)}); resubscribing in ${retryInMs} ms`);
}
