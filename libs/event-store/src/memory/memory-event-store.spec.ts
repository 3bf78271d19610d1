import { describeEventStoreContract } from '../event-store.contract';
import { DuplicateEventIdError } from '../store-rules';
import { MemoryEventStore } from './memory-event-store';

describeEventStoreContract('memory', async (clock) => {
  const store = new MemoryEventStore({ clock });
  return { store, cleanup: () => store.close() };
});

describe('MemoryEventStore', () => {
  const meta = { recordedBy: 'recorder:test', correlationId: 'c', causationId: null };

  it('rejects an eventId it already holds and writes nothing', async () => {
    const store = new MemoryEventStore();
    const eventId = '6f1d7d0e-3b9a-4c55-8a1e-0c2b7f4e9d21';
    await store.append('a', [{ eventId, type: 'A', schemaVersion: 1, data: {} }], -1, meta);
    await expect(store.append('b', [{ eventId, type: 'B', schemaVersion: 1, data: {} }], -1, meta)).rejects.toBeInstanceOf(
      DuplicateEventIdError,
    );
    expect(await store.readStream('b')).toEqual([]);
    expect(await store.lastPosition()).toBe(1);
  });

  it('has notified listeners by the time the append resolves, but not during the append call', async () => {
    const store = new MemoryEventStore();
    const seen: number[] = [];
    store.subscribe((position) => seen.push(position));
    const appending = store.append('s', [{ type: 'A', schemaVersion: 1, data: {} }], -1, meta);
    expect(seen).toEqual([]);
    await appending;
    expect(seen).toEqual([1]);
  });

  it('uses the system clock by default', async () => {
    const store = new MemoryEventStore();
    const before = Date.now();
    const { recordedAt } = await store.append('a', [{ type: 'A', schemaVersion: 1, data: {} }], -1, meta);
    expect(Date.parse(recordedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(recordedAt)).toBeLessThanOrEqual(Date.now());
  });
});
