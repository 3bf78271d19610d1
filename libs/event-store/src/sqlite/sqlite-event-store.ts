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
import { DuplicateEventIdError, PreparedEvent, checkExpected, nextRecordedAt, prepareEvents, toReadAllQuery } from '../store-rules';
import { classifySqliteError, toStoreError } from './sqlite-errors';
import {
  EVENT_COLUMNS,
  EventRow,
  INSERT_EVENT_SQL,
  NewEventRow,
  ReadAllParams,
  ReadAllShape,
  readAllParams,
  readAllShape,
  readAllSql,
  toEventRow,
  toStoredEvent,
} from './sqlite-rows';
import { SqliteConnectionOptions, openDatabase } from './sqlite-schema';

export interface SqliteEventStoreOptions extends SqliteConnectionOptions {
  /** Source of recordedAt; defaults to the system clock. */
  clock?: () => Date;
}

type AppendArgs = [streamId: string, events: PreparedEvent[], expected: ExpectedPosition, metadata: AppendMetadata];

/** An append waiting for the next group commit. */
interface PendingAppend {
  args: AppendArgs;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Outcome = { stored: StoredEvent[] } | { error: unknown };

/**
 * The production event store: one SQLite file, one row per event, `position` = rowid.
 *
 * better-sqlite3 is synchronous, so reads do their work before their promise settles.
 * Appends use group commit: those arriving in the same turn of the event loop (concurrent
 * requests) are written in one IMMEDIATE transaction, each in its own savepoint so that one
 * refused append (a position conflict) leaves the others, and share one fsync. Each append's
 * promise still resolves only after that commit, so a resolved append is durable. Appends
 * from other processes are serialised by the transaction's write lock.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite';
  private readonly listeners = new Listeners();
  private readonly streamLast;
  private readonly lastRecordedAt;
  private readonly maxPosition;
  private readonly eventIdTaken;
  private readonly insert;
  private readonly keyClaimed;
  private readonly claimKey;
  private readonly selectRange;
  private readonly selectStream;
  private readonly selectAll: Record<ReadAllShape, Database.Statement<[ReadAllParams], EventRow>>;
  private readonly appendTransaction: Database.Transaction<(...args: AppendArgs) => StoredEvent[]>;
  private readonly groupTransaction: Database.Transaction<(group: PendingAppend[]) => Outcome[]>;
  private pending: PendingAppend[] = [];

  /** Opens (or creates) the store in `file`; `':memory:'` gives a private in-memory database. */
  static open(file: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const db = openDatabase(file, options);
    try {
      return new SqliteEventStore(db, options.clock ?? (() => new Date()));
    } catch (error) {
      db.close();
      throw toStoreError(error, `open event store ${file}`);
    }
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly clock: () => Date,
  ) {
    this.streamLast = db.prepare<[string], number>(
      'SELECT stream_position FROM events WHERE stream_id = ? ORDER BY stream_position DESC LIMIT 1',
    ).pluck();
    this.lastRecordedAt = db.prepare<[], string>('SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1').pluck();
    this.maxPosition = db.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck();
    this.eventIdTaken = db.prepare<[string], number>('SELECT 1 FROM events WHERE event_id = ?').pluck();
    this.insert = db.prepare<[NewEventRow]>(INSERT_EVENT_SQL);
    this.keyClaimed = db.prepare<[string], { requestHash: string; streamId: string; first: number; last: number }>(
      'SELECT request_hash AS requestHash, stream_id AS streamId, first_position AS first, last_position AS last FROM idempotency_keys WHERE key = ?',
    );
    this.claimKey = db.prepare<[string, string, string, number, number]>(
      'INSERT INTO idempotency_keys (key, request_hash, stream_id, first_position, last_position) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectRange = db.prepare<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND position BETWEEN ? AND ? ORDER BY position`,
    );
    this.selectStream = db.prepare<[string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_position >= ? ORDER BY stream_position`,
    );
    const selectAll = (shape: ReadAllShape) => db.prepare<[ReadAllParams], EventRow>(readAllSql(shape));
    this.selectAll = { all: selectAll('all'), stream: selectAll('stream'), types: selectAll('types'), 'stream+types': selectAll('stream+types') };
    this.appendTransaction = db.transaction((...args: AppendArgs) => this.write(...args));
    // Nested in the group transaction, each append's own transaction becomes a savepoint.
    this.groupTransaction = db.transaction((group: PendingAppend[]) =>
      group.map((append): Outcome => {
        try {
          return { stored: this.appendTransaction(...append.args) };
        } catch (error) {
          return { error };
        }
      }),
    );
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
      this.pending.push({ args: [streamId, prepared, expected, metadata], resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.commitGroup());
    });
  }

  /** Writes every pending append in one transaction, then settles each one's promise. */
  private commitGroup(): void {
    const group = this.pending;
    this.pending = [];
    let outcomes: Outcome[];
    try {
      this.assertOpen();
      // IMMEDIATE takes the write lock before the expected-position checks, so no other
      // process can append between a check and its insert.
      outcomes = this.groupTransaction.immediate(group);
    } catch (error) {
      // The commit itself failed (disk full, read-only): nothing of the group was written.
      for (const { args, reject } of group) reject(this.appendError(error, args[0], args[2]));
      return;
    }
    let lastPosition = 0;
    outcomes.forEach((outcome, i) => {
      const { args, resolve, reject } = group[i];
      if ('error' in outcome) return reject(this.appendError(outcome.error, args[0], args[2]));
      const last = outcome.stored[outcome.stored.length - 1];
      lastPosition = last.position;
      resolve({ streamPosition: last.streamPosition, position: last.position, recordedAt: last.recordedAt, events: outcome.stored });
    });
    if (lastPosition > 0) this.listeners.notify(lastPosition);
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
    if (this.db.open) this.db.close();
  }

  /** The body of the append transaction: runs with the write lock held. */
  private write(streamId: string, events: PreparedEvent[], expected: ExpectedPosition, metadata: AppendMetadata): StoredEvent[] {
    const last = this.streamLast.get(streamId) ?? -1;
    checkExpected(streamId, expected, last);
    const taken = events.find((event) => this.eventIdTaken.get(event.eventId) !== undefined);
    if (taken) throw new DuplicateEventIdError(taken.eventId);
    const claim = metadata.idempotency;
    if (claim && this.keyClaimed.get(claim.key)) throw new IdempotencyKeyTaken(claim.key);
    const recordedAt = nextRecordedAt(this.clock(), this.lastRecordedAt.get() ?? null);
    const stored = events.map((event, i) => {
      const row = toEventRow(event, { streamId, streamPosition: last + 1 + i, recordedAt }, metadata);
      const { lastInsertRowid } = this.insert.run(row);
      return toStoredEvent({ ...row, position: Number(lastInsertRowid) });
    });
    // In the same transaction as the events: a key is claimed exactly when its events exist.
    if (claim) this.claimKey.run(claim.key, claim.requestHash, streamId, stored[0].position, stored[stored.length - 1].position);
    return stored;
  }

  private appendError(error: unknown, streamId: string, expected: ExpectedPosition): unknown {
    // Unreachable while every writer uses IMMEDIATE, but a writer that does not (an old
    // CLI, a manual insert) surfaces here: report it as the conflict it is.
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
