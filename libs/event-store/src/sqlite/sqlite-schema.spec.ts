import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../event-store.port';
import { readAllSql, STREAM_RANGE_SQL } from './sqlite-rows';
import { openDatabase } from './sqlite-schema';

describe('openDatabase', () => {
  let dir: string;
  const opened: Database.Database[] = [];
  const track = (db: Database.Database) => {
    opened.push(db);
    return db;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-schema-'));
  });
  afterEach(() => {
    for (const db of opened.splice(0)) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets WAL, synchronous FULL, foreign keys and a busy timeout on the connection', () => {
    const db = track(openDatabase(join(dir, 'events.db'), { busyTimeoutMs: 1234 }));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
  });

  it('leaves the file in WAL mode for other connections too', () => {
    const file = join(dir, 'events.db');
    openDatabase(file).close();
    const other = track(new Database(file));
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('creates missing parent folders and the schema, and opens an existing file again', () => {
    const file = join(dir, 'a', 'b', 'events.db');
    const db = track(openDatabase(file));
    db.prepare("INSERT INTO events (event_id, stream_id, stream_position, type, schema_version, data, recorded_at, recorded_by, correlation_id) VALUES ('e', 's', 0, 'T', 1, '{}', 'now', 'me', 'c')").run();
    db.close();
    expect(track(openDatabase(file)).prepare('SELECT COUNT(*) FROM events').pluck().get()).toBe(1);
  });

  it('refuses rows the schema forbids: data that is not JSON, a wrong type', () => {
    const db = track(openDatabase(':memory:'));
    const insert = db.prepare(
      "INSERT INTO events (event_id, stream_id, stream_position, type, schema_version, data, recorded_at, recorded_by, correlation_id) VALUES (?, 's', ?, 'T', ?, ?, 'now', 'me', 'c')",
    );
    expect(() => insert.run('e1', 0, 1, 'not json')).toThrow(/CHECK constraint failed/);
    expect(() => insert.run('e2', 0, 'one', '{}')).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('reads by type through the type index', () => {
    const db = track(openDatabase(':memory:'));
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${readAllSql('types')}`).all({ after: 0, limit: -1, types: '["A"]' }) as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toContain('USING INDEX events_by_type');
  });

  it('reads a page of one stream through the stream index, sorting none of the stream', () => {
    const db = track(openDatabase(':memory:'));
    for (const shape of ['stream', 'stream+types'] as const) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${readAllSql(shape)}`).all({ after: 0, limit: -1, streamId: 's', types: '["A"]' }) as { detail: string }[];
      const steps = plan.map((step) => step.detail).join('\n');
      expect(steps).toMatch(/USING INDEX \S+ \(stream_id=\?\)/);
      // A sort reads the whole stream for every page: 31 ms a page of a 141,000-event stream.
      expect(steps).not.toContain('TEMP B-TREE');
    }
  });

  it('reads the events of one command (a replayed idempotent request) by their positions, not through the whole stream', () => {
    const db = track(openDatabase(':memory:'));
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${STREAM_RANGE_SQL}`).all('s', 1, 2) as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toMatch(/USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
  });

  it('reports a file that is not a database as StoreUnavailableError', () => {
    const file = join(dir, 'junk.db');
    writeFileSync(file, 'these are not the bytes you are looking for '.repeat(100));
    expect(() => openDatabase(file)).toThrow(StoreUnavailableError);
    expect(() => openDatabase(file)).toThrow(/not a SQLite database/);
  });

  it('reports a folder that cannot be created as StoreUnavailableError', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    expect(() => openDatabase(join(blocker, 'events.db'))).toThrow(StoreUnavailableError);
    expect(() => openDatabase(join(blocker, 'events.db'))).toThrow(/cannot create the folder/);
  });

  it('reports a read-only open of a missing file as StoreUnavailableError', () => {
    expect(() => openDatabase(join(dir, 'missing.db'), { readonly: true })).toThrow(StoreUnavailableError);
  });
});
