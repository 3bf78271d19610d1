/**
 * The adapter's own decisions, against a fake client object at the client boundary. Nothing
 * here exercises a KurrentDB server: kurrentdb-event-store.spec.ts runs the contract against
 * a real one when EVENTSTORE_CONNECTION_STRING is set.
 */
import { DeadlineExceededError, UnavailableError } from '@kurrent/kurrentdb-client';
import { describeEventStoreContract } from '../event-store.contract';
import { AppendOutcomeUnknownError, IdempotencyKeyTaken, NewEvent, StoreUnavailableError, WrongExpectedPositionError } from '../event-store.port';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { claimStreamName, idempotentEventId } from './kurrentdb-idempotency';
import { fakeClientStores } from './testing/fake-client-stores';
import { FakeKurrentClient } from './testing/fake-kurrentdb-client';

const META = { recordedBy: 'recorder:test', correlationId: 'corr', causationId: 'cause' };
const event = (type: string, data: unknown = {}, eventId?: string): NewEvent => ({ type, schemaVersion: 1, data, ...(eventId ? { eventId } : {}) });
const at = (iso: string) => () => new Date(iso);

// The contract's behaviour through the adapter's logic, the client replaced by a fake:
// a check of the adapter, not of KurrentDB.
describeEventStoreContract(
  'kurrentdb adapter over a fake client (adapter logic only, no server)',
  async (clock) => {
    const client = new FakeKurrentClient(); // keeps its log when a store closes: a "reopen" sees it
    const opened = [new KurrentDbEventStore(client, { clock })];
    return {
      store: opened[0],
      reopen: async () => opened[opened.push(new KurrentDbEventStore(client, { clock })) - 1],
      cleanup: async () => {
        for (const store of opened) await store.close();
      },
    };
  },
  { durable: true },
);

describe('KurrentDbEventStore (fake client)', () => {
  const fake = fakeClientStores();
  const { open } = fake;

  describe('append', () => {
    it('sends the expected position as the expected stream state', async () => {
      const store = open();
      await store.append('s', [event('A')], -1, META);
      await store.append('s', [event('B')], 0, META);
      await store.append('s', [event('C')], 'any', META);
      expect(fake.client.appends.map((a) => a.options.streamState)).toEqual(['no_stream', 0n, 'any']);
    });

    it('answers with the events read back: positions from their own log records, not the append answer', async () => {
      const result = await open().append('s', [event('A'), event('B', { long: 'x'.repeat(50) }), event('C')], -1, META);
      const records = fake.client.streamRecords('s');
      expect(result.events.map((e) => e.position)).toEqual(records.map((r) => Number(r.position.prepare) + 1));
      expect(result).toMatchObject({ streamPosition: 2, position: result.events[2].position });
    });

    it('maps a conflict to WrongExpectedPositionError with the actual position', async () => {
      const store = open();
      await expect(store.append('s', [event('A')], 3, META)).rejects.toMatchObject({ constructor: WrongExpectedPositionError, streamId: 's', expected: 3, actual: -1 });
      await store.append('s', [event('A'), event('B')], -1, META);
      await expect(store.append('s', [event('C')], 0, META)).rejects.toMatchObject({ actual: 1 });
    });

    it('maps an outage to StoreUnavailableError with a clear message, and notifies nobody', async () => {
      const store = open();
      const seen: number[] = [];
      store.subscribe((p) => seen.push(p));
      fake.client.failNext('appendToStream', Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }));
      const error = await store.append('s', [event('A')], -1, META).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/^cannot append to stream s in KurrentDB: the server cannot be reached/);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen).toEqual([]);
    });

    it('gives up on an append the server does not answer, reporting its outcome as unknown (it may still commit)', async () => {
      const store = open({ timeoutMs: 20 });
      fake.client.stall('appendToStream');
      const error = await store.append('s', [event('A')], -1, META).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppendOutcomeUnknownError);
      expect(error).toMatchObject({ committed: false, message: expect.stringMatching(/^the append to stream s may have been written: its answer was lost \(cannot append to stream s in KurrentDB: the server did not answer before the deadline/) });
    });

    it('refuses reserved stream ids', async () => {
      const store = open();
      for (const streamId of ['', '$ce-actor', 'idempotency-abc']) await expect(store.append(streamId, [event('A')], 'any', META)).rejects.toThrow(RangeError);
    });

    it('keeps the namespace apart: streams are prefixed on write and stripped on read', async () => {
      const store = open({ namespace: 't1' });
      const { events } = await store.append('s', [event('A')], -1, META);
      expect(fake.client.appends[0].streamName).toBe('t1:s');
      expect(events[0].streamId).toBe('s');
    });
  });

  describe('recordedAt', () => {
    it('stamps just after the newest recordedAt in the log when another writer’s clock is ahead', async () => {
      const ahead = open({ clock: at('2025-03-01T12:00:09.000Z') });
      const behind = open({ clock: at('2025-03-01T12:00:00.000Z') });
      await ahead.append('a', [event('A')], -1, META);
      const result = await behind.append('b', [event('B')], -1, META);
      expect(result.recordedAt).toBe('2025-03-01T12:00:09.001Z');
    });

    it('follows commit order for concurrent appends of one process', async () => {
      let tick = 0;
      const store = open({ clock: () => new Date(Date.UTC(2025, 2, 1, 12, 0, 0, tick++)) });
      fake.client.slowAppends('a', 20); // would commit after b, c, d had the appends not waited for each other
      await Promise.all(['a', 'b', 'c', 'd'].map((s) => store.append(s, [event('E')], 'any', META)));
      const recorded = (await store.readAll()).map((e) => e.recordedAt);
      expect(recorded).toEqual([...recorded].sort());
    });
  });

  describe('reading', () => {
    beforeEach(() => {
      fake.client.write('$$s', '$metadata');
      fake.client.write('$ce-s', '$>');
    });

    it('hides system events, claims and other namespaces from readAll, readStream and lastPosition', async () => {
      const store = open({ namespace: 'n-' });
      const { position } = await store.append('s', [event('A')], -1, { ...META, idempotency: { key: 'k', requestHash: 'h' } });
      fake.client.write('other-s', 'B');
      fake.client.write('n-s', '$streamDeleted');
      fake.client.write(claimStreamName('n-', 'k2'), 'IdempotencyKeyClaimed');
      expect((await store.readAll()).map((e) => e.type)).toEqual(['A']);
      expect((await store.readStream('s')).map((e) => e.type)).toEqual(['A']);
      expect(await store.lastPosition()).toBe(position);
    });

    it('reads after a position from that event’s own record, and asks the server for the wanted types only', async () => {
      const store = open();
      const first = await store.append('s', [event('A'), event('B')], -1, META);
      await store.readAll({ after: first.events[0].position, types: ['B', 'C.d'] });
      const read = fake.client.reads[fake.client.reads.length - 1];
      expect(read.fromPosition).toEqual({ commit: BigInt(first.events[0].position - 1), prepare: BigInt(first.events[0].position - 1) });
      expect(read.filter).toMatchObject({ filterOn: 'eventType', regex: '^(?:B|C\\u002Ed)$' });
    });

    it('reads one stream from the stream itself, not from $all', async () => {
      const store = open();
      await store.append('s', [event('A'), event('B')], -1, META);
      const reads = fake.client.reads.length;
      expect((await store.readAll({ streamId: 's', types: ['B'] })).map((e) => e.type)).toEqual(['B']);
      expect(fake.client.reads).toHaveLength(reads);
    });

    it('answers StoreUnavailableError when the server does not answer in time', async () => {
      const store = open({ timeoutMs: 20 });
      fake.client.stall('readAll');
      await expect(store.readAll()).rejects.toThrow(/cannot read the log in KurrentDB: the server did not answer before the deadline/);
      await expect(store.lastPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
    });
  });

  describe('subscribe', () => {
    it('hears of another writer’s appends through the subscription, once each', async () => {
      const reader = open();
      const writer = open();
      const seen: number[] = [];
      reader.subscribe((p) => seen.push(p));
      await new Promise((resolve) => setImmediate(resolve));
      const { position } = await writer.append('s', [event('A')], -1, META);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen).toEqual([position]);
    });

    it('tells of its own append once, although the subscription delivers it too', async () => {
      const store = open();
      const seen: number[] = [];
      store.subscribe((p) => seen.push(p));
      await new Promise((resolve) => setImmediate(resolve));
      const { position } = await store.append('s', [event('A')], -1, META);
      expect(seen).toEqual([position]);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen).toEqual([position]);
    });

    it('resubscribes from the last position seen after the subscription drops', async () => {
      const store = open({ resubscribe: { initialDelayMs: 5, maxDelayMs: 5 } });
      const seen: number[] = [];
      store.subscribe((p) => seen.push(p));
      await new Promise((resolve) => setImmediate(resolve));
      const first = await open().append('s', [event('A')], -1, META);
      await new Promise((resolve) => setTimeout(resolve, 5));
      fake.client.subscriptions[0].emit('error', new UnavailableError());
      const second = await open().append('s', [event('B')], 0, META); // while disconnected
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(fake.client.subscriptions[1].options.fromPosition).toEqual({ commit: BigInt(first.position - 1), prepare: BigInt(first.position - 1) });
      expect(seen).toEqual([first.position, second.position]);
    });
  });

  describe('idempotency keys', () => {
    const claim = (key: string) => ({ ...META, idempotency: { key, requestHash: 'h1' } });

    it('gives the events of a keyed append ids derived from the key, keeping given ids', async () => {
      const given = '0b5f1c2e-8a4d-4f7e-9c3b-2d1e0f9a8b7c';
      const { events } = await open().append('s', [event('A'), event('B', {}, given)], -1, claim('k'));
      expect(events.map((e) => e.eventId)).toEqual([idempotentEventId('', 'k', 0), given]);
    });

    it('releases the key when the server refuses the append, so a corrected retry can use it at once', async () => {
      const store = open();
      await store.append('s', [event('A')], -1, META);
      await expect(store.append('s', [event('B')], -1, claim('k'))).rejects.toBeInstanceOf(WrongExpectedPositionError);
      const retried = await store.append('s', [event('B')], 0, claim('k'));
      expect(await store.findIdempotent('k')).toEqual({ key: 'k', requestHash: 'h1', streamId: 's', events: retried.events });
    });

    it('releases the key when an outage struck before the events were sent', async () => {
      const store = open();
      fake.client.failNext('readAll', new UnavailableError()); // reading the end of the log, before the append
      await expect(store.append('s', [event('A')], -1, claim('k'))).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.append('s', [event('A')], -1, claim('k'))).resolves.toMatchObject({ streamPosition: 0 });
    });

    it('keeps a claim whose append had an unknown outcome: the key stays taken until the lease has run out', async () => {
      const store = open({ claimLeaseMs: 30 });
      fake.client.failNext('appendToStream', undefined); // the claim goes through
      fake.client.failNext('appendToStream', new DeadlineExceededError());
      await expect(store.append('s', [event('A')], -1, claim('k'))).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await store.findIdempotent('k')).toBeNull();
      await expect(store.append('s', [event('A')], -1, claim('k'))).rejects.toBeInstanceOf(IdempotencyKeyTaken);
      await new Promise((resolve) => setTimeout(resolve, 40));
      const retried = await store.append('s', [event('A')], -1, claim('k'));
      expect(await store.findIdempotent('k')).toMatchObject({ streamId: 's', events: retried.events });
    });
  });

  describe('close', () => {
    it('disposes the client, stops the subscription, and is idempotent', async () => {
      const store = open();
      store.subscribe(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      await store.close();
      await store.close();
      expect(fake.client.disposed).toBe(true);
      expect(fake.client.subscriptions[0].unsubscribed).toBe(true);
      await expect(store.findIdempotent('k')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(() => store.subscribe(() => undefined)()).not.toThrow();
    });
  });
});
