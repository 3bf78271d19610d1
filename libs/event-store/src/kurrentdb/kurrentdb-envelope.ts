/**
 * How the port's envelope is stored in KurrentDB events and read back.
 *
 * The event's `id`, `type` and JSON `data` are KurrentDB's own fields; the rest of the
 * envelope goes in the event's JSON metadata, together with `$correlationId` and
 * `$causationId`, the names KurrentDB's own projections ($bc-, causation links) look for.
 */
import type { EventData, Filter, JSONType, RecordedEvent } from '@kurrent/kurrentdb-client';
import { eventTypeFilter, streamNameFilter } from '@kurrent/kurrentdb-client';
import { AppendMetadata, StoredEvent } from '../event-store.port';
import { PreparedEvent } from '../store-rules';
import { toPortPosition } from './kurrentdb-positions';

/** Stream names starting with this (after the namespace) hold idempotency claims, not domain events. */
export const CLAIM_STREAM_PREFIX = 'idempotency-';

/** The types of the claim events (kurrentdb-idempotency.ts): never domain events, whatever their stream. */
const CLAIM_EVENT_TYPES = new Set(['IdempotencyKeyClaimed', 'IdempotencyKeyReleased']);

/**
 * Between a namespace and a stream id: `<namespace>:<streamId>`. Stream ids (slugs and dots) and
 * namespaces cannot hold it, so a namespace's streams are exactly the names before the first
 * one, and the store without a namespace owns the names without one.
 */
export const NAMESPACE_SEPARATOR = ':';

const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Throws unless `namespace` is '' (none) or letters, digits, `_`, `.` and `-`, not starting with a sign. */
export function assertNamespace(namespace: string): void {
  if (namespace !== '' && !NAMESPACE.test(namespace)) {
    throw new RangeError(`a namespace is letters, digits, '_', '.' and '-', starting with a letter or digit; got ${JSON.stringify(namespace)}`);
  }
}

/** The KurrentDB stream name of this store's `streamId`. */
export function streamNameOf(namespace: string, streamId: string): string {
  return namespace === '' ? streamId : `${namespace}${NAMESPACE_SEPARATOR}${streamId}`;
}

/** The stream id of `streamName` in `namespace`; null when the stream belongs to no or another namespace. */
export function streamIdOf(namespace: string, streamName: string): string | null {
  const separator = streamName.indexOf(NAMESPACE_SEPARATOR);
  if (namespace === '') return separator === -1 ? streamName : null;
  return separator === namespace.length && streamName.startsWith(namespace) ? streamName.slice(separator + 1) : null;
}

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
    streamId: streamIdOf(namespace, recorded.streamId) ?? recorded.streamId,
    streamPosition: Number(recorded.revision),
    position: toPortPosition(recorded.position),
    recordedAt: isoTimestamp(meta.recordedAt) ?? serverTime(recorded.created),
    recordedBy: stringOr(meta.recordedBy, 'unknown'),
    correlationId: stringOr(meta.correlationId, stringOr(meta.$correlationId, '')),
    causationId: meta.causationId === null ? null : stringOr(meta.causationId, stringOr(meta.$causationId, null)),
    data: recorded.isJson ? (recorded.data as unknown) : Buffer.from(recorded.data as Uint8Array).toString('utf8'),
  };
}

/**
 * Whether a recorded event is one of this store's domain events: not a system event
 * (`$`-prefixed type or stream: links, metadata, stats), in this namespace's streams (the
 * store without a namespace: in none), and not an idempotency claim (by stream or by type).
 */
export function isDomainEvent(recorded: Pick<RecordedEvent, 'type' | 'streamId'>, namespace: string): boolean {
  const { type, streamId: streamName } = recorded;
  if (type.startsWith('$') || streamName.startsWith('$') || CLAIM_EVENT_TYPES.has(type)) return false;
  const streamId = streamIdOf(namespace, streamName);
  return streamId !== null && streamId !== '' && !streamId.startsWith(CLAIM_STREAM_PREFIX);
}

/**
 * The server-side filter of this store's domain streams, exact: the server returns nothing
 * `isDomainEvent` drops by stream name, so a read with `maxCount` ends at the first matches.
 */
export function logFilter(namespace: string): Filter {
  const separator = escapeRegex(NAMESPACE_SEPARATOR);
  const claims = escapeRegex(CLAIM_STREAM_PREFIX);
  if (namespace === '') return streamNameFilter({ regex: `^(?!\\$|${claims})[^${separator}]+$` });
  return streamNameFilter({ regex: `^${escapeRegex(namespace)}${separator}(?!${claims}).` });
}

/**
 * The server-side filter of a read of events of `types`: on types, exact for the store without
 * a namespace but for other namespaces' events of those types, which `isDomainEvent` drops. A
 * namespaced store filters on its streams (the server takes one filter) and drops other types.
 */
export function typesFilter(namespace: string, types: readonly string[]): Filter {
  if (namespace !== '') return logFilter(namespace);
  return eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$` });
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

/**
 * `created` as a recordedAt: the client's reads give it in whole seconds, its subscriptions in
 * milliseconds, so both become the last millisecond of that second. That is never before the
 * event was written, and the same on every path.
 */
function serverTime(created: Date): string {
  return new Date(Math.floor(created.getTime() / 1000) * 1000 + 999).toISOString();
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
