import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';

/** A schema name used unquoted in messages and quoted in SQL: lower-case letters, digits and `_`. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new RangeError(`a PostgreSQL schema name must be 1-63 lower-case letters, digits or _, not starting with a digit; got '${schema}'`);
  }
  return schema;
}

/** The SQL names of one record's tables, every one in the record's own schema. */
export interface SchemaNames {
  schema: string;
  events: string;
  keys: string;
  /** The LISTEN/NOTIFY channel on which appends announce their last position. */
  channel: string;
  /** The key of the transaction-level advisory lock that serialises this record's appends (docs/decisions). */
  appendLock: string;
}

export function schemaNames(schema: string): SchemaNames {
  const quoted = `"${checkSchemaName(schema)}"`;
  return { schema, events: `${quoted}.events`, keys: `${quoted}.idempotency_keys`, channel: `${schema}_appended`, appendLock: lockKey(`positions:append:${schema}`) };
}

/** A stable signed 64-bit key, as the SQL literal pg_advisory_xact_lock takes. */
function lockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * `position` is an identity column: a value is never handed out twice, and appends take it
 * with the append lock held, so positions are committed in increasing order (no reader sees
 * N+1 before N). recorded_at is the ISO-8601 text the port defines: it is compared as text,
 * and imports keep it byte for byte. data is `json`, not `jsonb`: checked, but kept as written
 * (jsonb refuses \u0000, and reorders keys).
 */
function schemaSql(names: SchemaNames): string {
  return `
    CREATE SCHEMA IF NOT EXISTS "${names.schema}";
    CREATE TABLE IF NOT EXISTS ${names.events} (
      position        bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id        text    NOT NULL,
      stream_id       text    NOT NULL,
      stream_position integer NOT NULL CHECK (stream_position >= 0),
      type            text    NOT NULL,
      schema_version  integer NOT NULL,
      data            json    NOT NULL,
      recorded_at     text    NOT NULL,
      recorded_by     text    NOT NULL,
      correlation_id  text    NOT NULL,
      causation_id    text,
      CONSTRAINT events_event_id_key UNIQUE (event_id),
      CONSTRAINT events_stream_position_key UNIQUE (stream_id, stream_position)
    );
    CREATE INDEX IF NOT EXISTS events_by_type ON ${names.events} (type, position);
    CREATE TABLE IF NOT EXISTS ${names.keys} (
      key             text    PRIMARY KEY,
      request_hash    text    NOT NULL,
      stream_id       text    NOT NULL,
      first_position  bigint  NOT NULL,
      last_position   bigint  NOT NULL
    );`;
}

/**
 * Creates the schema and its tables when missing. Under the schema's append lock, so that
 * instances starting together do not race on CREATE ... IF NOT EXISTS (which is not atomic).
 */
export async function migrate(client: PoolClient, names: SchemaNames): Promise<void> {
  await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${names.appendLock})`);
  try {
    await client.query(schemaSql(names));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
