import Database from 'better-sqlite3';
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
  WrongExpectedPositionError,
} from '../event-store.port';
import { Listeners } from '../listeners';
import {
  DuplicateEventIdError,
  PreparedEvent,
  PreparedImport,
  checkExpected,
  checkImportRecordedAt,
  nextRecordedAt,
  prepareEvents,
  prepareImport,
  toReadAllQuery,
} from '../store-rules';
import { classifySqliteError, messageOf, toStoreError } from './sqlite-errors';
import {
  EVENT_COLUMNS,
  EventRow,
  INSERT_EVENT_SQL,
  insertedEvent,
  NewEventRow,
  ReadAllParams,
  ReadAllShape,
  readAllParams,
  readAllShape,
  readAllSql,
  STREAM_RANGE_SQL,
  toEventRow,
  toStoredEvent,
} from './sqlite-rows';
import { DEFAULT_BUSY_TIMEOUT_MS, SqliteConnectionOptions, openDatabase } from './sqlite-schema';
import type { WalCheckpointer } from './wal-checkpointer';
import { takeWriteLock } from './write-lock';

export interface SqliteEventStoreOptions extends SqliteConnectionOptions {
  /** Source of recordedAt; defaults to the system clock. */
  clock?: () => Date;
  /** Copies the write-ahead log back on a thread of its own instead of in commits (the service). */
  checkpoints?: WalCheckpointer;
}

/** What the writes of one group commit share: the clock's reading, and the log's last recordedAt as they move it. */
interface GroupState {
  now: Date;
  lastRecordedAt: string | null;
}

/** Work waiting for the next group commit: an append, or an import of copied events. */
interface PendingWrite {
  /**
   * Runs inside the group's transaction; throws to refuse, its writes undone. Returns the last
   * position written. In a savepoint of its own when it writes several rows: a single row's
   * failed insert undoes itself (SQLite rolls back a failing statement), and a savepoint per
   * append is a good part of the cost of a group of many one-event appends.
   */
  write: (group: GroupState) => number;
  savepoint: boolean;
  /** After the commit, when `write` returned. */
  done: () => void;
  /** When `write` threw, or the commit failed. */
  fail: (error: unknown) => void;
}

type Outcome = { lastPosition: number } | { error: unknown };

/** Turns of the event loop a group commit may wait for more writes while they keep coming. */
const GATHER_TURNS = 8;

/** Raised by the UNIQUE constraint on event_id. */
const EVENT_ID_TAKEN = 'UNIQUE constraint failed: events.event_id';

/**
 * The production event store: one SQLite file, one row per event, `position` = rowid.
 *
 * better-sqlite3 is synchronous, so reads do their work before their promise settles.
 * Appends use group commit: those arriving in the same turn of the event loop (concurrent
 * requests, the batches of an import), and in the next turns while more keep arriving (see
 * `commitSoon`), are written in one IMMEDIATE transaction, each on its
 * own (a savepoint when it writes several rows) so that one refused append (a position
 * conflict) leaves the others, and share one fsync. Each append's
 * promise still resolves only after that commit, so a resolved append is durable. Appends
 * from other processes are serialised by the transaction's write lock.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite';
  private readonly listeners = new Listeners();
  private readonly streamLast;
  private readonly lastRecordedAt;
  private readonly maxPosition;
  private readonly insert;
  private readonly keyClaimed;
  private readonly claimKey;
  private readonly selectRange;
  private readonly selectStream;
  private readonly selectAll: Record<ReadAllShape, Database.Statement<[ReadAllParams], EventRow>>;
  private readonly savepoint: Database.Transaction<(write: (group: GroupState) => number, group: GroupState) => number>;
  private readonly groupTransaction: Database.Transaction<(group: PendingWrite[]) => Outcome[]>;
  private pending: PendingWrite[] = [];

  /** Opens (or creates) the store in `file`; `':memory:'` gives a private in-memory database. */
  static open(file: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const db = openDatabase(file, options);
    try {
      const store = new SqliteEventStore(db, options.clock ?? (() => new Date()), options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS, options.checkpoints);
      options.checkpoints?.add(db);
      return store;
    } catch (error) {
      db.close();
      throw toStoreError(error, `open event store ${file}`);
    }
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly clock: () => Date,
    /** How long a group waits for the write lock another process holds (a CLI import), between turns of the event loop. */
    private readonly busyTimeoutMs: number,
    private readonly checkpoints?: WalCheckpointer,
  ) {
    this.streamLast = db.prepare<[string], number>(
      'SELECT stream_position FROM events WHERE stream_id = ? ORDER BY stream_position DESC LIMIT 1',
    ).pluck();
    this.lastRecordedAt = db.prepare<[], string>('SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1').pluck();
    this.maxPosition = db.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck();
    this.insert = db.prepare<[NewEventRow]>(INSERT_EVENT_SQL);
    this.keyClaimed = db.prepare<[string], { requestHash: string; streamId: string; first: number; last: number }>(
      'SELECT request_hash AS requestHash, stream_id AS streamId, first_position AS first, last_position AS last FROM idempotency_keys WHERE key = ?',
    );
    this.claimKey = db.prepare<[string, string, string, number, number]>(
      'INSERT INTO idempotency_keys (key, request_hash, stream_id, first_position, last_position) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectRange = db.prepare<[string, number, number], EventRow>(STREAM_RANGE_SQL);
    this.selectStream = db.prepare<[string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_position >= ? ORDER BY stream_position`,
    );
    const selectAll = (shape: ReadAllShape) => db.prepare<[ReadAllParams], EventRow>(readAllSql(shape));
    this.selectAll = { all: selectAll('all'), stream: selectAll('stream'), types: selectAll('types'), 'stream+types': selectAll('stream+types') };
    // Nested in the group transaction, each write's own transaction becomes a savepoint.
    this.savepoint = db.transaction((write: (group: GroupState) => number, group: GroupState) => write(group));
    this.groupTransaction = db.transaction((pending: PendingWrite[]) => {
      const group: GroupState = { now: this.clock(), lastRecordedAt: this.lastRecordedAt.get() ?? null };
      return pending.map((write): Outcome => {
        try {
          return { lastPosition: write.savepoint ? this.savepoint(write.write, group) : write.write(group) };
        } catch (error) {
          // Some errors (a full disk, an I/O error) make SQLite roll the whole transaction back:
          // then none of the group is written, and the rest must not run outside a transaction.
          if (!this.db.inTransaction) throw error;
          return { error };
        }
      });
    });
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedPosition,
    metadata: AppendMetadata,
  ): Promise<AppendResult> {
    this.assertOpen();
    const prepared = prepareEvents(events);
    return new Promise<AppendResult>((resolve, reject) => {
      let stored: StoredEvent[] = [];
      this.enqueue({
        write: (group) => {
          stored = this.write(streamId, prepared, expected, metadata, group);
          return stored[stored.length - 1].position;
        },
        savepoint: prepared.length > 1 || metadata.idempotency !== undefined,
        done: () => {
          const last = stored[stored.length - 1];
          resolve({ streamPosition: last.streamPosition, position: last.position, recordedAt: last.recordedAt, events: stored });
        },
        fail: (error) => reject(this.appendError(error, streamId, expected)),
      });
    });
  }

  /** One savepoint of the group commit, so it keeps its place in the order of calls and shares the commit. */
  async importEvents(events: readonly StoredEvent[]): Promise<{ lastPosition: number }> {
    this.assertOpen();
    const prepared = prepareImport(events);
    if (prepared.events.length === 0) return { lastPosition: await this.lastPosition() };
    return new Promise((resolve, reject) => {
      let lastPosition = 0;
      this.enqueue({
        write: (group) => (lastPosition = this.writeImport(prepared, group)),
        savepoint: true,
        done: () => resolve({ lastPosition }),
        fail: (error) => reject(toStoreError(error, `import events into event store ${this.db.name}`)),
      });
    });
  }

  private enqueue(write: PendingWrite): void {
    this.pending.push(write);
    if (this.pending.length === 1) this.commitSoon(1, 1);
  }

  /**
   * Commits the group on a later turn of the event loop; while each turn brings more writes
   * (requests still arriving: the commit blocks the loop, so those that come during one arrive
   * together just after it), they join the group, for at most GATHER_TURNS turns. A turn that
   * brings nothing commits at once, so a lone append waits one turn.
   */
  private commitSoon(seen: number, turn: number): void {
    setImmediate(() => {
      if (this.pending.length > seen && turn < GATHER_TURNS) return this.commitSoon(this.pending.length, turn + 1);
      void this.commitGroup();
    });
  }

  /**
   * Writes every pending append in one transaction, then settles each one's promise. IMMEDIATE
   * takes the write lock before the expected-position checks, so no other process can append
   * between a check and its insert. Another process holding it (a CLI import, between its
   * batches) is waited for between turns of the event loop, not in SQLite's busy handler, which
   * sleeps on the thread: appends arriving meanwhile join the group.
   */
  private async commitGroup(): Promise<void> {
    let own: boolean;
    try {
      this.assertOpen();
      own = await takeWriteLock(this.db, this.busyTimeoutMs);
    } catch (error) {
      return this.failPending(this.db.open ? error : new StoreUnavailableError(`event store ${this.db.name} is closed`));
    }
    // The store opens no transaction but this one: one left open would take the group's writes uncommitted.
    if (!own) return this.failPending(new Error(`event store ${this.db.name}: a transaction is already open on its connection`));
    const group = this.pending;
    this.pending = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.groupTransaction(group);
      this.db.exec('COMMIT');
    } catch (error) {
      // The commit itself failed (disk full, read-only): nothing of the group was written.
      if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const pending of group) pending.fail(error);
      return;
    }
    let lastPosition = 0;
    outcomes.forEach((outcome, i) => {
      if ('error' in outcome) return group[i].fail(outcome.error);
      lastPosition = outcome.lastPosition;
      group[i].done();
    });
    if (lastPosition > 0) this.listeners.notify(lastPosition);
  }

  /** Fails every pending write (the lock was not had): nothing of them was written. */
  private failPending(error: unknown): void {
    const group = this.pending;
    this.pending = [];
    for (const pending of group) pending.fail(error);
  }

  async readStream(streamId: string, from = 0): Promise<StoredEvent[]> {
    return this.reading(`read stream ${streamId}`, () => this.selectStream.all(streamId, from).map(toStoredEvent));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    const query = toReadAllQuery(options);
    const statement = this.selectAll[readAllShape(query)];
    return this.reading('read the log', () => statement.all(readAllParams(query)).map(toStoredEvent));
  }

  async findIdempotent(key: string): Promise<IdempotentAppend | null> {
    return this.reading('read an idempotency key', () => {
      const claim = this.keyClaimed.get(key);
      if (!claim) return null;
      const events = this.selectRange.all(claim.streamId, claim.first, claim.last).map(toStoredEvent);
      return { key, requestHash: claim.requestHash, streamId: claim.streamId, events };
    });
  }

  async lastPosition(): Promise<number> {
    return this.reading('read the last position', () => this.maxPosition.get() ?? 0);
  }

  /** Listeners run in a microtask after the append commits, before the appending caller resumes. */
  subscribe(listener: (lastPosition: number) => void): Unsubscribe {
    return this.listeners.subscribe(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    // Closing the last connection checkpoints the file: this one, with SQLite's own threshold back.
    this.checkpoints?.remove(this.db);
    if (this.db.open) this.db.close();
  }

  /** The body of an append: runs with the write lock held. */
  private write(streamId: string, events: PreparedEvent[], expected: ExpectedPosition, metadata: AppendMetadata, group: GroupState): StoredEvent[] {
    const claim = metadata.idempotency;
    // A new stream needs no look: its first insert at stream position 0 fails on the table's
    // UNIQUE (stream_id, stream_position) if the stream exists, which reports the conflict.
    const last = expected === -1 && !claim ? -1 : (this.streamLast.get(streamId) ?? -1);
    checkExpected(streamId, expected, last);
    if (claim && this.keyClaimed.get(claim.key)) throw new IdempotencyKeyTaken(claim.key);
    const recordedAt = nextRecordedAt(group.now, group.lastRecordedAt);
    const stored = events.map((event, i) => {
      const row = toEventRow(event, { streamId, streamPosition: last + 1 + i, recordedAt }, metadata);
      return insertedEvent(row, this.insertRow(row));
    });
    // In the same transaction as the events: a key is claimed exactly when its events exist.
    if (claim) this.claimKey.run(claim.key, claim.requestHash, streamId, stored[0].position, stored[stored.length - 1].position);
    group.lastRecordedAt = recordedAt;
    return stored;
  }

  /** Inserts one event row, answering its position. An event id already taken is refused by the table's UNIQUE constraint. */
  private insertRow(row: NewEventRow): number {
    try {
      return Number(this.insert.run(row).lastInsertRowid);
    } catch (error) {
      if (messageOf(error).includes(EVENT_ID_TAKEN)) throw new DuplicateEventIdError(row.event_id);
      throw error;
    }
  }

  /** The body of an import's savepoint: every check against the store, then the rows in the given order. */
  private writeImport({ events, firstPositions }: PreparedImport, group: GroupState): number {
    for (const [streamId, first] of firstPositions) checkExpected(streamId, first - 1, this.streamLast.get(streamId) ?? -1);
    checkImportRecordedAt(events[0], group.lastRecordedAt);
    let position = 0;
    for (const event of events) position = this.insertRow(toEventRow(event, event, event));
    group.lastRecordedAt = events[events.length - 1].recordedAt;
    return position;
  }

  private appendError(error: unknown, streamId: string, expected: ExpectedPosition): unknown {
    // An append expecting a new stream that exists (its insert at stream position 0 is refused),
    // or a writer that does not take the write lock first (an old CLI, a manual insert): report
    // it as the conflict it is.
    if (classifySqliteError(error).kind === 'stream-conflict') {
      const actual = this.reading(`read stream ${streamId}`, () => this.streamLast.get(streamId) ?? -1);
      return new WrongExpectedPositionError(streamId, expected, actual);
    }
    return toStoreError(error, `append to stream ${streamId} in event store ${this.db.name}`);
  }

  private reading<T>(action: string, read: () => T): T {
    this.assertOpen();
    try {
      return read();
    } catch (error) {
      throw toStoreError(error, `${action} of event store ${this.db.name}`);
    }
  }

  private assertOpen(): void {
    if (!this.db.open) throw new StoreUnavailableError(`event store ${this.db.name} is closed`);
  }
}
