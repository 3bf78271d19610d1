/**
 * The behaviour every EventStore adapter must show, as one jest suite. Uses only the port,
 * so any adapter (memory, SQLite, KurrentDB) can run it from its own spec:
 *
 *   describeEventStoreContract('sqlite', async (clock) => { ... return { store, reopen, cleanup }; });
 *
 * Not exported from the library's index: it needs jest's globals.
 */
import { DuplicateEventIdError } from './store-rules';
import {
  AppendMetadata,
  EventStore,
  NewEvent,
  StoreUnavailableError,
  StoredEvent,
  WrongExpectedPositionError,
  IdempotencyKeyTaken,
} from './event-store.port';

export interface ContractSubject {
  store: EventStore;
  /** Opens the same store again after `store.close()`; give it when the adapter is durable. */
  reopen?: () => Promise<EventStore>;
  /** Closes whatever is still open and removes what the factory created. */
  cleanup: () => Promise<void>;
}

/**
 * Called before each test. The store must take its recordedAt from `clock`, which the
 * tests move (also backwards); it starts at `CONTRACT_START_TIME` and stays put unless moved.
 */
export type OpenForContract = (clock: () => Date) => Promise<ContractSubject>;

export interface ContractOptions {
  /** How long to wait before concluding that a listener will not be called (default 50 ms). */
  quietMs?: number;
  /** The adapter keeps events across close and reopen: runs the durability test, which needs `reopen`. */
  durable?: boolean;
  /**
   * `importEvents` refuses an eventId already in the store. Default: every adapter but KurrentDB,
   * which keeps no index of event ids and refuses only ids repeated within the imported list.
   */
  findsStoredEventIds?: boolean;
}

export const CONTRACT_START_TIME = '2025-03-01T12:00:00.000Z';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const META: AppendMetadata = { recordedBy: 'recorder:3f2a9c01b7de', correlationId: 'corr-1', causationId: 'cause-1' };

const event = (type: string, data: unknown = {}, eventId?: string): NewEvent => ({
  type,
  schemaVersion: 1,
  data,
  ...(eventId === undefined ? {} : { eventId }),
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

const positionsOf = (events: readonly StoredEvent[]) => events.map((e) => e.position);
const typesOf = (events: readonly StoredEvent[]) => events.map((e) => e.type);

export function describeEventStoreContract(adapterName: string, open: OpenForContract, options: ContractOptions = {}): void {
  const quiet = () => sleep(options.quietMs ?? 50);

  describe(`EventStore contract: ${adapterName}`, () => {
    let now: Date;
    let subject: ContractSubject;
    let store: EventStore;
    const setClock = (iso: string) => {
      now = new Date(iso);
    };

    beforeEach(async () => {
      setClock(CONTRACT_START_TIME);
      subject = await open(() => new Date(now.getTime()));
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    /** Asserts that `attempt` rejects with a conflict reporting `actual`, and that nothing changed. */
    async function expectConflict(attempt: () => Promise<unknown>, streamId: string, actual: number): Promise<void> {
      const logBefore = await store.readAll();
      const error = await rejectionOf(attempt());
      expect(error).toBeInstanceOf(WrongExpectedPositionError);
      expect(error).toMatchObject({ streamId, actual });
      expect(await store.readAll()).toEqual(logBefore);
      expect(await store.lastPosition()).toBe(logBefore.at(-1)?.position ?? 0);
    }

    describe('append and read back', () => {
      it('appends to a new stream with expected -1 and reads back the full envelope', async () => {
        const data = { actorId: 'donald-trump', quote: { text: 'We will see', at: '2025-02-26' }, tags: ['a', 'b'], n: 1.5, none: null };
        const result = await store.append('actor-donald-trump', [event('ActorRegistered', data)], -1, META);

        const expected: StoredEvent = {
          eventId: expect.stringMatching(UUID),
          type: 'ActorRegistered',
          schemaVersion: 1,
          streamId: 'actor-donald-trump',
          streamPosition: 0,
          position: result.position,
          recordedAt: CONTRACT_START_TIME,
          recordedBy: META.recordedBy,
          correlationId: META.correlationId,
          causationId: META.causationId,
          data,
        };
        expect(Number.isInteger(result.position) && result.position > 0).toBe(true);
        expect(result).toEqual({ streamPosition: 0, position: result.position, recordedAt: CONTRACT_START_TIME, events: [expected] });
        expect(await store.readStream('actor-donald-trump')).toEqual([expected]);
        expect(await store.readAll()).toEqual([expected]);
        expect(result.events[0].recordedAt).toMatch(ISO_UTC_MS);
        expect(await store.lastPosition()).toBe(result.position);
      });

      it('keeps a null causationId and the schemaVersion given', async () => {
        await store.append('s', [{ type: 'T', schemaVersion: 3, data: {} }], -1, { ...META, causationId: null });
        expect(await store.readStream('s')).toEqual([expect.objectContaining({ causationId: null, schemaVersion: 3 })]);
      });

      it('keeps a given eventId and gives the others distinct fresh UUIDs', async () => {
        const given = '0b5f1c2e-8a4d-4f7e-9c3b-2d1e0f9a8b7c';
        await store.append('s', [event('A', {}, given), event('B'), event('C')], -1, META);
        const [a, b, c] = await store.readStream('s');
        expect(a.eventId).toBe(given);
        expect(b.eventId).toMatch(UUID);
        expect(c.eventId).toMatch(UUID);
        expect(new Set([a.eventId, b.eventId, c.eventId]).size).toBe(3);
      });

      it('reads an unknown stream as []', async () => {
        await store.append('s', [event('A')], -1, META);
        expect(await store.readStream('unknown')).toEqual([]);
      });

      it('is empty at first: lastPosition 0, readAll []', async () => {
        expect(await store.lastPosition()).toBe(0);
        expect(await store.readAll()).toEqual([]);
      });

      it('stores data as a JSON copy: later mutations by the caller or a reader do not leak in', async () => {
        const data = { list: [1, 2], at: new Date('2025-01-02T03:04:05.000Z') };
        await store.append('s', [event('A', data)], -1, META);
        data.list.push(3);
        const [first] = await store.readStream('s');
        expect(first.data).toEqual({ list: [1, 2], at: '2025-01-02T03:04:05.000Z' });
        (first.data as { list: number[] }).list.push(4);
        expect((await store.readStream('s'))[0].data).toEqual({ list: [1, 2], at: '2025-01-02T03:04:05.000Z' });
      });

      it('rejects an empty append and writes nothing', async () => {
        await expect(store.append('s', [], -1, META)).rejects.toThrow();
        expect(await store.lastPosition()).toBe(0);
        expect(await store.readStream('s')).toEqual([]);
      });
    });

    describe('batches and positions', () => {
      it('appends a batch with consecutive stream positions, increasing global positions and one recordedAt', async () => {
        await store.append('other', [event('X')], -1, META);
        const result = await store.append('s', [event('A'), event('B'), event('C')], -1, META);
        const stream = await store.readStream('s');

        expect(stream.map((e) => e.streamPosition)).toEqual([0, 1, 2]);
        expect(typesOf(stream)).toEqual(['A', 'B', 'C']);
        expect(stream[1].position).toBeGreaterThan(stream[0].position);
        expect(stream[2].position).toBeGreaterThan(stream[1].position);
        expect(new Set(stream.map((e) => e.recordedAt))).toEqual(new Set([result.recordedAt]));
        expect(result).toMatchObject({ streamPosition: 2, position: stream[2].position });
        expect(result.events).toEqual(stream);

        const next = await store.append('s', [event('D')], 2, META);
        expect(next.streamPosition).toBe(3);
        expect(next.position).toBeGreaterThan(stream[2].position);
      });

      it('gives strictly increasing global positions across streams, and readAll follows them', async () => {
        await store.append('a', [event('A1')], -1, META);
        await store.append('b', [event('B1'), event('B2')], -1, META);
        await store.append('a', [event('A2')], 0, META);
        const log = await store.readAll();

        expect(typesOf(log)).toEqual(['A1', 'B1', 'B2', 'A2']);
        const positions = positionsOf(log);
        positions.slice(1).forEach((position, i) => expect(position).toBeGreaterThan(positions[i]));
        expect(await store.lastPosition()).toBe(positions[3]);
        expect((await store.readStream('a')).map((e) => [e.type, e.streamPosition])).toEqual([['A1', 0], ['A2', 1]]);
      });
    });

    describe('expected position', () => {
      it('conflicts when a new stream is expected at a position, reporting actual -1, and writes nothing', async () => {
        await store.append('other', [event('X')], -1, META);
        await expectConflict(() => store.append('s', [event('A'), event('B')], 0, META), 's', -1);
        expect(await store.readStream('s')).toEqual([]);
      });

      it('conflicts when an existing stream is expected new (-1), behind or ahead, and writes nothing', async () => {
        await store.append('s', [event('A'), event('B')], -1, META);
        await expectConflict(() => store.append('s', [event('C')], -1, META), 's', 1);
        await expectConflict(() => store.append('s', [event('C'), event('D')], 0, META), 's', 1);
        await expectConflict(() => store.append('s', [event('C')], 5, META), 's', 1);
        expect(typesOf(await store.readStream('s'))).toEqual(['A', 'B']);
      });

      it("reports the expected position in the conflict", async () => {
        await store.append('s', [event('A')], -1, META);
        const error = await rejectionOf(store.append('s', [event('B')], 3, META));
        expect(error).toMatchObject({ streamId: 's', expected: 3, actual: 0 });
      });

      it("'any' appends to a new and to an existing stream without a check", async () => {
        await store.append('s', [event('A')], 'any', META);
        await store.append('s', [event('B'), event('C')], 'any', META);
        expect((await store.readStream('s')).map((e) => [e.type, e.streamPosition])).toEqual([['A', 0], ['B', 1], ['C', 2]]);
      });

      it('lets exactly one of several racing appends with the same expected position win', async () => {
        await store.append('s', [event('Start')], -1, META);
        const racers = ['R0', 'R1', 'R2', 'R3', 'R4'];
        const outcomes = await Promise.allSettled(racers.map((type) => store.append('s', [event(type), event(`${type}-2`)], 0, META)));

        const winners = outcomes.filter((o) => o.status === 'fulfilled');
        const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(4);
        losers.forEach((reason) => {
          expect(reason).toBeInstanceOf(WrongExpectedPositionError);
          expect(reason).toMatchObject({ actual: 2 });
        });
        const winner = racers[outcomes.findIndex((o) => o.status === 'fulfilled')];
        expect(typesOf(await store.readStream('s'))).toEqual(['Start', winner, `${winner}-2`]);
      });

      it("lets racing 'any' appends all succeed, in distinct stream positions", async () => {
        const outcomes = await Promise.allSettled([0, 1, 2, 3].map((i) => store.append('s', [event(`E${i}`)], 'any', META)));
        expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
        const stream = await store.readStream('s');
        expect(stream.map((e) => e.streamPosition)).toEqual([0, 1, 2, 3]);
        expect(new Set(typesOf(stream))).toEqual(new Set(['E0', 'E1', 'E2', 'E3']));
      });
    });

    describe('readAll', () => {
      let log: StoredEvent[];
      beforeEach(async () => {
        await store.append('a', [event('Registered'), event('Renamed')], -1, META);
        await store.append('b', [event('Registered')], -1, META);
        await store.append('a', [event('Stated'), event('Renamed')], 1, META);
        await store.append('c', [event('Stated')], -1, META);
        log = await store.readAll();
      });

      it('reads after a position, exclusive', async () => {
        expect(await store.readAll({ after: log[2].position })).toEqual(log.slice(3));
        expect(await store.readAll({ after: log[5].position })).toEqual([]);
        expect(await store.readAll({ after: 0 })).toEqual(log);
      });

      it('pages with limit', async () => {
        expect(await store.readAll({ limit: 2 })).toEqual(log.slice(0, 2));
        expect(await store.readAll({ after: log[1].position, limit: 3 })).toEqual(log.slice(2, 5));
        expect(await store.readAll({ limit: 0 })).toEqual([]);
        expect(await store.readAll({ limit: 100 })).toEqual(log);
      });

      it('filters by types and by stream, in position order, before applying the limit', async () => {
        expect(typesOf(await store.readAll({ types: ['Stated'] }))).toEqual(['Stated', 'Stated']);
        expect(await store.readAll({ types: ['Renamed', 'Stated'] })).toEqual([log[1], log[3], log[4], log[5]]);
        expect(await store.readAll({ streamId: 'a' })).toEqual([log[0], log[1], log[3], log[4]]);
        expect(await store.readAll({ streamId: 'a', types: ['Renamed'], after: log[1].position })).toEqual([log[4]]);
        expect(await store.readAll({ types: ['Registered', 'Stated'], limit: 3 })).toEqual([log[0], log[2], log[3]]);
        expect(await store.readAll({ streamId: 'unknown' })).toEqual([]);
      });

      it('reads nothing for an empty types list', async () => {
        expect(await store.readAll({ types: [] })).toEqual([]);
      });
    });

    describe('recordedAt', () => {
      it("is the clock's time, and increases with every commit even when the clock stands still or goes backwards", async () => {
        setClock('2025-03-01T12:00:00.250Z');
        const first = await store.append('a', [event('A')], -1, META);
        setClock('2025-03-01T11:00:00.000Z');
        const behind = await store.append('b', [event('B')], -1, META);

        expect(first.recordedAt).toBe('2025-03-01T12:00:00.250Z');
        expect(behind.recordedAt).toBe('2025-03-01T12:00:00.251Z');
        setClock('2025-03-01T12:00:00.251Z');
        const same = await store.append('d', [event('D')], -1, META);
        expect(same.recordedAt).toBe('2025-03-01T12:00:00.252Z');
        setClock('2025-03-01T12:00:05.000Z');
        const later = await store.append('c', [event('C')], -1, META);
        expect(later.recordedAt).toBe('2025-03-01T12:00:05.000Z');
        const recorded = (await store.readAll()).map((e) => e.recordedAt);
        expect(recorded).toEqual(['2025-03-01T12:00:00.250Z', '2025-03-01T12:00:00.251Z', '2025-03-01T12:00:00.252Z', '2025-03-01T12:00:05.000Z']);
      });
    });

    describe('subscribe', () => {
      it('notifies with the new last position after an append', async () => {
        const seen: number[] = [];
        store.subscribe((position) => seen.push(position));
        const result = await store.append('s', [event('A'), event('B')], -1, META);
        await waitFor(() => seen.includes(result.position));
        expect(Math.max(...seen)).toBe(result.position);
      });

      it('does not notify after a failed append', async () => {
        await store.append('s', [event('A')], -1, META);
        await quiet();
        const seen: number[] = [];
        store.subscribe((position) => seen.push(position));
        await expect(store.append('s', [event('B')], -1, META)).rejects.toBeInstanceOf(WrongExpectedPositionError);
        await quiet();
        expect(seen).toEqual([]);
      });

      it('stops notifying after unsubscribe, while other listeners carry on', async () => {
        const stopped: number[] = [];
        const kept: number[] = [];
        const unsubscribe = store.subscribe((position) => stopped.push(position));
        store.subscribe((position) => kept.push(position));
        const first = await store.append('s', [event('A')], -1, META);
        await waitFor(() => stopped.includes(first.position));
        unsubscribe();
        const second = await store.append('s', [event('B')], 0, META);
        await waitFor(() => kept.includes(second.position));
        await quiet();
        expect(stopped).toEqual([first.position]);
      });

      it('keeps appending and notifying others when a listener throws', async () => {
        const report = jest.spyOn(console, 'error').mockImplementation(() => undefined);
        try {
          const seen: number[] = [];
          store.subscribe(() => {
            throw new Error('listener bug');
          });
          store.subscribe((position) => seen.push(position));
          const result = await store.append('s', [event('A')], -1, META);
          await waitFor(() => seen.includes(result.position));
          expect(await store.readStream('s')).toHaveLength(1);
        } finally {
          report.mockRestore();
        }
      });
    });

    describe('readStream from a stream position', () => {
      it('returns only the events at and after it, and [] past the end', async () => {
        await store.append('s', [event('A'), event('B'), event('C')], -1, META);
        expect(typesOf(await store.readStream('s', 1))).toEqual(['B', 'C']);
        expect(typesOf(await store.readStream('s', 0))).toEqual(['A', 'B', 'C']);
        expect(await store.readStream('s', 3)).toEqual([]);
        expect(await store.readStream('unknown', 2)).toEqual([]);
      });
    });

    describe('idempotency keys', () => {
      const claim = (key: string, requestHash = 'h1') => ({ ...META, idempotency: { key, requestHash } });

      it('finds the events of the append that claimed a key, and nothing for an unclaimed key', async () => {
        await store.append('other', [event('O')], -1, META);
        const result = await store.append('s', [event('A'), event('B')], -1, claim('key-1'));
        const found = await store.findIdempotent('key-1');
        expect(found).toEqual({ key: 'key-1', requestHash: 'h1', streamId: 's', events: result.events });
        expect(await store.findIdempotent('key-2')).toBeNull();
      });

      it('refuses a second append with a claimed key and writes nothing', async () => {
        await store.append('s', [event('A')], -1, claim('key-1'));
        const logBefore = await store.readAll();
        const error = await rejectionOf(store.append('t', [event('B')], -1, claim('key-1', 'h2')));
        expect(error).toBeInstanceOf(IdempotencyKeyTaken);
        expect(await store.readAll()).toEqual(logBefore);
        expect((await store.findIdempotent('key-1'))?.requestHash).toBe('h1');
      });

      it('lets exactly one of several racing appends with the same key win', async () => {
        const results = await Promise.allSettled([0, 1, 2, 3].map((i) => store.append(`s${i}`, [event('A')], -1, claim('raced'))));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual(
          Array(3).fill(expect.any(IdempotencyKeyTaken)),
        );
        expect(await store.readAll()).toHaveLength(1);
      });

      it('writes no claim when an append fails on its expected position', async () => {
        await store.append('s', [event('A')], -1, META);
        await rejectionOf(store.append('s', [event('B')], -1, claim('key-1')));
        expect(await store.findIdempotent('key-1')).toBeNull();
      });
    });

    describe('importEvents', () => {
      const copied = (n: number, overrides: Partial<StoredEvent> = {}): StoredEvent => ({
        eventId: `0b5f1c2e-8a4d-4f7e-9c3b-${String(n).padStart(12, '0')}`,
        type: `T${n}`,
        schemaVersion: 2,
        streamId: 's',
        streamPosition: n,
        position: 1000 + n,
        recordedAt: `2025-01-0${1 + Math.floor(n / 2)}T00:00:00.${String(n).padStart(3, '0')}Z`,
        recordedBy: `recorder:${n}`,
        correlationId: `corr-${n}`,
        causationId: n === 0 ? null : `cause-${n}`,
        data: { n, nested: { list: [n] } },
        ...overrides,
      });
      const withoutPosition = ({ position, ...rest }: StoredEvent) => (void position, rest);

      /** Asserts that importing `events` rejects with an error of `type`, and that nothing changed. */
      async function expectRefused(events: StoredEvent[], type: new (...args: never[]) => Error): Promise<unknown> {
        const logBefore = await store.readAll();
        const error = await rejectionOf(store.importEvents(events));
        expect(error).toBeInstanceOf(type);
        expect(await store.readAll()).toEqual(logBefore);
        return error;
      }

      it('keeps every field but position, which increases in the given order, and answers the last one', async () => {
        const events = [copied(0), copied(1, { streamId: 't', streamPosition: 0 }), copied(2, { streamPosition: 1 }), copied(3, { streamPosition: 2 })];
        const { lastPosition } = await store.importEvents(events);
        const log = await store.readAll();
        expect(log.map(withoutPosition)).toEqual(events.map(withoutPosition));
        positionsOf(log).slice(1).forEach((position, i) => expect(position).toBeGreaterThan(positionsOf(log)[i]));
        expect(lastPosition).toBe(log[3].position);
        expect(await store.lastPosition()).toBe(lastPosition);
        expect((await store.readStream('s')).map((e) => e.type)).toEqual(['T0', 'T2', 'T3']);
      });

      it('continues streams already in the store, and later appends continue from the import', async () => {
        setClock('2024-12-31T00:00:00.000Z');
        await store.append('s', [event('A')], -1, META);
        await store.importEvents([copied(1)]);
        setClock('2024-12-31T00:00:00.000Z'); // behind the imported recordedAt: the store goes on just after it
        const next = await store.append('s', [event('B')], 1, META);
        expect(next).toMatchObject({ streamPosition: 2, recordedAt: new Date(Date.parse(copied(1).recordedAt) + 1).toISOString() });
      });

      it('notifies listeners once, with the last position', async () => {
        const seen: number[] = [];
        store.subscribe((position) => seen.push(position));
        const { lastPosition } = await store.importEvents([copied(0), copied(1), copied(2)]);
        await waitFor(() => seen.includes(lastPosition));
        await quiet();
        expect(seen).toEqual([lastPosition]);
      });

      it('writes nothing, and notifies no one, for an empty list', async () => {
        const seen: number[] = [];
        store.subscribe((position) => seen.push(position));
        expect(await store.importEvents([])).toEqual({ lastPosition: 0 });
        await quiet();
        expect(seen).toEqual([]);
      });

      it('writes nothing when an eventId is repeated in the list', async () => {
        await expectRefused([copied(0), copied(1, { eventId: copied(0).eventId })], DuplicateEventIdError);
      });

      it('writes nothing when an eventId is already in the store (where the adapter can tell)', async () => {
        if (!(options.findsStoredEventIds ?? store.kind !== 'eventstoredb')) return;
        setClock('2024-12-31T00:00:00.000Z');
        await store.append('other', [event('A', {}, copied(1).eventId)], -1, META);
        await expectRefused([copied(0), copied(1, { streamId: 't', streamPosition: 0 })], DuplicateEventIdError);
      });

      it('writes nothing when a streamPosition is not its stream’s next, in the store or in the list', async () => {
        setClock('2024-12-31T00:00:00.000Z');
        await store.append('s', [event('A')], -1, META);
        const error = await expectRefused([copied(0, { streamId: 'new' }), copied(1, { streamId: 's', streamPosition: 0 })], WrongExpectedPositionError);
        expect(error).toMatchObject({ streamId: 's', actual: 0 });
        await expectRefused([copied(1, { streamPosition: 2 })], WrongExpectedPositionError);
        await expectRefused([copied(0, { streamId: 'new' }), copied(1, { streamId: 'new', streamPosition: 2 })], WrongExpectedPositionError);
        await expectRefused([copied(0, { streamId: 'u', streamPosition: 1 })], WrongExpectedPositionError);
      });

      it('writes nothing when a recordedAt goes back, from the store’s last or from the previous event’s', async () => {
        setClock('2025-06-01T00:00:00.000Z');
        await store.append('other', [event('A')], -1, META);
        await expectRefused([copied(0)], RangeError);
        await expectRefused([copied(0, { streamId: 'x', recordedAt: '2025-07-01T00:00:00.002Z' }), copied(1, { streamId: 'x', streamPosition: 1, recordedAt: '2025-07-01T00:00:00.001Z' })], RangeError);
        await expectRefused([copied(0, { streamId: 'x', recordedAt: '2025-07-01' })], RangeError);
      });
    });

    describe('lifecycle', () => {
      it('rejects with StoreUnavailableError once closed, and close is idempotent', async () => {
        await store.append('s', [event('A')], -1, META);
        await store.close();
        await store.close();
        await expect(store.append('s', [event('B')], 0, META)).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.readStream('s')).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.lastPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
      });

      const durableIt = options.durable ? it : it.skip;
      durableIt('keeps everything across close and reopen, and continues the positions', async () => {
        if (!subject.reopen) throw new Error(`${adapterName} is declared durable but its factory gives no reopen`);
        await store.append('a', [event('A1', { n: 1 }), event('A2')], -1, META);
        await store.append('b', [event('B1')], -1, { ...META, causationId: null, idempotency: { key: 'k', requestHash: 'h' } });
        const before = await store.readAll();
        await store.close();

        const reopened = await subject.reopen();
        try {
          expect(await reopened.readAll()).toEqual(before);
          expect(await reopened.lastPosition()).toBe(before[2].position);
          expect(await reopened.findIdempotent('k')).toMatchObject({ streamId: 'b', events: [before[2]] });
          const stale = await rejectionOf(reopened.append('a', [event('Stale')], -1, META));
          expect(stale).toBeInstanceOf(WrongExpectedPositionError);
          expect(stale).toMatchObject({ actual: 1 });
          const next = await reopened.append('a', [event('A3')], 1, META);
          expect(next.streamPosition).toBe(2);
          expect(next.position).toBeGreaterThan(before[2].position);
        } finally {
          await reopened.close();
        }
      });
    });
  });
}

