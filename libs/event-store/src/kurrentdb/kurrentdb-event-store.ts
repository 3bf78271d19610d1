import {
  AppendMetadata,
  AppendOutcomeUnknownError,
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
import { CLAIM_STREAM_PREFIX, NAMESPACE_SEPARATOR, assertNamespace, logFilter, streamNameOf, toEventData } from './kurrentdb-envelope';
import { ReadTimeoutError, messageOf, refusedByServer, toStoreError, toStreamState } from './kurrentdb-errors';
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
    assertNamespace(this.namespace);
    this.clock = options.clock ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.log = new KurrentDbLog(client, this.namespace, this.timeoutMs, (recordedAt) => this.observe(recordedAt));
    const claimOptions = { namespace: this.namespace, leaseMs: options.claimLeaseMs ?? 60_000, now: () => Date.now(), timeoutMs: this.timeoutMs };
    this.claims = new IdempotencyClaims(client, (streamId) => this.log.readStream(streamId), claimOptions, (streamId, eventIds, expected) =>
      this.log.findWritten(streamId, eventIds, expected),
    );
    this.follower = new LogFollower(
      {
        subscribe: (fromPosition) => client.subscribeToAll({ fromPosition, filter: logFilter(this.namespace) }),
        tail: async () => (await this.log.lastEvent())?.position ?? 0,
        positionOf: (resolved) => this.log.domainEventOf(resolved)?.position ?? null,
        onPosition: (position) => this.notifyUpTo(position),
        onDrop: options.onSubscriptionDrop ?? warnDrop,
        onUnreadable: (error) => console.warn(`KurrentDB subscription skipped an event: ${messageOf(error)}`),
      },
      options.resubscribe ?? { initialDelayMs: 250, maxDelayMs: 10_000 },
    );
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedPosition, metadata: AppendMetadata): Promise<AppendResult> {
    this.assertOpen();
    assertDomainStreamId(streamId);
    const claim = metadata.idempotency;
    const prepared = prepareEvents(claim ? this.claims.withEventIds(claim.key, events) : events);
    const eventIds = prepared.map((event) => event.eventId);
    eventIds.forEach(assertEventId);
    const streamState = toStreamState(expected);
    const held = claim ? await this.claims.acquire(claim, streamId, eventIds, expected) : null;
    let sent: Promise<unknown> | null = null;
    let lastRevision: bigint;
    try {
      lastRevision = await this.write(async () => {
        const recordedAt = nextRecordedAt(this.clock(), await this.latestRecordedAt());
        const data = prepared.map((event) => toEventData(event, metadata, recordedAt));
        const appended = this.client.appendToStream(streamNameOf(this.namespace, streamId), data, { streamState });
        sent = appended;
        const { nextExpectedRevision } = await within(appended, this.timeoutMs);
        this.observe(recordedAt);
        return nextExpectedRevision;
      });
    } catch (error) {
      if (sent === null || refusedByServer(error)) return this.appendRefused(error, held, streamId, expected);
      // The answer was lost or cut off by the timer: the events may be in the log.
      const stillPending = error instanceof ReadTimeoutError ? sent : null;
      return this.appended(await this.resolveOutcome(streamId, eventIds, expected, { error, stillPending, committed: false }));
    }
    const stored = await this.log
      .readBack(streamId, lastRevision, prepared.length)
      .catch((error: unknown) => this.resolveOutcome(streamId, eventIds, expected, { error, stillPending: null, committed: true }));
    return this.appended(stored);
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
    for (const event of prepared) assertEventId(event.eventId);
    const last = await this.write(async () => {
      for (const [streamId, first] of firstPositions) checkExpected(streamId, first - 1, await this.lastStreamPosition(streamId));
      checkImportRecordedAt(prepared[0], await this.latestRecordedAt());
      let written = { streamId: '', revision: 0n };
      for (const run of appendRuns(prepared)) {
        const { streamId, streamPosition } = run[0];
        const expected = streamPosition - 1;
        const data = run.map((event) => toEventData(event, event, event.recordedAt));
        const { nextExpectedRevision } = await within(this.client.appendToStream(streamNameOf(this.namespace, streamId), data, { streamState: toStreamState(expected) }), this.timeoutMs).catch(
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
      const [last] = await readStreamEvents(this.client, streamNameOf(this.namespace, streamId), { backwards: true, maxCount: 1 }, this.timeoutMs);
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

  /** The events certainly were not written (never sent, or refused): the claim is given back. */
  private async appendRefused(error: unknown, held: HeldClaim | null, streamId: string, expected: ExpectedPosition): Promise<never> {
    if (held) await this.claims.release(held);
    throw toStoreError(error, `append to stream ${streamId}`, streamId, expected);
  }

  private appended(stored: StoredEvent[]): AppendResult {
    const last = stored[stored.length - 1];
    this.log.written(last);
    this.notifyUpTo(last.position);
    return { streamPosition: last.streamPosition, position: last.position, recordedAt: last.recordedAt, events: stored };
  }

  /**
   * After a lost answer (or a failed read-back), whether the append is in the log, found by its
   * event ids: the events when it is; "nothing written" when the append has failed and the
   * leader does not have them; AppendOutcomeUnknownError when the store cannot tell (the call
   * may still commit, or the lookup fails too). A claim is kept in both failures: the lease
   * decides, so a retry with the same key can never append twice.
   */
  private async resolveOutcome(streamId: string, eventIds: string[], expected: ExpectedPosition, outcome: AppendOutcome): Promise<StoredEvent[]> {
    const action = `append to stream ${streamId}`;
    const settled = outcome.stillPending ? await settledWithin(outcome.stillPending, this.timeoutMs) : 'settled';
    if (settled === 'refused') throw toStoreError(outcome.error, action, streamId, expected);
    for (let attempt = 0; attempt < LOOKUP_ATTEMPTS; attempt++) {
      const found = await this.log.findWritten(streamId, eventIds, expected).catch(() => undefined);
      if (found) return found;
      if (found === null && settled === 'settled' && !outcome.committed) throw toStoreError(outcome.error, action, streamId, expected);
      if (found === null && settled === 'pending') break;
      await new Promise((resolve) => setTimeout(resolve, LOOKUP_BACKOFF_MS * 2 ** attempt));
    }
    const what = outcome.committed ? 'was committed, but could not be read back' : 'may have been written: its answer was lost';
    throw new AppendOutcomeUnknownError(`the ${action} ${what} (${messageOf(toStoreError(outcome.error, action))})`, outcome.committed, outcome.error);
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

/**
 * What one append of an import writes: consecutive events of one stream, in order, at most
 * APPEND_BUDGET bytes of them (EventStoreDB and KurrentDB up to 25.0 refuse appends over 1 MiB).
 */
function* appendRuns(events: readonly ImportedEvent[]): Generator<ImportedEvent[]> {
  let run: ImportedEvent[] = [];
  let size = 0;
  for (const event of events) {
    const eventSize = encodedSize(event);
    if (run.length > 0 && (run[0].streamId !== event.streamId || size + eventSize > APPEND_BUDGET)) {
      yield run;
      run = [];
      size = 0;
    }
    run.push(event);
    size += eventSize;
  }
  if (run.length > 0) yield run;
}

/** Bytes per import append: the server's 1 MiB limit, less room for what it counts beyond data and metadata. */
const APPEND_BUDGET = 768 * 1024;

/** An imported event's data, metadata and type, as the server counts them against its append limit. */
function encodedSize(event: ImportedEvent): number {
  const { recordedAt, recordedBy, correlationId, causationId, schemaVersion, type } = event;
  const metadata = JSON.stringify({ recordedAt, recordedBy, correlationId, causationId, schemaVersion, $correlationId: correlationId, $causationId: causationId });
  return Buffer.byteLength(event.dataJson) + Buffer.byteLength(metadata) + Buffer.byteLength(type);
}

interface AppendOutcome {
  error: unknown;
  /** The append call, when the timer cut it off: it may still commit. */
  stillPending: Promise<unknown> | null;
  /** The server answered success: only the read-back failed. */
  committed: boolean;
}

/** Lookups of an append whose answer was lost, and the wait before the first retry (doubling). */
const LOOKUP_ATTEMPTS = 3;
const LOOKUP_BACKOFF_MS = 100;

/** Whether `call`, cut off by a timer, has ended within `ms` more: refused by the server, settled otherwise, or still pending. */
async function settledWithin(call: Promise<unknown>, ms: number): Promise<'settled' | 'refused' | 'pending'> {
  return within(call, ms).then(
    () => 'settled' as const,
    (error: unknown) => (error instanceof ReadTimeoutError ? 'pending' : refusedByServer(error) ? 'refused' : 'settled'),
  );
}

function assertDomainStreamId(streamId: string): void {
  if (streamId === '' || streamId.startsWith('$') || streamId.startsWith(CLAIM_STREAM_PREFIX) || streamId.includes(NAMESPACE_SEPARATOR)) {
    throw new RangeError(`stream id ${JSON.stringify(streamId)} is reserved (empty, a $ system stream, ${CLAIM_STREAM_PREFIX}*, or holding '${NAMESPACE_SEPARATOR}')`);
  }
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * KurrentDB stores an event id as a GUID: anything else fails the append, and an upper-case or
 * braced UUID comes back lower-cased, another id than the one given.
 */
function assertEventId(eventId: string): void {
  if (!CANONICAL_UUID.test(eventId)) throw new RangeError(`event id ${JSON.stringify(eventId)} is not a UUID in lower case (8-4-4-4-12 hex digits): KurrentDB stores event ids as UUIDs`);
}

function warnDrop(error: unknown, retryInMs: number): void {
  console.warn(`KurrentDB subscription dropped (${messageOf(error)}); resubscribing in ${retryInMs} ms`);
}
