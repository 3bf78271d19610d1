import { AppendMetadata, StoredEvent } from '../event-store.port';
import { PreparedEvent, ReadAllQuery } from '../store-rules';

/** One row of the `events` table, as better-sqlite3 returns it. */
export interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  stream_position: number;
  type: string;
  schema_version: number;
  data: string;
  recorded_at: string;
  recorded_by: string;
  correlation_id: string;
  causation_id: string | null;
}

export type NewEventRow = Omit<EventRow, 'position'>;

export const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_position, type, schema_version, data, recorded_at, recorded_by, correlation_id, causation_id';

export const INSERT_EVENT_SQL = `
  INSERT INTO events (event_id, stream_id, stream_position, type, schema_version, data, recorded_at, recorded_by, correlation_id, causation_id)
  VALUES (@event_id, @stream_id, @stream_position, @type, @schema_version, @data, @recorded_at, @recorded_by, @correlation_id, @causation_id)`;

export function toEventRow(
  event: PreparedEvent,
  at: { streamId: string; streamPosition: number; recordedAt: string },
  metadata: AppendMetadata,
): NewEventRow {
  return {
    event_id: event.eventId,
    stream_id: at.streamId,
    stream_position: at.streamPosition,
    type: event.type,
    schema_version: event.schemaVersion,
    data: event.dataJson,
    recorded_at: at.recordedAt,
    recorded_by: metadata.recordedBy,
    correlation_id: metadata.correlationId,
    causation_id: metadata.causationId,
  };
}

/** Not yet parsed (data may be any JSON value, null included). */
const UNPARSED: unique symbol = Symbol('unparsed');

/**
 * The stored event of a row just inserted, from what was written. Its data is parsed from the
 * JSON written when first read, then kept: most appends are followed for their positions only
 * (an import writes a million events and reads none of them back), and parsing every event back
 * took an import seconds of work and as much again in garbage collection.
 */
export function insertedEvent(row: NewEventRow, position: number): StoredEvent {
  let data: unknown = UNPARSED;
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamPosition: row.stream_position,
    position,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    get data(): unknown {
      if (data === UNPARSED) data = JSON.parse(row.data) as unknown;
      return data;
    },
    set data(value: unknown) {
      data = value;
    },
  };
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamPosition: row.stream_position,
    position: row.position,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    data: JSON.parse(row.data) as unknown,
  };
}

/**
 * The events of one command, which lie between `first` and `last` of the log: read by position (the rowid), since the
 * stream's index would read, and sort, every event of the stream for them.
 */
export const STREAM_RANGE_SQL = `SELECT ${EVENT_COLUMNS} FROM events WHERE +stream_id = ? AND position BETWEEN ? AND ? ORDER BY position`;

/** Which filters a readAll uses; each combination gets its own statement so SQLite can pick an index. */
export type ReadAllShape = 'all' | 'stream' | 'types' | 'stream+types';
export type ReadAllParams = Record<string, string | number>;

export function readAllShape(query: ReadAllQuery): ReadAllShape {
  if (query.streamId !== null) return query.types !== null ? 'stream+types' : 'stream';
  return query.types !== null ? 'types' : 'all';
}

export function readAllSql(shape: ReadAllShape): string {
  const where = ['position > @after'];
  if (shape.startsWith('stream')) where.push('stream_id = @streamId');
  // One statement for any number of types: the list is bound as a JSON array.
  if (shape.endsWith('types')) where.push('type IN (SELECT value FROM json_each(@types))');
  // Within a stream, positions rise with stream positions: the stream's own index gives its rows in order, where
  // ORDER BY position would sort the whole stream for every page.
  const order = shape.startsWith('stream') ? 'stream_position' : 'position';
  return `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT @limit`;
}

/** Named parameters for `readAllSql(readAllShape(query))`: exactly the ones it uses. */
export function readAllParams(query: ReadAllQuery): ReadAllParams {
  const params: ReadAllParams = { after: query.after, limit: query.limit ?? -1 };
  if (query.streamId !== null) params.streamId = query.streamId;
  if (query.types !== null) params.types = JSON.stringify(query.types);
  return params;
}
