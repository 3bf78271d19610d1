/**
 * `importEvents` on the KurrentDB adapter, against the fake client: one append per run of a
 * stream, each event's envelope in its metadata, every check made before the first append.
 */
import { StoredEvent, WrongExpectedPositionError } from '../event-store.port';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentClient } from './testing/fake-kurrentdb-client';

const copied = (n: number, streamId: string, streamPosition: number, recordedAt: string): StoredEvent => ({
  eventId: `0b5f1c2e-8a4d-4f7e-9c3b-${String(n).padStart(12, '0')}`,
  type: `T${n}`,
  schemaVersion: 1,
  streamId,
  streamPosition,
  position: n + 1,
  recordedAt,
  recordedBy: `recorder:${n}`,
  correlationId: `corr-${n}`,
  causationId: n === 0 ? null : `cause-${n}`,
  data: { n },
});

describe('KurrentDbEventStore.importEvents (fake client)', () => {
  let client: FakeKurrentClient;
  let store: KurrentDbEventStore;
  const log = [
    copied(0, 'a', 0, '2025-01-01T00:00:00.000Z'),
    copied(1, 'a', 1, '2025-01-01T00:00:00.000Z'),
    copied(2, 'b', 0, '2025-01-02T00:00:00.000Z'),
    copied(3, 'a', 2, '2025-01-03T00:00:00.000Z'),
  ];

  beforeEach(() => {
    client = new FakeKurrentClient();
    store = new KurrentDbEventStore(client, { namespace: 'n', onSubscriptionDrop: () => undefined });
  });
  afterEach(() => store.close());

  it('appends each run of one stream at once, at its expected revision, with each event’s own envelope in the metadata', async () => {
    const { lastPosition } = await store.importEvents(log);
    expect(client.appends.map((a) => [a.streamName, a.events.length, a.options.streamState])).toEqual([
      ['n:a', 2, 'no_stream'],
      ['n:b', 1, 'no_stream'],
      ['n:a', 1, 1n],
    ]);
    expect(client.appends[0].events[1]).toMatchObject({
      id: log[1].eventId,
      type: 'T1',
      metadata: { recordedAt: log[1].recordedAt, recordedBy: 'recorder:1', correlationId: 'corr-1', causationId: 'cause-1', schemaVersion: 1 },
    });
    const read = await store.readAll();
    expect(read.map(({ position, ...rest }) => (void position, rest))).toEqual(log.map(({ position, ...rest }) => (void position, rest)));
    expect(lastPosition).toBe(read[3].position);
  });

  it('checks every stream before the first append: a conflict in a later stream writes nothing', async () => {
    client.write('n:b', 'Other');
    await expect(store.importEvents(log)).rejects.toBeInstanceOf(WrongExpectedPositionError);
    expect(client.appends).toEqual([]);
  });

  it('refuses a recordedAt earlier than the newest in the log, writing nothing', async () => {
    // Written by another process, at a later time than the log's.
    const other = new KurrentDbEventStore(client, { namespace: 'n', clock: () => new Date('2025-01-02T12:00:00.000Z') });
    await other.append('c', [{ type: 'X', schemaVersion: 1, data: {} }], -1, { recordedBy: 'r', correlationId: 'c', causationId: null });
    await other.close();
    await expect(store.importEvents(log)).rejects.toThrow(RangeError);
    expect(client.appends).toHaveLength(1);
  });

  it('tells listeners once, of the last position', async () => {
    const seen: number[] = [];
    store.subscribe((position) => seen.push(position));
    await new Promise((resolve) => setImmediate(resolve));
    const { lastPosition } = await store.importEvents(log);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([lastPosition]);
  });
});
