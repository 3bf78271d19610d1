import { AppendMetadata, StoredEvent } from '../event-store.port';
import { ImportedEvent, PreparedEvent, ReadAllQuery } from '../store-rules';
import { SchemaNames } from './postgres-schema';

/** One row of the `events` table as node-postgres returns it: bigint as text, json parsed. */
export interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_position: number;
  type: string;
  schema_version: number;
  data: unknown;
  recorded_at: string;
  recorded_by: string;
  correlation_id: string;
  causation_id: string | null;
}

export const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_position, type, schema_version, data, recorded_at, recorded_by, correlation_id, causation_id';

/** Rows to insert, one array per column: a batch of any size is one statement (unnest), in order. */
export type ColumnArrays = [string[], string[], number[], string[], number[], string[], string[], string[], string[], (string | null)[]];

/**
 * Inserts in the order of the arrays (ORDER BY the ordinality), so identity values, taken row
 * by row, increase in that order; answers each row's position in the same order.
 */
export function insertSql(names: SchemaNames): string {
  return `
    INSERT INTO ${names.events} (event_id, stream_id, stream_position, type, schema_version, data, recorded_at, recorded_by, correlation_id, causation_id)
    SELECT e, s, sp, t, v, d::json, r, rb, c, ca
      FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           WITH ORDINALITY AS x(e, s, sp, t, v, d, r, rb, c, ca, n)
     ORDER BY n
    RETURNING position`;
}

export function appendColumns(
  streamId: string,
  events: readonly PreparedEvent[],
  first: number,
  recordedAt: string,
  metadata: AppendMetadata,
): ColumnArrays {
  return importColumns(
    events.map((event, i) => ({
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      dataJson: event.dataJson,
      streamId,
      streamPosition: first + i,
      recordedAt,
      recordedBy: metadata.recordedBy,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
    })),
  );
}

export function importColumns(events: readonly ImportedEvent[]): ColumnArrays {
  return [
    events.map((e) => e.eventId),
    events.map((e) => e.streamId),
    events.map((e) => e.streamPosition),
    events.map((e) => e.type),
    events.map((e) => e.schemaVersion),
    events.map((e) => e.dataJson),
    events.map((e) => e.recordedAt),
    events.map((e) => e.recordedBy),
    events.map((e) => e.correlationId),
    events.map((e) => e.causationId),
  ];
}

/** The stored event of an inserted row, built from what was written rather than read back. */
export function insertedEvent(columns: ColumnArrays, i: number, position: number): StoredEvent {
  const [ids, streams, streamPositions, types, versions, data, recordedAt, recordedBy, correlation, causation] = columns;
  return {
    eventId: ids[i],
    type: types[i],
    schemaVersion: versions[i],
    streamId: streams[i],
    streamPosition: streamPositions[i],
    position,
    recordedAt: recordedAt[i],
    recordedBy: recordedBy[i],
    correlationId: correlation[i],
    causationId: causation[i],
    data: JSON.parse(data[i]) as unknown,
  };
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamPosition: row.stream_position,
    position: Number(row.position),
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    data: row.data,
  };
}

/** The SELECT of `readAll` for a query, with its parameters: only the filters given. */
export function readAllStatement(names: SchemaNames, query: ReadAllQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [query.after];
  const where = ['position > $1'];
  if (query.streamId !== null) where.push(`stream_id = $${values.push(query.streamId)}`);
  if (query.types !== null) where.push(`type = ANY($${values.push(query.types)}::text[])`);
  const limit = query.limit === null ? '' : ` LIMIT $${values.push(query.limit)}`;
  // Within a stream, positions rise with stream positions: the stream's unique index gives its rows in order.
  const order = query.streamId !== null ? 'stream_position' : 'position';
  return { text: `SELECT ${EVENT_COLUMNS} FROM ${names.events} WHERE ${where.join(' AND ')} ORDER BY ${order}${limit}`, values };
}
