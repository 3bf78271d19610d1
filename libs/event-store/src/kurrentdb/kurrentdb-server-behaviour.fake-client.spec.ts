/**
 * What a real KurrentDB server and client do that the adapter must survive, on the fake client
 * that copies them (see testing/fake-kurrentdb-client.ts): reads that cannot be cancelled,
 * filtered reads the server searches, positions it refuses, answers lost after a commit,
 * refusals from a follower, namespaces sharing one database, the append size limit. Nothing
 * here ran against a server.
 */
import { AccessDeniedError, UnavailableError } from '@kurrent/kurrentdb-client';
import {
  AppendOutcomeUnknownError,
  IdempotencyKeyTaken,
  InvalidPositionError,
  NewEvent,
  StoreUnavailableError,
  StoredEvent,
} from '../event-store.port';
import { fakeClientStores } from './testing/fake-client-stores';

const META = { recordedBy: 'recorder:test', correlationId: 'corr', causationId: null };
const event = (type: string, data: unknown = {}, eventId?: string): NewEvent => ({ type, schemaVersion: 1, data, ...(eventId ? { eventId } : {}) });
const keyed = (key: string) => ({ ...META, idempotency: { key, requestHash: 'h' } });
const unavailable = () => new UnavailableError({ message: '14 UNAVAILABLE: Connection dropped' } as never);
const notLeader = () => Object.assign(new Error('Leader info available'), { type: 'not-leader' });

describe('KurrentDbEventStore against the behaviour of a real server (fake client)', () => {
  const fake = fakeClientStores();
  const { open } = fake;

  describe('reads of $all', () => {
    it('bounds every read by maxCount, reads from the leader, and consumes each to its end (the native reader cannot be cancelled)', async () => {
      const store = open();
      for (let i = 0; i < 150; i++) fake.client.write(`other-${i}`, 'Other');
      for (let i = 0; i < 3; i++) await store.append(`s${i}`, [event('A'), event('B')], -1, META);
      await store.lastPosition();
      await store.readAll({ limit: 1 });
      await store.readAll({ types: ['B'], limit: 2 });
      await store.readAll({ after: (await store.readAll({ limit: 1 }))[0].position });
      await store.readAll();
      expect(fake.client.reads.length).toBeGreaterThan(5);
      expect(fake.client.reads.filter((read) => read.maxCount === undefined || read.requiresLeader !== true)).toEqual([]);
      expect(fake.client.openReads).toBe(0);
    });

    it('pages a read through the 64-event batches of the native reader without losing or repeating events', async () => {
      const store = open();
      for (let i = 0; i < 1200; i++) fake.client.write(i % 3 === 0 ? `n:x${i}` : `s${i}`, i % 2 ? 'A' : 'B', { i });
      const all = await store.readAll();
      expect(all).toHaveLength(800);
      expect(new Set(all.map((e) => e.eventId)).size).toBe(800);
      expect(all.map((e) => e.position)).toEqual([...all.map((e) => e.position)].sort((a, b) => a - b));
      expect(await store.readAll({ types: ['A'], after: all[10].position, limit: 700 })).toEqual(all.filter((e) => e.type === 'A' && e.position > all[10].position).slice(0, 700));
      expect(fake.client.openReads).toBe(0);
    });

    it('does not make the server search the whole log for the last event on every append', async () => {
      const quiet = open({ namespace: 'quiet' });
      await quiet.append('s', [event('A')], -1, META);
      for (let i = 0; i < 300; i++) fake.client.write(`busy:s${i}`, 'Other');
      fake.client.scanned = 0;
      for (let i = 0; i < 5; i++) await quiet.append('s', [event('A')], i, META);
      // The 300 records written meanwhile are gone through once, not once per append.
      expect(fake.client.scanned).toBeLessThan(400);
      expect((await quiet.readAll()).map((e) => e.streamPosition)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('still sees another writer’s newer recordedAt before taking its own (the tail is kept, not trusted)', async () => {
      const clock = () => new Date('2025-01-01T00:00:00.000Z');
      const mine = open({ clock });
      const theirs = open({ clock: () => new Date('2025-06-01T00:00:00.000Z') });
      await mine.append('s', [event('A')], -1, META);
      await theirs.append('t', [event('A')], -1, META);
      const { recordedAt } = await mine.append('s', [event('B')], 0, META);
      expect(recordedAt).toBe('2025-06-01T00:00:00.001Z');
    });
  });

  describe('an after that is not a position of this store', () => {
    it('is refused as such (400 in the API), not reported as an outage', async () => {
      const store = open();
      const { position } = await store.append('s', [event('A'), event('B')], -1, META);
      const error = await store.readAll({ after: position - 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidPositionError);
      expect(error).toBeInstanceOf(RangeError);
      expect(error).toMatchObject({ position: position - 1 });
      expect(await store.readAll({ after: position + 10_000 })).toEqual([]);
    });

    it('is still an outage when the server cannot be read at all', async () => {
      const store = open();
      const { position } = await store.append('s', [event('A')], -1, META);
      fake.client.failNext('readAll', unavailable());
      await expect(store.readAll({ after: position })).rejects.toBeInstanceOf(StoreUnavailableError);
    });
  });

  describe('an append whose answer is lost', () => {
    it('answers with the events when the append was committed and only its answer lost', async () => {
      const store = open();
      fake.client.failNext('appendToStream', unavailable(), { afterCommit: true });
      const result = await store.append('s', [event('A')], -1, META);
      expect(result.events.map((e) => e.type)).toEqual(['A']);
      expect(fake.client.streamRecords('s')).toHaveLength(1);
    });

    it('answers with the events when the append committed and reading them back failed once (a leader change)', async () => {
      const store = open();
      fake.client.failNext('readStream', notLeader());
      const result = await store.append('s', [event('A'), event('B')], -1, META);
      expect(result.events.map((e) => e.type)).toEqual(['A', 'B']);
    });

    it('reports "outcome unknown" only when the lookup fails too, and keeps the claim so a keyed retry never appends twice', async () => {
      const store = open();
      fake.client.failNext('appendToStream', undefined); // the claim goes through
      fake.client.failNext('appendToStream', unavailable(), { afterCommit: true });
      fake.client.failNext('readStream', undefined); // the claim's state goes through
      for (let i = 0; i < 3; i++) fake.client.failNext('readStream', unavailable()); // every lookup
      const error = await store.append('s', [event('A')], -1, keyed('k')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppendOutcomeUnknownError);
      expect(error).not.toBeInstanceOf(StoreUnavailableError);
      await expect(store.append('s', [event('A')], -1, keyed('k'))).rejects.toBeInstanceOf(IdempotencyKeyTaken);
      expect(await store.findIdempotent('k')).toMatchObject({ streamId: 's', events: [expect.objectContaining({ type: 'A' })] });
      expect(fake.client.streamRecords('s')).toHaveLength(1);
    });

    it('says nothing was written when the failed append is not in the log', async () => {
      const store = open();
      fake.client.failNext('appendToStream', unavailable());
      await expect(store.append('s', [event('A')], -1, META)).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(fake.client.streamRecords('s')).toEqual([]);
    });
  });

  describe('refusals', () => {
    it.each([
      ['a node that is not the leader', notLeader],
      ['denied credentials', () => new AccessDeniedError({ message: 'Access denied' } as never)],
    ])('takes a refusal by %s as nothing written: the key is free again at once', async (_name, refusal) => {
      const store = open();
      fake.client.failNext('appendToStream', undefined); // the claim goes through
      fake.client.failNext('appendToStream', refusal());
      await expect(store.append('s', [event('A')], -1, keyed('k'))).rejects.toBeInstanceOf(StoreUnavailableError);
      const retried = await store.append('s', [event('A')], -1, keyed('k'));
      expect(retried.events).toHaveLength(1);
    });
  });

  describe('namespaces sharing a database', () => {
    it('keeps each store to its own streams: no prefix overlap, and the store without a namespace reads none of theirs', async () => {
      const root = open();
      const a = open({ namespace: 'a' });
      const ab = open({ namespace: 'ab' });
      await a.append('s', [event('InA')], -1, keyed('ka'));
      await ab.append('s', [event('InAb')], -1, keyed('kab'));
      expect((await a.readAll()).map((e) => e.type)).toEqual(['InA']);
      expect((await ab.readAll()).map((e) => e.type)).toEqual(['InAb']);
      expect(await root.readAll()).toEqual([]);
      expect(await root.lastPosition()).toBe(0);
      expect(await a.readStream('s')).toHaveLength(1);
      await root.append('s', [event('InRoot')], -1, META);
      expect((await root.readAll()).map((e) => e.type)).toEqual(['InRoot']);
      expect((await a.readAll()).map((e) => e.type)).toEqual(['InA']);
    });

    it('refuses namespaces and stream ids holding the separator', () => {
      expect(() => open({ namespace: 'a:b' })).toThrow(RangeError);
      expect(() => open({ namespace: '$a' })).toThrow(RangeError);
      return expect(open().append('a:s', [event('A')], -1, META)).rejects.toThrow(RangeError);
    });
  });

  describe('event ids', () => {
    it('refuses ids that are not lower-case UUIDs before writing anything, in appends and imports', async () => {
      const store = open();
      await expect(store.append('s', [event('A', {}, '0B5F1C2E-8A4D-4F7E-9C3B-000000000001')], -1, META)).rejects.toThrow(/not a UUID in lower case/);
      const imported = { ...stored('e1', 's', 0), eventId: 'e1' };
      await expect(store.importEvents([imported])).rejects.toThrow(/not a UUID in lower case/);
      expect(fake.client.appends).toEqual([]);
    });
  });

  describe('imports', () => {
    it('splits a stream’s run into appends under the server’s 1 MiB limit', async () => {
      const store = open();
      const big = 'x'.repeat(100 * 1024);
      const events = Array.from({ length: 25 }, (_, i) => ({ ...stored(uuid(i), 's', i), data: { big } }));
      const { lastPosition } = await store.importEvents(events);
      expect(fake.client.appends.length).toBeGreaterThanOrEqual(4);
      expect(await store.lastPosition()).toBe(lastPosition);
      expect((await store.readStream('s')).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    });
  });

  describe('findIdempotent', () => {
    it('reads only where the claimed append put its events, not the whole stream', async () => {
      const store = open();
      for (let i = 0; i < 200; i++) fake.client.write('s', 'Earlier');
      await store.append('s', [event('A'), event('B')], 199, keyed('k'));
      fake.client.streamReads.length = 0;
      expect((await store.findIdempotent('k'))?.events.map((e) => e.type)).toEqual(['A', 'B']);
      const reads = fake.client.streamReads.filter((read) => read.streamName === 's');
      expect(reads.map((read) => [read.options.fromRevision, read.options.maxCount])).toEqual([[200n, 2]]);
    });
  });

  describe('the subscription', () => {
    it('skips an event it cannot place instead of throwing out of the client’s event handler', async () => {
      const store = open();
      const seen: number[] = [];
      store.subscribe((p) => seen.push(p));
      await new Promise((resolve) => setTimeout(resolve, 10));
      const legacy = fake.client.write('s', 'Legacy');
      const subscription = fake.client.subscriptions[0];
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      expect(() => subscription.deliver({ ...legacy, position: { commit: legacy.position.commit + 64n, prepare: legacy.position.prepare } })).not.toThrow();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/explicit transaction/));
      warn.mockRestore();
      const { position } = await store.append('t', [event('A')], -1, META);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen).toContain(position);
    });
  });
});

function uuid(n: number): string {
  return `0b5f1c2e-8a4d-4f7e-9c3b-${String(n).padStart(12, '0')}`;
}

function stored(eventId: string, streamId: string, streamPosition: number): StoredEvent {
  return {
    eventId,
    type: 'Imported',
    schemaVersion: 1,
    streamId,
    streamPosition,
    position: streamPosition + 1,
    recordedAt: '2025-01-01T00:00:00.000Z',
    recordedBy: 'recorder:x',
    correlationId: 'c',
    causationId: null,
    data: {},
  };
}
