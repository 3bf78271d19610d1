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

/**
 * The production event store: one SQLite file, one row per event, `position` = rowid.
 *
 * better-sqlite3 is synchronous, so each method does its work before its promise settles;
 * appends within this process therefore never interleave, and appends from other
 * processes are serialised by the IMMEDIATE transaction's write lock.
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
    this.selectStream = db.prepare<[string], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? ORDER BY stream_position`,
    );
    const selectAll = (shape: ReadAllShape) => db.prepare<[ReadAllParams], EventRow>(readAllSql(shape));
    this.selectAll = { all: selectAll('all'), stream: selectAll('stream'), types: selectAll('types'), 'stream+types': selectAll('stream+types') };
    this.appendTransaction = db.transaction((...args: AppendArgs) => this.write(...args));
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedPosition,
    metadata: AppendMetadata,
  ): Promise<AppendResult> {
    this.assertOpen();
    const prepared = prepareEvents(events);
    let stored: StoredEvent[];
    try {
      // IMMEDIATE takes the write lock before the expected-position check, so no other
      // process can append to the stream between the check and the insert.
      stored = this.appendTransaction.immediate(streamId, prepared, expected, metadata);
    } catch (error) {
      throw this.appendError(error, streamId, expected);
    }
    const last = stored[stored.length - 1];
    this.listeners.notify(last.position);
    return { streamPosition: last.streamPosition, position: last.position, recordedAt: last.recordedAt, events: stored };
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    return this.reading(`read stream ${streamId}`, () => this.selectStream.all(streamId).map(toStoredEvent));
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
