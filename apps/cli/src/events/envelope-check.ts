import { parseStream, SCHEMA_VERSIONS } from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';

export interface Problem {
  field: string;
  problem: string;
}

const KEYS = ['eventId', 'type', 'schemaVersion', 'streamId', 'streamPosition', 'position', 'recordedAt', 'recordedBy', 'correlationId', 'causationId', 'data'] as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
/** What every store keeps as given; KurrentDB stores ids as UUIDs and would fail or change any other. */
const isUuid = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
/** recordedAt exactly as stores write it, so that it reads back byte for byte. */
const isInstant = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value) && new Date(value).toISOString() === value;

/**
 * Checks the lines of an exported log one after the other: each an envelope of a known event
 * type, with an unused eventId, the next position of its stream (the target store is empty),
 * and global position and recordedAt that never go back. The log's order is what `knownAt`
 * answers depend on, so a file that breaks it is refused rather than repaired.
 */
export class LogChecker {
  private lastPosition = 0;
  private lastRecordedAt = '';
  private readonly streams = new Map<string, number>();
  private readonly eventIds = new Set<string>();

  check(value: unknown): Problem[] {
    if (!isObject(value)) return [{ field: '(line)', problem: 'must be a JSON object: one event envelope' }];
    const problems = [...this.shape(value), ...this.order(value)];
    this.remember(value);
    return problems;
  }

  private shape(value: Record<string, unknown>): Problem[] {
    const problems: Problem[] = [];
    const problem = (field: string, text: string) => problems.push({ field, problem: text });
    for (const key of Object.keys(value)) if (!(KEYS as readonly string[]).includes(key)) problem(key, 'is not a field of an event envelope');
    for (const key of KEYS) if (!(key in value)) problem(key, 'is missing');
    const { eventId, type, schemaVersion, streamId, recordedBy, correlationId, causationId, data } = value;
    if ('eventId' in value && !isUuid(eventId)) problem('eventId', 'must be a UUID in lower case (8-4-4-4-12 hex digits)');
    const current = typeof type === 'string' ? SCHEMA_VERSIONS[type as keyof typeof SCHEMA_VERSIONS] : undefined;
    if ('type' in value && current === undefined) problem('type', `must be one of ${Object.keys(SCHEMA_VERSIONS).join(', ')}`);
    if (current !== undefined && !(Number.isInteger(schemaVersion) && (schemaVersion as number) >= 1 && (schemaVersion as number) <= current)) {
      problem('schemaVersion', `must be a whole number from 1 to ${current} for ${String(type)}`);
    }
    if ('streamId' in value && !(isText(streamId) && parseStream(streamId))) problem('streamId', 'must name an actor-, topic- or position- stream');
    if ('recordedBy' in value && !isText(recordedBy)) problem('recordedBy', 'must be a non-empty string');
    if ('correlationId' in value && typeof correlationId !== 'string') problem('correlationId', 'must be a string');
    if ('causationId' in value && causationId !== null && typeof causationId !== 'string') problem('causationId', 'must be a string or null');
    if ('data' in value && !isObject(data)) problem('data', 'must be a JSON object');
    return problems;
  }

  private order(value: Record<string, unknown>): Problem[] {
    const problems: Problem[] = [];
    const { eventId, streamId, streamPosition, position, recordedAt } = value;
    if (typeof eventId === 'string' && this.eventIds.has(eventId)) problems.push({ field: 'eventId', problem: `${eventId} appears on an earlier line` });
    const next = typeof streamId === 'string' ? (this.streams.get(streamId) ?? -1) + 1 : 0;
    if ('streamPosition' in value && streamPosition !== next) problems.push({ field: 'streamPosition', problem: `must be ${next}, the next position of ${String(streamId)}` });
    if ('position' in value && !(Number.isInteger(position) && (position as number) > this.lastPosition)) {
      problems.push({ field: 'position', problem: `must be a whole number above the previous line's ${this.lastPosition}` });
    }
    if (!isInstant(recordedAt)) {
      if ('recordedAt' in value) problems.push({ field: 'recordedAt', problem: 'must be an ISO-8601 UTC instant with milliseconds (2025-02-26T09:30:00.000Z)' });
    } else if (recordedAt < this.lastRecordedAt) {
      problems.push({ field: 'recordedAt', problem: `must not be earlier than the previous line's ${this.lastRecordedAt}` });
    }
    return problems;
  }

  /** Takes each line's claims as they are, so one bad line is reported once rather than cascading. */
  private remember({ eventId, streamId, streamPosition, position, recordedAt }: Record<string, unknown>): void {
    if (typeof eventId === 'string') this.eventIds.add(eventId);
    if (typeof streamId === 'string' && Number.isInteger(streamPosition)) this.streams.set(streamId, streamPosition as number);
    if (Number.isInteger(position)) this.lastPosition = Math.max(this.lastPosition, position as number);
    if (isInstant(recordedAt) && recordedAt > this.lastRecordedAt) this.lastRecordedAt = recordedAt;
  }
}

/** A line that passed the checks, typed. */
export const asStoredEvent = (value: unknown): StoredEvent => value as StoredEvent;
