/**
 * The SQLite store's group commit as bulk writers use it (the CLI's import): many appends issued
 * in one turn, some refused, an import of copied events among them.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NewEvent, StoredEvent, StoreUnavailableError, WrongExpectedPositionError } from '../event-store.port';
import { DuplicateEventIdError } from '../store-rules';
import { SqliteEventStore } from './sqlite-event-store';

const meta = { recordedBy: 'recorder:test', correlationId: 'corr', causationId: null };
const event = (type: string, eventId?: string): NewEvent => ({ type, schemaVersion: 1, data: { type }, ...(eventId && { eventId }) });
const id = (n: number) => `0b5f1c2e-8a4d-4f7e-9c3b-${String(n).padStart(12, '0')}`;

describe('SqliteEventStore group commit', () => {
  let dir: string;
  let store: SqliteEventStore;
  const now = new Date('2025-03-01T12:00:00.000Z');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-group-'));
    store = SqliteEventStore.open(join(dir, 'events.db'), { clock: () => now, cacheKiB: 4096, walAutocheckpointPages: 2000 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the appends of one turn in one transaction, in call order, refusing only the ones that fail', async () => {
    await store.append('taken', [event('T', id(1))], -1, meta);
    const seen: number[] = [];
    store.subscribe((position) => seen.push(position));
    const outcomes = await Promise.allSettled([
      store.append('a', [event('A1')], -1, meta),
      store.append('b', [event('B1')], 0, meta), // b does not exist: refused
      store.append('c', [event('C1', id(1))], -1, meta), // one event, id taken: refused by the table
      store.append('d', [event('D1'), event('D2', id(1))], -1, meta), // the second id taken: none of d
      store.append('e', [event('E1'), event('E2')], -1, meta),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    const reasons = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(reasons[0]).toBeInstanceOf(WrongExpectedPositionError);
    expect(reasons[1]).toEqual(new DuplicateEventIdError(id(1)));
    expect(reasons[2]).toEqual(new DuplicateEventIdError(id(1)));
    const log = await store.readAll({ after: 1 });
    expect(log.map((e) => [e.streamId, e.type])).toEqual([['a', 'A1'], ['e', 'E1'], ['e', 'E2']]);
    expect(log.map((e) => e.position)).toEqual([2, 3, 4]);
    expect(seen).toEqual([4]);
  });

  it('takes into the group the appends that keep arriving on the next turns, and commits a lone append at once', async () => {
    const seen: number[] = [];
    store.subscribe((position) => seen.push(position));
    // Each turn of the loop runs after the store looked at its queue on that turn (setImmediate is first in, first out).
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const appends = [store.append('a', [event('A1')], -1, meta), store.append('b', [event('B1')], -1, meta)];
    await nextTurn();
    appends.push(store.append('c', [event('C1')], -1, meta));
    await nextTurn();
    appends.push(store.append('d', [event('D1')], -1, meta));
    expect((await Promise.all(appends)).map((w) => w.position)).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([4]);
    await expect(store.append('e', [event('E1')], -1, meta)).resolves.toMatchObject({ position: 5 });
    expect(seen).toEqual([4, 5]);
  });

  it('takes an import of copied events into the group in its place, after the appends called before it', async () => {
    const copied = (n: number, streamId: string, streamPosition: number): StoredEvent => ({
      eventId: id(100 + n),
      type: `I${n}`,
      schemaVersion: 1,
      streamId,
      streamPosition,
      position: 0,
      recordedAt: '2025-03-01T12:00:00.000Z',
      recordedBy: 'recorder:old',
      correlationId: `corr-${n}`,
      causationId: null,
      data: { n },
    });
    const [first, imported, after] = await Promise.all([
      store.append('a', [event('A1')], -1, meta),
      store.importEvents([copied(0, 'x', 0), copied(1, 'a', 1)]),
      store.append('a', [event('A3')], 1, meta),
    ]);
    expect(first.position).toBe(1);
    expect(imported).toEqual({ lastPosition: 3 });
    expect(after).toMatchObject({ streamPosition: 2, position: 4 });
    expect((await store.readStream('a')).map((e) => [e.type, e.recordedBy])).toEqual([['A1', 'recorder:test'], ['I1', 'recorder:old'], ['A3', 'recorder:test']]);
  });

  it('refuses an import whose event id is in the store, leaving the rest of the group', async () => {
    await store.append('taken', [event('T', id(1))], -1, meta);
    const copied: StoredEvent = { ...(await store.readStream('taken'))[0], streamId: 'x', streamPosition: 0 };
    const [imported, appended] = await Promise.allSettled([store.importEvents([copied]), store.append('a', [event('A1')], -1, meta)]);
    expect(imported).toMatchObject({ status: 'rejected', reason: new DuplicateEventIdError(id(1)) });
    expect(appended.status).toBe('fulfilled');
    expect((await store.readAll()).map((e) => e.streamId)).toEqual(['taken', 'a']);
  });

  describe('while another process holds the write lock (a CLI import between its batches)', () => {
    let other: Database.Database;
    beforeEach(() => {
      other = new Database(join(dir, 'events.db'));
      other.exec('BEGIN IMMEDIATE');
    });
    afterEach(() => {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    });

    it('given appends, then timers run while they wait, those arriving meanwhile join the group, and all land in one commit once the lock is free', async () => {
      const seen: number[] = [];
      store.subscribe((position) => seen.push(position));
      let landed = 0;
      const first = store.append('a', [event('A1')], -1, meta).then(() => landed++);
      const ticks: number[] = [];
      for (let i = 0; i < 3; i++) {
        await sleep(10);
        ticks.push(i);
      }
      const second = store.append('b', [event('B1')], -1, meta).then(() => landed++);
      await sleep(10);
      expect(ticks).toEqual([0, 1, 2]);
      expect(landed).toBe(0);

      other.exec('COMMIT');
      await Promise.all([first, second]);
      expect((await store.readAll()).map((e) => [e.streamId, e.position])).toEqual([['a', 1], ['b', 2]]);
      expect(seen).toEqual([2]);
    });

    it('given the lock is held past the busy timeout, then the appends fail as the store being unavailable and nothing is written', async () => {
      const impatient = SqliteEventStore.open(join(dir, 'events.db'), { busyTimeoutMs: 50 });
      try {
        const appends = await Promise.allSettled([impatient.append('a', [event('A1')], -1, meta), impatient.append('b', [event('B1')], -1, meta)]);
        expect(appends.map((a) => a.status)).toEqual(['rejected', 'rejected']);
        for (const append of appends) {
          expect((append as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
          expect((append as PromiseRejectedResult).reason.message).toContain('another connection holds the database lock');
        }
        other.exec('COMMIT');
        expect(await impatient.readAll()).toEqual([]);
        await expect(impatient.append('c', [event('C1')], -1, meta)).resolves.toMatchObject({ position: 1 });
      } finally {
        await impatient.close();
      }
    });
  });
});
