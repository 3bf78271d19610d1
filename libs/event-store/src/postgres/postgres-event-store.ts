import { Pool, type PoolClient } from 'pg';
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
import { classifyPostgresError, keyValueOf, redactUrl, toStoreError } from './postgres-errors';
import { PostgresNotifications } from './postgres-notifications';
import { EVENT_COLUMNS, EventRow, appendColumns, importColumns, insertSql, insertedEvent, readAllStatement, toStoredEvent } from './postgres-rows';
import { SchemaNames, migrate, schemaNames } from './postgres-schema';

export interface PostgresEventStoreOptions {
  /** Source of recordedAt; defaults to the system clock. */
  clock?: () => Date;
  /** The schema holding this record's tables (default `positions`): several records can share a database. */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** How often a subscribed store looks for appends it was not notified of (default 1000 ms). */
  pollMs?: number;
  /** How long to wait for a connection before answering StoreUnavailableError (default 5000 ms). */
  connectTimeoutMs?: number;
  /** How long an append waits for another's append lock before giving up (default 30 s). */
  lockTimeoutMs?: number;
}

export const DEFAULT_SCHEMA = 'positions';

/** The result of the body of a write transaction, and the last position it wrote (announced at commit). */
interface Written<T> {
  result: T;
  lastPosition: number;
}

/** A write waiting for its group commit. */
interface PendingWrite {
  action: string;
  work: (client: PoolClient) => Promise<Written<unknown>>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { written: Written<unknown> } | { error: unknown };

/**
 * The store for several instances: PostgreSQL through a node-postgres pool, one row per event
 * in the record's own schema. Appends of every instance are serialised by a transaction-level
 * advisory lock taken before the expected-position check and released at commit, so global
 * positions (an identity column) commit in increasing order: a reader never sees N+1 before N
 * (docs/decisions/0016-postgres.md). Each commit announces its last position by NOTIFY; other
 * instances LISTEN, and poll as a fallback.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres';
  private readonly listeners = new Listeners();
  private readonly names: SchemaNames;
  private readonly insert: string;
  private readonly notifications: PostgresNotifications;
  private announced = 0;
  private closed = false;
  /** Writes waiting for the next group commit (see `writing`). */
  private pending: PendingWrite[] = [];
  private flushing = false;

  /** Connects, creates the schema and its tables when missing, and answers once the database answered. */
  static async connect(url: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const names = schemaNames(options.schema ?? DEFAULT_SCHEMA);
    const lockTimeout = Math.trunc(options.lockTimeoutMs ?? 30_000);
    const pool = new Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      application_name: 'positions',
      options: `-c lock_timeout=${lockTimeout}`,
    });
    // An idle connection that drops (a restart of the server) is replaced by the next query; unhandled, it would end the process.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migrate(client, names);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw toStoreError(error, `open the event store in schema ${names.schema} of PostgreSQL at ${redactUrl(url)}`);
    }
    return new PostgresEventStore(pool, url, names, options);
  }

  private constructor(
    private readonly pool: Pool,
    private readonly url: string,
    names: SchemaNames,
    options: PostgresEventStoreOptions,
  ) {
    this.names = names;
    this.insert = insertSql(names);
    this.clock = options.clock ?? (() => new Date());
    this.notifications = new PostgresNotifications({
      config: { connectionString: url, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000, application_name: 'positions-listen' },
      channel: names.channel,
      onPosition: (position) => this.announce(position),
      poll: () => void this.lastPosition().then((position) => this.announce(position), () => undefined),
      pollMs: options.pollMs ?? 1000,
    });
  }

  private readonly clock: () => Date;

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedPosition, metadata: AppendMetadata): Promise<AppendResult> {
    this.assertOpen();
    const prepared = prepareEvents(events);
    try {
      const stored = await this.writing(`append to stream ${streamId}`, (client) => this.write(client, streamId, prepared, expected, metadata));
      const last = stored[stored.length - 1];
      return { streamPosition: last.streamPosition, position: last.position, recordedAt: last.recordedAt, events: stored };
    } catch (error) {
      throw await this.appendError(error, streamId, expected);
    }
  }

  async importEvents(events: readonly StoredEvent[]): Promise<{ lastPosition: number }> {
    this.assertOpen();
    const prepared = prepareImport(events);
    if (prepared.events.length === 0) return { lastPosition: await this.lastPosition() };
    try {
      const lastPosition = await this.writing('import events', (client) => this.writeImport(client, prepared));
      return { lastPosition };
    } catch (error) {
      throw this.constraintError(error) ?? error;
    }
  }

  async readStream(streamId: string, from = 0): Promise<StoredEvent[]> {
    const rows = await this.reading<EventRow>(`read stream ${streamId}`, `SELECT ${EVENT_COLUMNS} FROM ${this.names.events} WHERE stream_id = $1 AND stream_position >= $2 ORDER BY stream_position`, [streamId, from]);
    return rows.map(toStoredEvent);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    const query = toReadAllQuery(options);
    if (query.limit === 0 || query.types?.length === 0) {
      this.assertOpen();
      return [];
    }
    const { text, values } = readAllStatement(this.names, query);
    return (await this.reading<EventRow>('read the log', text, values)).map(toStoredEvent);
  }

  async findIdempotent(key: string): Promise<IdempotentAppend | null> {
    const [claim] = await this.reading<{ request_hash: string; stream_id: string; first_position: string; last_position: string }>(
      'read an idempotency key',
      `SELECT request_hash, stream_id, first_position, last_position FROM ${this.names.keys} WHERE key = $1`,
      [key],
    );
    if (!claim) return null;
    const rows = await this.reading<EventRow>(
      'read an idempotent append',
      `SELECT ${EVENT_COLUMNS} FROM ${this.names.events} WHERE stream_id = $1 AND position BETWEEN $2 AND $3 ORDER BY position`,
      [claim.stream_id, claim.first_position, claim.last_position],
    );
    return { key, requestHash: claim.request_hash, streamId: claim.stream_id, events: rows.map(toStoredEvent) };
  }

  async lastPosition(): Promise<number> {
    const [row] = await this.reading<{ last: string }>('read the last position', `SELECT COALESCE(MAX(position), 0) AS last FROM ${this.names.events}`, []);
    return Number(row.last);
  }

  /**
   * Called after each append of this instance (before the append resolves), and when another
   * instance's append is heard of (NOTIFY) or found (polling), at most once per new last position.
   */
  subscribe(listener: (lastPosition: number) => void): Unsubscribe {
    const unsubscribe = this.listeners.subscribe(listener);
    if (!this.closed) this.notifications.start();
    return unsubscribe;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.notifications.stop();
    await this.pool.end().catch(() => undefined);
  }

  /** The body of an append: runs with the append lock held. */
  private async write(client: PoolClient, streamId: string, events: PreparedEvent[], expected: ExpectedPosition, metadata: AppendMetadata): Promise<Written<StoredEvent[]>> {
    const claim = metadata.idempotency;
    const state = await client.query<{ last: number | null; last_at: string | null; claimed: boolean }>(
      `SELECT (SELECT MAX(stream_position) FROM ${this.names.events} WHERE stream_id = $1) AS last,
              (SELECT recorded_at FROM ${this.names.events} ORDER BY position DESC LIMIT 1) AS last_at,
              EXISTS (SELECT 1 FROM ${this.names.keys} WHERE key = $2) AS claimed`,
      [streamId, claim?.key ?? null],
    );
    const { last, last_at: lastAt, claimed } = state.rows[0];
    const actual = last ?? -1;
    checkExpected(streamId, expected, actual);
    if (claim && claimed) throw new IdempotencyKeyTaken(claim.key);
    const columns = appendColumns(streamId, events, actual + 1, nextRecordedAt(this.clock(), lastAt), metadata);
    const inserted = await client.query<{ position: string }>(this.insert, columns);
    const stored = inserted.rows.map((row, i) => insertedEvent(columns, i, Number(row.position)));
    // In the same transaction as the events: a key is claimed exactly when its events exist.
    if (claim) {
      await client.query(`INSERT INTO ${this.names.keys} (key, request_hash, stream_id, first_position, last_position) VALUES ($1, $2, $3, $4, $5)`, [
        claim.key,
        claim.requestHash,
        streamId,
        stored[0].position,
        stored[stored.length - 1].position,
      ]);
    }
    return { result: stored, lastPosition: stored[stored.length - 1].position };
  }

  /** The body of an import: every check against the store, then the rows in the given order. */
  private async writeImport(client: PoolClient, { events, firstPositions }: PreparedImport): Promise<Written<number>> {
    const streams = [...firstPositions.keys()];
    const found = await client.query<{ stream_id: string; last: number }>(
      `SELECT stream_id, MAX(stream_position) AS last FROM ${this.names.events} WHERE stream_id = ANY($1::text[]) GROUP BY stream_id`,
      [streams],
    );
    const lasts = new Map(found.rows.map((row) => [row.stream_id, row.last]));
    for (const [streamId, first] of firstPositions) checkExpected(streamId, first - 1, lasts.get(streamId) ?? -1);
    const lastAt = await client.query<{ recorded_at: string }>(`SELECT recorded_at FROM ${this.names.events} ORDER BY position DESC LIMIT 1`);
    checkImportRecordedAt(events[0], lastAt.rows[0]?.recorded_at ?? null);
    const inserted = await client.query<{ position: string }>(this.insert, importColumns(events));
    const lastPosition = Number(inserted.rows[inserted.rows.length - 1].position);
    return { result: lastPosition, lastPosition };
  }

  /**
   * The writes of this instance queue here and are committed in groups: those that arrived while
   * the previous group was committing share one transaction (one append lock, one fsync), each
   * in a savepoint of its own so that one refused write leaves the others. Waiting here rather
   * than for the lock also keeps the pool's connections free for reads. Each write's promise
   * settles only after its group committed, so a resolved append is durable.
   */
  private writing<T>(action: string, work: (client: PoolClient) => Promise<Written<T>>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ action, work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) await this.commitGroup(this.pending.splice(0));
    this.flushing = false;
  }

  /**
   * Runs a group in one transaction holding the record's append lock, then announces its last
   * position: NOTIFY (sent at commit, to other instances) and this instance's listeners.
   */
  private async commitGroup(group: PendingWrite[]): Promise<void> {
    const action = group.length === 1 ? group[0].action : `write a group of ${group.length}`;
    let client: PoolClient;
    try {
      client = await this.connection(action);
    } catch (error) {
      for (const write of group) write.reject(error);
      return;
    }
    let broken: Error | undefined;
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${this.names.appendLock})`);
      const outcomes = group.length === 1 ? [{ written: await group[0].work(client) }] : await this.inSavepoints(client, group);
      const last = Math.max(0, ...outcomes.map((o) => ('written' in o ? o.written.lastPosition : 0)));
      await client.query(last > 0 ? `SELECT pg_notify('${this.names.channel}', '${last}'); COMMIT` : 'COMMIT');
      this.announce(last);
      outcomes.forEach((outcome, i) => ('written' in outcome ? group[i].resolve(outcome.written.result) : group[i].reject(outcome.error)));
    } catch (error) {
      if (classifyPostgresError(error).kind === 'unavailable') broken = error as Error;
      else await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      for (const write of group) write.reject(toStoreError(error, `${write.action} in event store ${this.where()}`));
    } finally {
      // A connection that failed is dropped from the pool rather than handed to the next caller.
      client.release(broken);
    }
  }

  /** Each write of a group in a savepoint: a refused one is undone alone; an outage fails them all. */
  private async inSavepoints(client: PoolClient, group: PendingWrite[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const write of group) {
      await client.query('SAVEPOINT write');
      try {
        outcomes.push({ written: await write.work(client) });
        await client.query('RELEASE SAVEPOINT write');
      } catch (error) {
        if (classifyPostgresError(error).kind === 'unavailable') throw error;
        await client.query('ROLLBACK TO SAVEPOINT write');
        outcomes.push({ error });
      }
    }
    return outcomes;
  }

  private async connection(action: string): Promise<PoolClient> {
    this.assertOpen();
    try {
      return await this.pool.connect();
    } catch (error) {
      // Whatever the driver says, no connection means the store cannot be reached.
      const mapped = toStoreError(error, `${action} in event store ${this.where()}`);
      throw mapped instanceof StoreUnavailableError ? mapped : new StoreUnavailableError(`cannot ${action} in event store ${this.where()}: ${String(error)}`, error);
    }
  }

  private async reading<Row extends object>(action: string, text: string, values: unknown[]): Promise<Row[]> {
    this.assertOpen();
    try {
      return (await this.pool.query<Row>(text, values)).rows;
    } catch (error) {
      throw this.closed ? this.closedError() : toStoreError(error, `${action} in event store ${this.where()}`);
    }
  }

  private announce(position: number): void {
    if (this.closed || position <= this.announced) return;
    this.announced = position;
    this.listeners.notify(position);
  }

  private async appendError(error: unknown, streamId: string, expected: ExpectedPosition): Promise<unknown> {
    const failure = classifyPostgresError(error);
    // A writer that did not take the append lock (a manual insert) took the stream position: the conflict it is.
    if (failure.kind === 'unique' && failure.constraint === 'events_stream_position_key') {
      const last = await this.reading<{ last: number | null }>(`read stream ${streamId}`, `SELECT MAX(stream_position) AS last FROM ${this.names.events} WHERE stream_id = $1`, [streamId]);
      return new WrongExpectedPositionError(streamId, expected, last[0]?.last ?? -1);
    }
    if (failure.kind === 'unique' && failure.constraint === 'idempotency_keys_pkey') return new IdempotencyKeyTaken(keyValueOf(failure.detail));
    return this.constraintError(error) ?? error;
  }

  /** An event id already stored, refused by the table's UNIQUE constraint. */
  private constraintError(error: unknown): Error | null {
    const failure = classifyPostgresError(error);
    if (failure.kind === 'unique' && failure.constraint === 'events_event_id_key') return new DuplicateEventIdError(keyValueOf(failure.detail));
    return null;
  }

  private where(): string {
    return `${this.names.schema} at ${redactUrl(this.url)}`;
  }

  private closedError(): StoreUnavailableError {
    return new StoreUnavailableError(`event store ${this.where()} is closed`);
  }

  private assertOpen(): void {
    if (this.closed) throw this.closedError();
  }
}
