/**
 * How the port's envelope is stored in KurrentDB events and read back.
 *
 * The event's `id`, `type` and JSON `data` are KurrentDB's own fields; the rest of the
 * envelope goes in the event's JSON metadata, together with `$correlationId` and
 * `$causationId`, the names KurrentDB's own projections ($bc-, causation links) look for.
 */
import type { EventData, Filter, JSONType, RecordedEvent } from '@kurrent/kurrentdb-client';
import { eventTypeFilter, excludeSystemEvents, streamNameFilter } from '@kurrent/kurrentdb-client';
import { AppendMetadata, StoredEvent } from '../event-store.port';
import { PreparedEvent } from '../store-rules';
import { toPortPosition } from './kurrentdb-positions';

/** Stream names starting with this (after the namespace) hold idempotency claims, not domain events. */
export const CLAIM_STREAM_PREFIX = 'idempotency-';

export interface EnvelopeMetadata {
  recordedAt: string;
  recordedBy: string;
  correlationId: string;
  causationId: string | null;
  schemaVersion: number;
  $correlationId: string;
  $causationId?: string;
}

export function toEventData(event: PreparedEvent, metadata: AppendMetadata, recordedAt: string): EventData {
  const envelope: EnvelopeMetadata = {
    recordedAt,
    recordedBy: metadata.recordedBy,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    schemaVersion: event.schemaVersion,
    $correlationId: metadata.correlationId,
    ...(metadata.causationId === null ? {} : { $causationId: metadata.causationId }),
  };
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    // The client serialises `data` itself; parsing the prepared JSON back keeps exactly
    // what every adapter stores (Dates as strings, undefined fields dropped).
    data: JSON.parse(event.dataJson) as JSONType,
    metadata: { ...envelope },
  };
}

/**
 * The stored envelope of a recorded event of this store's `namespace`. Events written by
 * other tools lack parts of the metadata: those fields fall back to what KurrentDB knows
 * (`created` for recordedAt) or to neutral values, so one foreign event cannot stop a reader.
 */
export function toStoredEvent(recorded: RecordedEvent, namespace: string): StoredEvent {
  if (recorded.position === undefined) {
    throw new Error(`event ${recorded.id} came without a log position: the server must be EventStoreDB 22.6 or later`);
  }
  const meta = asRecord(recorded.metadata);
  return {
    eventId: recorded.id,
    type: recorded.type,
    schemaVersion: positiveInteger(meta.schemaVersion) ?? 1,
    streamId: recorded.streamId.slice(namespace.length),
    streamPosition: Number(recorded.revision),
    position: toPortPosition(recorded.position),
    recordedAt: isoTimestamp(meta.recordedAt) ?? recorded.created.toISOString(),
    recordedBy: stringOr(meta.recordedBy, 'unknown'),
    correlationId: stringOr(meta.correlationId, stringOr(meta.$correlationId, '')),
    causationId: meta.causationId === null ? null : stringOr(meta.causationId, stringOr(meta.$causationId, null)),
    data: recorded.isJson ? (recorded.data as unknown) : Buffer.from(recorded.data as Uint8Array).toString('utf8'),
  };
}

/**
 * Whether a recorded event is one of this store's domain events: not a system event
 * (`$`-prefixed type or stream: links, metadata, stats), inside the namespace, and not an
 * idempotency claim.
 */
export function isDomainEvent(recorded: Pick<RecordedEvent, 'type' | 'streamId'>, namespace: string): boolean {
  const { type, streamId } = recorded;
  if (type.startsWith('$') || streamId.startsWith('$')) return false;
  if (!streamId.startsWith(namespace)) return false;
  return !streamId.startsWith(namespace + CLAIM_STREAM_PREFIX);
}

/**
 * The server-side filter for reading or following $all: the narrowest single filter the
 * server accepts (it takes one, on stream names or on event types). `isDomainEvent` and
 * the type check still run on what comes back.
 */
export function logFilter(namespace: string, types: readonly string[] | null = null): Filter {
  if (namespace !== '') return streamNameFilter({ prefixes: [namespace] });
  if (types !== null && types.length > 0) return eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$` });
  return excludeSystemEvents();
}

/**
 * A literal for the server's .NET regular expressions: every ASCII character other than a
 * letter, digit or underscore as `\uXXXX`, which .NET reads as that character and never
 * as syntax. Other characters have no special meaning there.
 */
export function escapeRegex(literal: string): string {
  const code = (char: string) => char.charCodeAt(0);
  const literalChar = (char: string) => /^\w$/.test(char) || code(char) > 0x7f;
  return Array.from(literal, (char) => (literalChar(char) ? char : `\\u${code(char).toString(16).toUpperCase().padStart(4, '0')}`)).join('');
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) ? (value as Record<string, unknown>) : {};
}

function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isoTimestamp(value: unknown): string | undefined {
  return typeof value === 'string' && ISO_UTC_MS.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined;
}
