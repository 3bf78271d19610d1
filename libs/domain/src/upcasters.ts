import { type DomainEvent, SCHEMA_VERSIONS } from './schema-versions';

/** An event as the log keeps it: what `toDomainEvent` needs, whichever store gave it back. */
export interface StoredShape {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** Turns the data of one schema version of an event type into the data of the next version. */
export type Upcaster = (data: unknown) => unknown;

/** By event type, then by the version an upcaster reads: `{ PositionStated: { 1: v1ToV2 } }`. */
export type Upcasters = Readonly<Partial<Record<DomainEvent['type'], Readonly<Record<number, Upcaster>>>>>;

/**
 * Every upcaster the service knows. Empty: every event type is still at its first schema
 * version. A new shape of an event bumps its number in `SCHEMA_VERSIONS` and adds here the
 * function from the old data to the new, so events written before keep being read.
 */
export const UPCASTERS: Upcasters = {};

/**
 * A stored event as the domain event it is today: the one place the log's JSON becomes a
 * domain event, by way of the upcasters from the version it was written with to the current one.
 */
export function toDomainEvent<E extends DomainEvent = DomainEvent>(stored: StoredShape, upcasters: Upcasters = UPCASTERS, versions = SCHEMA_VERSIONS): E {
  const type = stored.type as DomainEvent['type'];
  const current = Object.hasOwn(versions, type) ? versions[type] : undefined;
  if (current === undefined) throw new Error(`event type '${stored.type}' is not a domain event`);
  if (stored.schemaVersion > current) throw new Error(`${type} version ${stored.schemaVersion} is newer than this code reads (${current})`);
  let data = stored.data;
  for (let version = stored.schemaVersion; version < current; version++) {
    const upcast = upcasters[type]?.[version];
    if (!upcast) throw new Error(`no upcaster reads ${type} version ${version}`);
    data = upcast(data);
  }
  return { type, data } as E;
}
