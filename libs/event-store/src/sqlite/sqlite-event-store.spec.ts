import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../event-store.contract';
import { EventStore, NewEvent, StoreUnavailableError, WrongExpectedPositionError } from '../event-store.port';
import { DuplicateEventIdError } from '../store-rules';
import { SqliteEventStore, SqliteEventStoreOptions } from './sqlite-event-store';

function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-event-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeEventStoreContract(
  'sqlite',
  async (clock) => {
    const { dir, remove } = tempDir();
    const file = join(dir, 'nested', 'events.db');
    const opened: EventStore[] = [SqliteEventStore.open(file, { clock })];
    return {
      store: opened[0],
      reopen: async () => {
        opened.push(SqliteEventStore.open(file, { clock }));
        return opened[opened.length - 1];
      },
      cleanup: async () => {
        for (const store of opened) await store.close();
        remove();
      },
    };
  },
  { durable: true },
);

describe('SqliteEventStore', () => {
  const meta = { recordedBy: 'recorder:test', correlationId: 'corr', causationId: null };
  const event = (type: string, data: unknown = {}, eventId?: string): NewEvent => ({ type, schemaVersion: 1, data, eventId });
  let dir: string;
  let remove: () => void;
  let file: string;
  const stores: EventStore[] = [];
  const connections: Database.Database[] = [];
  const open = (options?: SqliteEventStoreOptions) => {
    const store = SqliteEventStore.open(file, options);
    stores.push(store);
    return store;
  };
  const connect = (options?: Database.Options) => {
    const db = new Database(file, options);
    connections.push(db);
    return db;
  };

  beforeEach(() => {
    ({ dir, remove } = tempDir());
    file = join(dir, 'events.db');
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const db of connections.splice(0)) if (db.open) db.close();
    remove();
  });

  it('round-trips unicode and awkward JSON in data', async () => {
    const data = {
      quote: 'Мы не отступим — 我们不会退缩 — لن نتراجع 🇺🇦👍🏽',
      combining: 'e\u0301',
      escapes: 'tab\tnewline\n"quoted" \\ nul\u0000',
      loneSurrogate: '\ud800',
      nested: [{ 'ключ': 'значение' }, 1e21, -0.5, true, null],
    };
    const store = open();
    await store.append('s', [event('Stated', data)], -1, meta);
    await store.close();
    expect((await open().readStream('s'))[0].data).toEqual(data);
  });

  it('has notified listeners by the time the append resolves, but not during the append call', async () => {
    const store = open();
    const seen: number[] = [];
    store.subscribe((position) => seen.push(position));
    const appending = store.append('s', [event('A')], -1, meta);
    expect(seen).toEqual([]);
    await appending;
    expect(seen).toEqual([1]);
  });

  it('opens an in-memory database with :memory:', async () => {
    const store = SqliteEventStore.open(':memory:');
    stores.push(store);
    await store.append('s', [event('A')], -1, meta);
    expect(await store.lastPosition()).toBe(1);
  });

  it('rejects an eventId already stored, writing none of the batch', async () => {
    const store = open();
    const eventId = '6f1d7d0e-3b9a-4c55-8a1e-0c2b7f4e9d21';
    await store.append('a', [event('A', {}, eventId)], -1, meta);
    await expect(store.append('b', [event('B'), event('C', {}, eventId)], -1, meta)).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream('b')).toEqual([]);
    expect(await store.lastPosition()).toBe(1);
  });

  describe('when the store cannot be written', () => {
    it('reports a read-only database as StoreUnavailableError, writes nothing, and still reads', async () => {
      const writer = open();
      await writer.append('s', [event('A')], -1, meta);
      await writer.close();

      const reader = open({ readonly: true });
      const error = await reader.append('s', [event('B')], 0, meta).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/append to stream s .*read-only \(SQLITE_READONLY/);
      expect((await reader.readStream('s')).map((e) => e.type)).toEqual(['A']);
      expect(connect().prepare('SELECT COUNT(*) FROM events').pluck().get()).toBe(1);
    });

    it('reports a write lock held past the busy timeout as StoreUnavailableError; readers are not blocked', async () => {
      const store = open({ busyTimeoutMs: 20 });
      await store.append('s', [event('A')], -1, meta);
      const otherProcess = connect();
      otherProcess.exec('BEGIN IMMEDIATE');

      await expect(store.append('s', [event('B')], 0, meta)).rejects.toThrow(StoreUnavailableError);
      expect(await store.readStream('s')).toHaveLength(1);

      otherProcess.exec('ROLLBACK');
      await expect(store.append('s', [event('B')], 0, meta)).resolves.toMatchObject({ streamPosition: 1 });
    });
  });

  describe('with another connection on the same file (e.g. a CLI)', () => {
    it('sees its appends, checks expected positions against them, and keeps recordedAt from going back', async () => {
      const api = open({ clock: () => new Date('2025-03-01T12:00:00.000Z') });
      const cli = open({ clock: () => new Date('2025-03-01T11:00:00.000Z') });
      const first = await api.append('s', [event('A')], -1, meta);

      expect(await cli.readStream('s')).toEqual(first.events);
      await expect(cli.append('s', [event('B')], -1, meta)).rejects.toMatchObject({ actual: 0 });
      const second = await cli.append('s', [event('B')], 0, meta);
      expect(second.position).toBeGreaterThan(first.position);
      expect(second.recordedAt).toBe('2025-03-01T12:00:00.001Z');
      expect(await api.readAll()).toEqual([...first.events, ...second.events]);
    });

    it('reports a stream position taken behind its back (UNIQUE violation) as a conflict', async () => {
      const store = open();
      await store.append('s', [event('A')], -1, meta);
      // A trigger stands in for a writer that skips the expected-position check: it fills
      // the position the store is about to use, so the store's own insert hits UNIQUE.
      connect().exec(`
        CREATE TRIGGER sneak BEFORE INSERT ON events WHEN NEW.event_id <> 'sneaky' BEGIN
          INSERT INTO events (event_id, stream_id, stream_position, type, schema_version, data, recorded_at, recorded_by, correlation_id)
          VALUES ('sneaky', NEW.stream_id, NEW.stream_position, 'Sneaky', 1, '{}', NEW.recorded_at, 'other', 'other');
        END`);
      const reopened = open();

      const error = await reopened.append('s', [event('B')], 0, meta).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedPositionError);
      expect(error).toMatchObject({ streamId: 's', expected: 0, actual: 0 });
      expect((await reopened.readStream('s')).map((e) => e.type)).toEqual(['A']);
    });
  });
});
